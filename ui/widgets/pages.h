#pragma once

// The views of the main window, each on its Designer form.

#include <latchkey/types.h>

#include <QWidget>

#include <memory>

namespace Ui {
class LoadingPage;
class HomePage;
class DashboardPage;
class ProfilePage;
} // namespace Ui

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

/// Protected data; constructed only with data the session gate released. `providers` (every
/// configured one) name the sign-in methods in its activity.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    DashboardPage(const ProtectedData &released, const QList<Provider> &providers,
                  QWidget *parent = nullptr);
    ~DashboardPage() override;

signals:
    void homeRequested();

private:
    std::unique_ptr<Ui::DashboardPage> m_ui;
};

/// What Profile shows besides the session, read through the session gate.
struct ProfileContents
{
    QList<DeviceSession> deviceSessions;
    QList<Provider> providers; ///< every configured provider (labels)
    QList<Provider> linkable; ///< the configured providers this user has not linked yet
    QList<ActivityEntry> activity; ///< newest first
};

/// Name, email, avatar, sign-in methods, this device's sessions and the account's activity;
/// constructed only with a valid session.
class ProfilePage : public QWidget
{
    Q_OBJECT

public:
    ProfilePage(const Session &session, const ProfileContents &contents, QWidget *parent = nullptr);
    ~ProfilePage() override;
    /// Shows why linking a provider failed (empty: hides it).
    void setLinkError(const QString &message);
    /// Shows the user's picture (Client::avatarPath()) instead of the initials; empty: initials.
    void setPicture(const QString &path);

signals:
    void homeRequested();
    /// "Link <provider>" was pressed.
    void linkRequested(const QString &providerId);
    /// "Sign out other sessions" was pressed.
    void signOutOthersRequested();
    /// "Sign out everywhere…" was pressed (the window asks first).
    void signOutEverywhereRequested();
    /// "Unlink" was pressed with sign-in method `accountId` selected.
    void unlinkRequested(qint64 accountId);
    /// "Delete my local data…" was pressed (the window asks first).
    void deleteDataRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    std::unique_ptr<Ui::ProfilePage> m_ui;
    QString m_name;
    QString m_picture;
};

} // namespace latchkey::gui
