#pragma once

// The three pages inside SignInWidget, each on its Designer form. Private to Latchkey::Widgets.

#include <latchkey/types.h>

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

namespace latchkey {

/// Colours a label's text from `palette`: for an error (`error`), a red that reads on its window
/// colour, light or dark (Qt 6.4's QPalette has no error role); else its placeholder colour, made
/// darker or lighter where needed. Either way WCAG AA contrast (readablecolours.h).
void colourText(QLabel *label, const QPalette &palette, bool error);

/// One button per configured provider and the email field.
class SignInPage : public QWidget
{
    Q_OBJECT

public:
    SignInPage(const QList<Provider> &providers, QWidget *parent = nullptr);
    ~SignInPage() override;

    /// Shows why sign-in is asked for ("Sign in to open your Dashboard"), or nothing.
    void setReturnHint(const QString &hint);
    void setError(const QString &message);
    void setBusy(bool busy);
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

    std::unique_ptr<Ui::SignInPage> m_ui;
    QList<QWidget *> m_buttons;
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
    void setBusy(bool busy);

signals:
    void codeEntered(const QString &code);
    void resendRequested();
    void otherAddressRequested();
    void cancelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void tick();

    std::unique_ptr<Ui::CheckEmailPage> m_ui;
    QTimer m_countdown;
    qint64 m_wait = 0;
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
