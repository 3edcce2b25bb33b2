#pragma once

// The three pages inside SignInWidget, each on its Designer form. Private to Latchkey::Widgets.

#include <latchkey/client.h>

#include <QTimer>
#include <QUrl>
#include <QWidget>

#include <memory>

namespace Ui {
class SignInPage;
class CheckEmailPage;
class WaitingPage;
} // namespace Ui

class QLabel;
class QPushButton;
class QShortcut;

namespace latchkey {

/// Colours a label's text from `palette`: for an error (`error`), a red that reads on its window
/// colour, light or dark (Qt 6.4's QPalette has no error role); else its placeholder colour, made
/// darker or lighter where needed. Either way WCAG AA contrast (readablecolours.h).
void colourText(QLabel *label, const QPalette &palette, bool error);

/// "01:05": minutes and seconds of a countdown.
QString minutesSeconds(qint64 secs);
/// An Esc shortcut on `page` and its children (cancels what the page waits for).
QShortcut *escapeShortcut(QWidget *page);
/// Shows `message` in error label `label` (hidden when empty) and announces it to screen readers.
void showError(QLabel *label, const QString &message);

/// Counts a RateLimited error down in its label, one second at a time (its message says how long
/// to wait), and clears it at zero: finished() then re-enables what had to wait.
class ErrorCountdown : public QObject
{
    Q_OBJECT

public:
    explicit ErrorCountdown(QLabel *label);

    /// Shows `error`; a RateLimited one with a known wait counts down. Returns whether it does.
    bool show(const Error &error);
    /// Stops counting (the label keeps its text).
    void stop() { m_timer.stop(); }

signals:
    void finished();

private:
    void tick();

    QLabel *m_label;
    QTimer m_timer;
    Error m_error;
};

/// One button per configured provider and the email field.
class SignInPage : public QWidget
{
    Q_OBJECT

public:
    SignInPage(const QList<Provider> &providers, QWidget *parent = nullptr);
    ~SignInPage() override;

    /// Shows why sign-in is asked for ("Sign in to open your Dashboard"), or nothing.
    void setReturnHint(const QString &hint);
    /// Where an error is shown: under the email button, or under the provider buttons.
    enum class ErrorPlace { Email, Providers };
    void setError(const QString &message, ErrorPlace place = ErrorPlace::Providers);
    /// Shows `error` under the email button; a rate limit counts down and keeps the email button
    /// disabled until it is over.
    void setEmailError(const Error &error);
    void setBusy(bool busy);
    /// Tags the button of the method used last on this device "Last used" (none when empty), and
    /// puts its address in the email field when that is empty.
    void setLastUsed(const LastSignIn &last);
    /// Puts `address` in the email field (a returning person's, or one an error names).
    void setEmail(const QString &address);
    /// Offers "Sign in on another device" for these providers (hidden when empty); with several,
    /// the link opens a menu to pick one.
    void setDeviceProviders(const QList<Provider> &providers);

signals:
    void providerChosen(const QString &providerId);
    void deviceSignInChosen(const QString &providerId);
    void emailRequested(const QString &address);
    /// The page became visible: a moment to ask which providers offer device sign-in.
    void shown();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void applyColors();
    QPushButton *addProviderButton(const Provider &provider);
    void placeError(ErrorPlace place);

    std::unique_ptr<Ui::SignInPage> m_ui;
    QList<QWidget *> m_buttons;
    ErrorCountdown *m_errorCountdown = nullptr;
    bool m_busy = false;
    bool m_emailWaits = false; // a rate limit keeps the email button disabled
    QPushButton *m_deviceButton = nullptr;
    QList<Provider> m_deviceProviders;
};

/// "Check your email": address, code entry, resend with countdown, another address, cancel.
class CheckEmailPage : public QWidget
{
    Q_OBJECT

public:
    explicit CheckEmailPage(QWidget *parent = nullptr);
    ~CheckEmailPage() override;

    /// Shows the address the email went to and starts the resend countdown.
    void showSent(const QString &address, qint64 resendWaitSecs);
    void setError(const QString &message);
    /// Shows `error` (a refused code or resend): a wrong code empties and focuses the field and
    /// says how many tries are left; a rate limit counts down and holds the resend back.
    void showError(const Error &error);
    void setBusy(bool busy);
    /// The code typed so far, digits only (spaces and dashes of a pasted code dropped).
    QString code() const;

signals:
    void codeEntered(const QString &code);
    void resendRequested();
    void otherAddressRequested();
    void cancelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void tick();
    void startResendCountdown(qint64 secs);
    void normaliseCode();
    void submit();

    std::unique_ptr<Ui::CheckEmailPage> m_ui;
    QTimer m_countdown;
    qint64 m_wait = 0;
    ErrorCountdown *m_errorCountdown = nullptr;
};

/// "Waiting for your browser…" with Cancel, and after a few seconds the fallbacks "Open the
/// browser again" and "Copy sign-in link".
class WaitingPage : public QWidget
{
    Q_OBJECT

public:
    explicit WaitingPage(QWidget *parent = nullptr);
    ~WaitingPage() override;

    /// Shows the wait for `providerLabel`; the fallbacks appear after `fallbackDelayMs`.
    void showWaiting(const QString &providerLabel, const QUrl &url, int fallbackDelayMs);

signals:
    void openAgainRequested();
    void cancelRequested();

private:
    std::unique_ptr<Ui::WaitingPage> m_ui;
    QTimer m_fallbackTimer;
    QUrl m_url;
};

} // namespace latchkey
