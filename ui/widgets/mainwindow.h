#pragma once

#include "navigation.h"

#include <latchkey/client.h>
#include <latchkey/widgets/desktopbrowserlauncher.h>

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <optional>

class QKeyEvent;
class QVBoxLayout;
class QMessageBox;
class QStackedWidget;

namespace latchkey {
class SignInWidget;
}

namespace latchkey::gui {

class AccountSwitcher;
class WindowHeader;
class HomePage;
class LoadingPage;
class StatusBanner;
class WindowState;

/// The app window: Loading → sign-in (Latchkey::Widgets' SignInWidget) → Home / Dashboard /
/// Profile, over a latchkey::Client. While an account is signed in here, a sidebar (Navigation)
/// with the account switcher and a header with Back and Forward frame the view:
///
///   ┌───────────┬──────────────────────────┐
///   │ (avatar)  │ ← →                header │
///   │  name  ▾  ├──────────────────────────┤
///   │  Home     │                          │
///   │  Dashboard│   Home / Dashboard /     │
///   │  Profile  │   Profile / sign-in      │
///   └───────────┴──────────────────────────┘
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// `client` must outlive the window; the window gives it its browser launcher.
    explicit MainWindow(Client &client, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Restores the session (showing "Loading…") and then shows `initial` (or sign-in). Without
    /// one, the view open when the app last quit (Home after a sign-out).
    /// Precondition: client.restore() succeeded.
    void start(std::optional<View> initial = std::nullopt);
    /// Opens `view` through the session gate.
    void openView(View view);
    /// Shown (un-minimised), raised and focused: when the browser comes back, or another start
    /// of the app asked for this window (SingleInstance). `view` is opened through the gate.
    void bringToFront(std::optional<View> view = std::nullopt);

signals:
    /// The first view after start() is on screen (used by the start-up benchmark).
    void ready();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    /// The sidebar, the header and the stack of views below the banner.
    void buildBody(QVBoxLayout *layout);
    /// Opens the view Back or Forward (`step`) leads to, when a view is open.
    void goThroughHistory(std::optional<View> (ViewHistory::*step)());
    /// Sidebar and header while an account is signed in here; the current view highlighted.
    void updateChrome();
    /// At least the smallest size the window looks right at, and never smaller than its layout.
    void updateMinimumSize();
    void showSignIn(const QString &hint = {});
    void onSignInFinished(const Result<Session> &result);
    void onStateChanged(Client::State state);
    void signOut();
    void updateBanner();
    void replaceGatedPage(QWidget *page);
    void askToSwitch(const QString &signedInAs, const QString &newAddress);
    void addAccount();
    /// Ends "Add another account…" and any sign-in it was waiting for.
    void stopAddingAccount();
    void askToSignOutEverywhere();
    void askToDeleteData();
    /// A question whose default (Enter, Escape) keeps everything; `confirmed` runs on the
    /// destructive answer. The box is named `<name>Question`, its button `confirm<Name>`.
    void askBeforeDestroying(const QString &name, const QString &question, const QString &detail,
                             const QString &confirmLabel, std::function<void()> confirmed);
    /// Runs `start` (a Client sign-out of one, all or everywhere, or deleteLocalData()) and
    /// shows what followed once signOutFinished() came.
    void endSessions(const std::function<void()> &start);
    /// After a sign-out or deleting the local data: sign-in, or why nothing changed.
    void afterSigningOut(const Status &status);
    /// Runs `then` now if the person signed in or confirmed it within 10 minutes; otherwise
    /// asks them to confirm first (Client::confirmIdentity()) and runs it once that worked.
    /// `action` completes "To …, first confirm it is you".
    void afterConfirmingIdentity(const QString &action, std::function<void()> then);
    void onAccountSwitched(const Result<Session> &result);
    void signOutAll();
    /// The sign-in page's hint after a sign-out: which accounts are still signed in here.
    QString stillSignedInHint();
    std::optional<View> currentView() const;
    /// The view reopened at the next start (kept in the data folder).
    void rememberView(View view);
    View lastView() const;

    Client &m_client;
    DesktopBrowserLauncher m_browser;
    QStackedWidget *m_stack = nullptr;
    WindowState *m_state = nullptr;
    StatusBanner *m_banner = nullptr;
    AccountSwitcher *m_accounts = nullptr;
    Navigation *m_navigation = nullptr;
    WindowHeader *m_header = nullptr;
    ViewHistory m_history;
    QString m_notice; // why the session ended by itself, until the next sign-in
    bool m_unlocking = false; // Unlock was pressed: a saved session may come back
    LoadingPage *m_loading = nullptr;
    SignInWidget *m_signIn = nullptr;
    HomePage *m_home = nullptr;
    QPointer<QWidget> m_gatedPage;
    QPointer<QMessageBox> m_switchQuestion;
    std::optional<View> m_returnTo;
    bool m_linking = false; // a provider is being linked from Profile
    bool m_endingSessions = false; // a sign-out asked for here is running
    bool m_addingAccount = false; // "Add another account…": a sign-in while someone is signed in
    std::function<void()> m_afterConfirming; // the sensitive action waiting for a step-up
    bool m_started = false;
};

} // namespace latchkey::gui
