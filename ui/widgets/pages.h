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

class ItemListModel;

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
    /// Times in the activity are told relative to `now` (invalid: the current time, kept
    /// current while the page is shown).
    DashboardPage(const ProtectedData &released, const QList<Provider> &providers,
                  QWidget *parent = nullptr, const QDateTime &now = {});
    ~DashboardPage() override;

signals:
    void homeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    std::unique_ptr<Ui::DashboardPage> m_ui;
    ItemListModel *m_activity = nullptr;
};

/// What Profile shows besides the session, read through the session gate.
struct ProfileContents
{
    QList<DeviceSession> deviceSessions;
    QList<Provider> providers; ///< every configured provider (labels)
    QList<Provider> linkable; ///< the configured providers this user has not linked yet
    QList<ActivityEntry> activity; ///< newest first
    /// The moment the lists' times ("2 hours ago") are told against; invalid: the current
    /// time, kept current while the page is shown.
    QDateTime now;
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
    /// "Sign out selected session" was pressed with session `sessionId` (never this one) selected.
    void revokeSessionRequested(qint64 sessionId);
    /// "Sign out everywhere…" was pressed (the window asks first).
    void signOutEverywhereRequested();
    /// "Unlink" was pressed with sign-in method `accountId` selected.
    void unlinkRequested(qint64 accountId);
    /// "Delete my local data…" was pressed (the window asks first).
    void deleteDataRequested();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyColours();
    void showLists(const Session &session, const ProfileContents &contents);
    void addLinkButtons(const Session &session, const QList<Provider> &linkable);
    void connectActions();
    void offerSessionSignOut(qint64 currentSessionId);
    void holdContentWidth();
    void applyHeadings();
    std::unique_ptr<Ui::ProfilePage> m_ui;
    QList<ItemListModel *> m_models;
    QString m_name;
    QString m_picture;
};

} // namespace latchkey::gui
