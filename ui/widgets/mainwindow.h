#pragma once

#include "core/result.h"
#include "desktopbrowserlauncher.h"
#include "session/session.h"

#include <QMainWindow>
#include <QPointer>

#include <optional>

class QFrame;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace latchkey {
class EmailSignInFlow;
class OidcSignInFlow;
namespace app {
class AppContext;
}
} // namespace latchkey

namespace latchkey::gui {

class CheckEmailPage;
class HomePage;
class LoadingPage;
class SignInPage;
class WaitingPage;

/// The views a user can ask for. Dashboard and Profile are gated: they are only constructed with a
/// valid session; asked for while signed out, sign-in comes first and then the view (callbackUrl).
enum class View { Home, Dashboard, Profile };

/// The app window: Loading → sign-in → (check email) → Home / Dashboard / Profile.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(app::AppContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Reads the session (showing "Loading…") and then shows `initial` (or sign-in).
    void start(View initial = View::Home);
    /// Opens `view` through the session gate.
    void openView(View view);

signals:
    /// The first view after start() is on screen (used by the start-up benchmark).
    void ready();

private:
    void showSignIn(const QString &hint = {});
    void startEmail(const QString &address);
    void watchEmail(EmailSignInFlow *flow);
    void startProvider(const QString &providerId, bool link = false);
    void onSignInFinished(const Result<Session> &result);
    void signOut();
    void updateBanner();
    void replaceGatedPage(QWidget *page);
    void bringToFront();

    app::AppContext &m_context;
    QStackedWidget *m_stack = nullptr;
    QFrame *m_bannerFrame = nullptr;
    QLabel *m_banner = nullptr;
    QPushButton *m_bannerButton = nullptr;
    LoadingPage *m_loading = nullptr;
    SignInPage *m_signIn = nullptr;
    CheckEmailPage *m_checkEmail = nullptr;
    HomePage *m_home = nullptr;
    WaitingPage *m_waiting = nullptr;
    DesktopBrowserLauncher m_browser;
    QPointer<OidcSignInFlow> m_oidcFlow;
    QPointer<QWidget> m_gatedPage;
    QPointer<EmailSignInFlow> m_emailFlow;
    std::optional<View> m_returnTo;
    bool m_linking = false; // the running provider flow links to the signed-in user
};

} // namespace latchkey::gui
