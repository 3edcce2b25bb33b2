#include "mainwindow.h"

#include "app/appcontext.h"
#include "auth/authservice.h"
#include "auth/oidcsigninflow.h"
#include "core/config.h"
#include "email/emailsigninflow.h"
#include "mail/outboxmailer.h"
#include "pages.h"
#include "session/sessionmanager.h"
#include "storage/records.h"

#include <QDesktopServices>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace latchkey::gui {

namespace {

QString viewName(View view)
{
    switch (view) {
    case View::Dashboard:
        return MainWindow::tr("your Dashboard");
    case View::Profile:
        return MainWindow::tr("your Profile");
    case View::Home:
        break;
    }
    return {};
}

} // namespace

MainWindow::MainWindow(app::AppContext &context, QWidget *parent)
    : QMainWindow(parent), m_context(context)
{
    setWindowTitle(QStringLiteral("Latchkey"));
    resize(720, 560);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bannerFrame = new QFrame(central);
    m_bannerFrame->setObjectName(QStringLiteral("bannerFrame"));
    m_bannerFrame->setStyleSheet(QStringLiteral(
            "QFrame#bannerFrame { background: #fef7e0; border-bottom: 1px solid #f9ab00; }"));
    auto *bannerRow = new QHBoxLayout(m_bannerFrame);
    bannerRow->setContentsMargins(12, 8, 12, 8);
    m_banner = new QLabel(m_bannerFrame);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_bannerButton = new QPushButton(tr("Open latest message"), m_bannerFrame);
    m_bannerButton->setObjectName(QStringLiteral("openOutbox"));
    bannerRow->addWidget(m_banner, 1);
    bannerRow->addWidget(m_bannerButton);
    layout->addWidget(m_bannerFrame);
    m_stack = new QStackedWidget(central);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_loading = new LoadingPage(m_stack);
    m_signIn = new SignInPage(context.config().providers, m_stack);
    m_checkEmail = new CheckEmailPage(m_stack);
    m_home = new HomePage(m_stack);
    m_waiting = new WaitingPage(m_stack);
    for (QWidget *page : {static_cast<QWidget *>(m_loading), static_cast<QWidget *>(m_signIn),
                          static_cast<QWidget *>(m_checkEmail), static_cast<QWidget *>(m_home),
                          static_cast<QWidget *>(m_waiting)})
        m_stack->addWidget(page);
    m_stack->setCurrentWidget(m_loading);

    connect(m_signIn, &SignInPage::emailRequested, this, &MainWindow::startEmail);
    connect(m_signIn, &SignInPage::providerChosen, this,
            [this](const QString &id) { startProvider(id); });
    connect(m_waiting, &WaitingPage::cancelRequested, this, [this]() {
        if (m_oidcFlow)
            m_oidcFlow->cancel();
    });
    connect(m_waiting, &WaitingPage::openAgainRequested, this, [this]() {
        if (m_oidcFlow)
            (void)m_oidcFlow->openBrowserAgain();
    });
    connect(m_checkEmail, &CheckEmailPage::codeEntered, this, [this](const QString &code) {
        if (m_emailFlow) {
            m_checkEmail->setBusy(true);
            m_emailFlow->submitCode(code);
        }
    });
    connect(m_checkEmail, &CheckEmailPage::resendRequested, this, [this]() {
        if (m_emailFlow)
            m_emailFlow->resend();
    });
    const auto abandon = [this]() {
        if (m_emailFlow)
            m_emailFlow->cancel();
    };
    connect(m_checkEmail, &CheckEmailPage::otherAddressRequested, this, abandon);
    connect(m_checkEmail, &CheckEmailPage::cancelRequested, this, abandon);
    connect(m_home, &HomePage::dashboardRequested, this, [this]() { openView(View::Dashboard); });
    connect(m_home, &HomePage::profileRequested, this, [this]() { openView(View::Profile); });
    connect(m_home, &HomePage::signOutRequested, this, &MainWindow::signOut);
    connect(m_bannerButton, &QPushButton::clicked, this, [this]() {
        if (auto *outbox = qobject_cast<OutboxMailer *>(&m_context.mailer()))
            QDesktopServices::openUrl(QUrl::fromLocalFile(outbox->latestMessagePath()));
    });
    connect(&m_context.auth().sessions(), &SessionManager::stateChanged, this,
            [this](SessionState state) {
                updateBanner();
                if ((state == SessionState::SignedOut || state == SessionState::Expired) &&
                    m_stack->currentWidget() != m_loading && m_stack->currentWidget() != m_signIn &&
                    m_stack->currentWidget() != m_checkEmail)
                    showSignIn(state == SessionState::Expired
                                       ? tr("Your session has expired. Sign in again.")
                                       : QString());
            });
    updateBanner();
}

MainWindow::~MainWindow() = default;

void MainWindow::start(View initial)
{
    m_stack->setCurrentWidget(m_loading);
    m_context.auth().initialize(this, [this, initial]() {
        if (m_context.auth().sessions().state() == SessionState::SignedIn)
            openView(initial);
        else if (initial != View::Home)
            openView(initial); // asks for sign-in, then returns to the view
        else if (auto pending = m_context.auth().resumeEmailSignIn(this))
            watchEmail(pending.value()); // an email sent before the restart is still valid
        else
            showSignIn(m_context.auth().sessions().state() == SessionState::Expired
                               ? tr("Your session has expired. Sign in again.")
                               : QString());
        emit ready();
    });
}

void MainWindow::updateBanner()
{
    QStringList lines;
    const auto &problem = m_context.auth().sessions().problem();
    if (problem)
        lines.append(problem->message);
    const bool outbox = !m_context.outboxDir().isEmpty();
    if (outbox)
        lines.append(tr("Developer mailbox: sign-in emails are saved in %1 instead of being sent. "
                        "Set EMAIL_SERVER to send real email.")
                             .arg(m_context.outboxDir()));
    m_banner->setText(lines.join(u'\n'));
    m_bannerFrame->setVisible(!lines.isEmpty());
    m_bannerButton->setVisible(outbox);
}

void MainWindow::showSignIn(const QString &hint)
{
    m_signIn->setBusy(false);
    m_signIn->setReturnHint(hint);
    m_stack->setCurrentWidget(m_signIn);
}

void MainWindow::replaceGatedPage(QWidget *page)
{
    if (m_gatedPage) {
        m_stack->removeWidget(m_gatedPage);
        m_gatedPage->deleteLater();
    }
    m_gatedPage = page;
    if (page) {
        m_stack->addWidget(page);
        m_stack->setCurrentWidget(page);
    }
}

void MainWindow::openView(View view)
{
    AuthService &auth = m_context.auth();
    // The gate: every view is built from a session that was valid a moment ago.
    auto session = auth.sessions().validSession();
    if (!session) {
        replaceGatedPage(nullptr);
        m_returnTo = view;
        const QString name = viewName(view);
        showSignIn(name.isEmpty() ? QString() : tr("Sign in to open %1.").arg(name));
        return;
    }
    m_returnTo.reset();
    switch (view) {
    case View::Home:
        replaceGatedPage(nullptr);
        m_home->setSession(session.value());
        m_stack->setCurrentWidget(m_home);
        return;
    case View::Dashboard: {
        auto released = auth.protectedData();
        if (!released) {
            openView(View::Dashboard); // the gate closed in between: sign in first
            return;
        }
        auto *page = new DashboardPage(session.value(), released.value(), m_stack);
        connect(page, &DashboardPage::homeRequested, this, [this]() { openView(View::Home); });
        replaceGatedPage(page);
        return;
    }
    case View::Profile: {
        QList<QPair<QString, QString>> linkable;
        for (const OidcProviderConfig &provider : m_context.config().providers) {
            const bool linked = std::any_of(session->accounts.cbegin(), session->accounts.cend(),
                                            [&provider](const Account &account) {
                                                return account.provider == provider.id;
                                            });
            if (!linked)
                linkable.append({provider.id, provider.label});
        }
        auto *page = new ProfilePage(session.value(), auth.deviceSessions(), linkable, m_stack);
        connect(page, &ProfilePage::linkRequested, this,
                [this](const QString &id) { startProvider(id, true); });
        connect(page, &ProfilePage::homeRequested, this, [this]() { openView(View::Home); });
        replaceGatedPage(page);
        return;
    }
    }
}

void MainWindow::startEmail(const QString &address)
{
    auto flow = m_context.auth().createEmailSignIn(address, this);
    if (!flow) {
        m_signIn->setError(flow.error().message);
        return;
    }
    m_signIn->setError({});
    m_signIn->setBusy(true);
    watchEmail(flow.value());
    m_emailFlow->start();
}

void MainWindow::watchEmail(EmailSignInFlow *flow)
{
    m_emailFlow = flow;
    connect(m_emailFlow, &EmailSignInFlow::sent, this, [this](const QString &to) {
        m_checkEmail->setBusy(false);
        m_checkEmail->showSent(to, m_emailFlow->resendWaitSecs());
        m_stack->setCurrentWidget(m_checkEmail);
    });
    connect(m_emailFlow, &EmailSignInFlow::resendFailed, this,
            [this](const Error &error) { m_checkEmail->setError(error.message); });
    connect(m_emailFlow, &EmailSignInFlow::codeRejected, this, [this](const Error &error) {
        m_checkEmail->setBusy(false);
        m_checkEmail->setError(error.message);
    });
    connect(m_emailFlow, &EmailSignInFlow::linkRejected, this, [this](const Error &error) {
        m_checkEmail->setError(error.message);
        bringToFront();
    });
    connect(m_emailFlow, &EmailSignInFlow::linkOpened, this, &MainWindow::bringToFront);
    connect(m_emailFlow, &EmailSignInFlow::finished, this, &MainWindow::onSignInFinished);
}

void MainWindow::startProvider(const QString &providerId, bool link)
{
    auto flow = link ? m_context.auth().createOidcLink(providerId, &m_browser, this)
                     : m_context.auth().createOidcSignIn(providerId, &m_browser, this);
    if (!flow) {
        m_signIn->setError(flow.error().message);
        return;
    }
    m_linking = link;
    if (link)
        m_returnTo = View::Profile;
    m_signIn->setError({});
    m_signIn->setBusy(true);
    m_oidcFlow = flow.value();
    connect(m_oidcFlow, &OidcSignInFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        m_waiting->showWaiting(m_oidcFlow->providerLabel(), url);
        m_stack->setCurrentWidget(m_waiting);
    });
    connect(m_oidcFlow, &OidcSignInFlow::callbackReceived, this, &MainWindow::bringToFront);
    connect(m_oidcFlow, &OidcSignInFlow::finished, this, &MainWindow::onSignInFinished);
    m_oidcFlow->start();
}

void MainWindow::onSignInFinished(const Result<Session> &result)
{
    if (auto *flow = sender())
        flow->deleteLater();
    m_checkEmail->setBusy(false);
    if (std::exchange(m_linking, false)) {
        // Linking from Profile: the person stays signed in whatever happened; back to Profile.
        openView(View::Profile);
        if (!result && result.error().kind != ErrorKind::Cancelled) {
            if (auto *profile = qobject_cast<ProfilePage *>(m_gatedPage.data()))
                profile->setLinkError(result.error().message);
        }
        return;
    }
    if (!result) {
        m_signIn->setError(result.error().kind == ErrorKind::Cancelled ? QString()
                                                                       : result.error().message);
        showSignIn(m_returnTo ? tr("Sign in to open %1.").arg(viewName(*m_returnTo)) : QString());
        return;
    }
    updateBanner();
    openView(m_returnTo.value_or(View::Home));
}

void MainWindow::signOut()
{
    replaceGatedPage(nullptr);
    m_context.auth().signOut(this, [this](Status) {
        updateBanner();
        showSignIn();
    });
}

void MainWindow::bringToFront()
{
    showNormal();
    raise();
    activateWindow();
}

} // namespace latchkey::gui
