#pragma once

#include <latchkey/client.h>

#include <QWidget>

#include <memory>

namespace latchkey {

class SignInWidgetPrivate;

/// A drop-in sign-in screen for a Client: one button per provider and an email field; then
/// "Check your email" (code entry, resend with a countdown, another address, cancel) or "Waiting
/// for your browser…" (cancel, open again, copy the link). When a provider offers it
/// (Client::supportsDeviceSignIn()), "Sign in on another device" shows a code, its address and
/// a QR code with a countdown (cancel, or a new code once it expired). Errors are shown translated
/// (errorMessage()) next to the method that failed, and announced to screen readers. The method
/// used last on this device (Client::lastSignIn()) is tagged "Last used" and its address filled
/// in; the code field takes digits only and signs in on the sixth; Esc cancels a waiting page.
/// It drives the client; listen to Client::signInFinished() or signedIn().
class LATCHKEY_WIDGETS_EXPORT SignInWidget : public QWidget
{
    Q_OBJECT

public:
    /// `client` must outlive the widget.
    explicit SignInWidget(Client &client, QWidget *parent = nullptr);
    ~SignInWidget() override;

    /// A line above the buttons saying why sign-in is asked for ("Sign in to open your
    /// Dashboard"); empty hides it.
    void setHint(const QString &hint);
    /// Shows `message` as an error on the first page; empty hides it.
    void setError(const QString &message);
    /// Back to the first page (after a sign-in ended elsewhere).
    void reset();
    /// Waits this long before offering "Open the browser again" and "Copy sign-in link".
    void setBrowserFallbackDelay(int milliseconds);

signals:
    /// A sign-in through this widget succeeded.
    void signedIn(const latchkey::Session &session);

private:
    std::unique_ptr<SignInWidgetPrivate> d;
};

} // namespace latchkey
