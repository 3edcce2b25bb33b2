#pragma once

// The views of the main window, each on its Designer form.

#include "core/result.h"
#include "session/session.h"

#include <QJsonObject>
#include <QTimer>
#include <QUrl>
#include <QWidget>

#include <memory>

namespace Ui {
class LoadingPage;
class SignInPage;
class CheckEmailPage;
class HomePage;
class DashboardPage;
class ProfilePage;
class WaitingPage;
} // namespace Ui

namespace latchkey {
struct OidcProviderConfig;
}

namespace latchkey::gui {

/// "Loading…" while the keychain is read at start.
class LoadingPage : public QWidget
{
    Q_OBJECT

public:
    explicit LoadingPage(QWidget *parent = nullptr);
    ~LoadingPage() override;

private:
    std::unique_ptr<Ui::LoadingPage> m_ui;
};

/// One button per configured provider and the email field.
class SignInPage : public QWidget
{
    Q_OBJECT

public:
    SignInPage(const QList<OidcProviderConfig> &providers, QWidget *parent = nullptr);
    ~SignInPage() override;

    /// Shows why sign-in is asked for ("Sign in to open your Dashboard"), or nothing.
    void setReturnHint(const QString &hint);
    void setError(const QString &message);
    void setBusy(bool busy);
    QString emailText() const;

signals:
    void providerChosen(const QString &providerId);
    void emailRequested(const QString &address);

private:
    std::unique_ptr<Ui::SignInPage> m_ui;
    QList<QWidget *> m_buttons;
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
    void showWaiting(const QString &providerLabel, const QUrl &url, int fallbackDelayMs = 5000);

signals:
    void openAgainRequested();
    void cancelRequested();

private:
    std::unique_ptr<Ui::WaitingPage> m_ui;
    QTimer m_fallbackTimer;
    QUrl m_url;
};

/// "Signed in as …" with Dashboard, Profile and Sign out.
class HomePage : public QWidget
{
    Q_OBJECT

public:
    explicit HomePage(QWidget *parent = nullptr);
    ~HomePage() override;
    void setSession(const Session &session);

signals:
    void dashboardRequested();
    void profileRequested();
    void signOutRequested();

private:
    std::unique_ptr<Ui::HomePage> m_ui;
};

/// Protected data; constructed only with data the session gate released.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    DashboardPage(const Session &session, const QJsonObject &released, QWidget *parent = nullptr);
    ~DashboardPage() override;

signals:
    void homeRequested();

private:
    std::unique_ptr<Ui::DashboardPage> m_ui;
};

/// Name, email, avatar, sign-in methods and this device's sessions; constructed only with a
/// valid session.
class ProfilePage : public QWidget
{
    Q_OBJECT

public:
    /// `linkable`: the configured providers (id, label) this user has not linked yet.
    ProfilePage(const Session &session, const QStringList &deviceSessions,
                const QList<QPair<QString, QString>> &linkable, QWidget *parent = nullptr);
    ~ProfilePage() override;
    /// Shows why linking a provider failed (empty: hides it).
    void setLinkError(const QString &message);

signals:
    void homeRequested();
    /// "Link <provider>" was pressed.
    void linkRequested(const QString &providerId);

private:
    std::unique_ptr<Ui::ProfilePage> m_ui;
};

} // namespace latchkey::gui
