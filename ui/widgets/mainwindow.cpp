#include "mainwindow.h"

#include "accountswitcher.h"
#include "pages.h"
#include "statusbanner.h"
#include "windowheader.h"
#include "windowstate.h"

#include <latchkey/widgets/signinwidget.h>

#include <QDir>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
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

QString expiredHint() { return MainWindow::tr("Your session has expired. Sign in again."); }

const QString kLastViewKey = QStringLiteral("lastView");

/// The window's state file, beside the database's other files (Options::dataFolder()).
QString statePath(const Client &client)
{
    const QString folder = client.options().dataFolder();
    return folder.isEmpty() ? QString() : QDir(folder).filePath(QStringLiteral("window.ini"));
}

/// The smallest window everything fits in at the default font, in logical pixels (the same on a
/// 2× screen); larger when the layout needs more (a larger font, a longer translation).
constexpr QSize kSmallestWindow(560, 420);

} // namespace

MainWindow::MainWindow(Client &client, QWidget *parent) : QMainWindow(parent), m_client(client)
{
    setWindowTitle(QStringLiteral("Latchkey"));
    resize(720, 560);
    m_client.setBrowserLauncher(&m_browser);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_state = new WindowState(statePath(client), this);
    m_banner = new StatusBanner(client, *m_state, central);
    layout->addWidget(m_banner);
    buildBody(layout);
    setCentralWidget(central);

    m_loading = new LoadingPage(m_stack);
    m_signIn = new SignInWidget(client, m_stack);
    m_home = new HomePage(m_stack);
    m_stack->addWidget(m_loading);
    m_stack->addWidget(m_signIn);
    m_stack->addWidget(m_home);
    m_stack->setCurrentWidget(m_loading);

    connect(m_home, &HomePage::dashboardRequested, this, [this]() { openView(View::Dashboard); });
    connect(m_home, &HomePage::profileRequested, this, [this]() { openView(View::Profile); });
    connect(m_home, &HomePage::signOutRequested, this, &MainWindow::signOut);
    connect(m_banner, &StatusBanner::unlockRequested, this, [this]() { m_unlocking = true; });
    connect(m_banner, &StatusBanner::noticeDismissed, this, [this]() { m_notice.clear(); });
    connect(&m_client, &Client::sessionEnded, this, [this](const Error &reason) {
        m_notice = errorMessage(reason);
        updateBanner();
    });
    connect(&m_client, &Client::revocationDeferred, this, [this](const QString &providerId) {
        const ProviderOptions *provider = m_client.options().provider(providerId);
        const QString label = provider ? provider->label : providerId;
        m_notice = tr("%1 could not be reached to end your sign-in there. You are signed out on "
                      "this computer; Latchkey tells %1 as soon as it can reach it.")
                           .arg(label);
        updateBanner();
    });
    connect(&m_client, &Client::providerTokensNotSaved, this, [this](const QString &providerId) {
        const ProviderOptions *provider = m_client.options().provider(providerId);
        m_notice = tr("You are signed in, but Latchkey could not save your %1 sign-in, so it "
                      "cannot act for you at %1. Sign in with %1 again to let it.")
                           .arg(provider ? provider->label : providerId);
        updateBanner();
    });
    connect(&m_client, &Client::signInFinished, this, &MainWindow::onSignInFinished);
    connect(&m_client, &Client::stateChanged, this, &MainWindow::onStateChanged);
    connect(&m_client, &Client::browserReturned, this, [this]() { bringToFront(); });
    // Waiting for the browser (also while linking from Profile) is shown by the sign-in widget.
    connect(&m_client, &Client::authorizationUrlReady, this,
            [this]() { m_stack->setCurrentWidget(m_signIn); });
    connect(&m_client, &Client::linkRejected, this, [this]() { bringToFront(); });
    connect(&m_client, &Client::accountSwitchRequested, this, &MainWindow::askToSwitch);
    connect(&m_client, &Client::switchAccountFinished, this, &MainWindow::onAccountSwitched);
    // Every sign-in, switch and sign-out changes the session; before start() the switcher waits.
    connect(&m_client, &Client::sessionChanged, this, [this]() {
        if (m_started)
            m_accounts->refresh();
    });
    connect(m_accounts, &AccountSwitcher::switchRequested, &m_client, &Client::switchAccount);
    connect(m_accounts, &AccountSwitcher::activeChosen, this, [this]() {
        stopAddingAccount();
        openView(currentView().value_or(View::Home));
    });
    connect(m_accounts, &AccountSwitcher::addAccountRequested, this, &MainWindow::addAccount);
    connect(m_accounts, &AccountSwitcher::signOutAllRequested, this, &MainWindow::signOutAll);
    connect(m_accounts, &AccountSwitcher::accountsChanged, this, &MainWindow::updateChrome);
    connect(m_navigation, &Navigation::viewRequested, this, [this](View view) {
        if (m_addingAccount)
            stopAddingAccount(); // left "Add another account…" for a view of the one signed in
        openView(view);
    });
    connect(m_stack, &QStackedWidget::currentChanged, this, &MainWindow::updateChrome);
    updateBanner();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildBody(QVBoxLayout *layout)
{
    QWidget *central = layout->parentWidget();
    layout->setSpacing(0); // the sidebar meets the banner
    auto *body = new QHBoxLayout;
    body->setSpacing(0);
    m_accounts = new AccountSwitcher(m_client, central);
    m_navigation = new Navigation(m_accounts, central);
    m_navigation->hide(); // until an account is signed in here
    body->addWidget(m_navigation);
    auto *content = new QVBoxLayout;
    content->setSpacing(0);
    m_header = new WindowHeader(this, central);
    m_header->hide();
    connect(m_header, &WindowHeader::backRequested, this,
            [this]() { goThroughHistory(&ViewHistory::back); });
    connect(m_header, &WindowHeader::forwardRequested, this,
            [this]() { goThroughHistory(&ViewHistory::forward); });
    content->addWidget(m_header);
    m_stack = new QStackedWidget(central);
    m_stack->setObjectName(QStringLiteral("mainStack"));
    content->addWidget(m_stack, 1);
    body->addLayout(content, 1);
    layout->addLayout(body, 1);
}

void MainWindow::goThroughHistory(std::optional<View> (ViewHistory::*step)())
{
    if (!currentView())
        return; // the sign-in page is not a step in the history
    if (const auto view = (m_history.*step)())
        openView(*view);
}

void MainWindow::updateChrome()
{
    const bool signedInHere =
            m_started && m_stack->currentWidget() != m_loading && m_accounts->hasAccounts();
    m_navigation->setVisible(signedInHere);
    m_header->setVisible(signedInHere);
    const auto view = currentView();
    m_navigation->setCurrent(view);
    m_header->setHistory(view && m_history.canGoBack(), view && m_history.canGoForward());
}

bool MainWindow::event(QEvent *event)
{
    const bool handled = QMainWindow::event(event);
    if (event->type() == QEvent::LayoutRequest)
        updateMinimumSize(); // the layout was just activated: what it needs now
    return handled;
}

void MainWindow::updateMinimumSize()
{
    // An explicit minimum replaces the layout's own: so it always includes it, and nothing is
    // squeezed below its minimum (where widgets would overlap). Wrapped text (the banner, an
    // error) needs its height at the narrowest width too, which the layout's minimum leaves out.
    QSize minimum = kSmallestWindow.expandedTo(layout()->minimumSize());
    if (const QLayout *body = centralWidget()->layout(); body->hasHeightForWidth())
        minimum.setHeight(
                std::max(minimum.height(), body->totalMinimumHeightForWidth(minimum.width())));
    if (minimum != minimumSize())
        setMinimumSize(minimum);
}

void MainWindow::keyPressEvent(QKeyEvent *event)
{
    // Escape no page used: a sign-in waiting for the browser or the email ends, as Cancel does.
    if (event->matches(QKeySequence::Cancel) && m_stack->currentWidget() == m_signIn &&
        m_client.state() == Client::State::SigningIn) {
        m_client.cancel();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void MainWindow::start(std::optional<View> requested)
{
    m_stack->setCurrentWidget(m_loading);
    const View initial = requested.value_or(lastView());
    auto show = [this, initial]() {
        m_started = true;
        m_accounts->refresh();
        if (m_client.state() == Client::State::SignedIn) {
            openView(initial);
            // An email sent before the restart still works; opening its link asks before it
            // replaces the person signed in now (askToSwitch).
            (void)m_client.resumeEmailSignIn();
        } else if (initial != View::Home)
            openView(initial); // signed out: asks for sign-in, then returns to the view
        else if (!m_client.resumeEmailSignIn()) // an email sent before the restart still works
            showSignIn(m_client.sessionExpired() ? expiredHint() : QString());
        else
            m_stack->setCurrentWidget(m_signIn);
        emit ready();
    };
    if (m_client.state() != Client::State::Loading)
        show();
    else
        connect(&m_client, &Client::restored, this, show, Qt::SingleShotConnection);
}

void MainWindow::bringToFront(std::optional<View> view)
{
    // Un-minimised as it was (maximised stays maximised), never resized.
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
    if (!view)
        return;
    if (m_started)
        openView(*view);
    else // still "Loading…": once the session is known
        connect(
                this, &MainWindow::ready, this, [this, v = *view]() { openView(v); },
                Qt::SingleShotConnection);
}

void MainWindow::updateBanner() { m_banner->setNotice(m_notice); }

void MainWindow::onStateChanged(Client::State state)
{
    updateBanner();
    if (!m_started || state == Client::State::SigningIn)
        return;
    if (state == Client::State::SignedOut) {
        m_history.clear(); // the next person starts a history of their own
        updateChrome();
    }
    if (state == Client::State::SignedIn) {
        // The keyring was unlocked and held a session: from the sign-in page to Home.
        if (std::exchange(m_unlocking, false) && m_stack->currentWidget() == m_signIn)
            openView(View::Home);
        return;
    }
    // Signed out while a view was open (expired, signed out elsewhere): back to sign-in, and to
    // the same view after it.
    if (m_stack->currentWidget() != m_signIn && m_stack->currentWidget() != m_loading) {
        if (const auto open = currentView(); open && *open != View::Home)
            m_returnTo = open;
        replaceGatedPage(nullptr);
        showSignIn(m_client.sessionExpired() ? expiredHint()
                           : m_endingSessions
                           ? QString()
                           : tr("You were signed out from another window, the command line or "
                                "another session. Sign in again to continue."));
    }
}

void MainWindow::showSignIn(const QString &hint)
{
    m_signIn->setHint(hint);
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
        // The sidebar and Back replace a page's own "← Home".
        if (auto *home = page->findChild<QWidget *>(QStringLiteral("backButton")))
            home->hide();
        m_stack->addWidget(page);
        m_stack->setCurrentWidget(page);
    }
}

void MainWindow::openView(View view)
{
    // The gate, checked once per view: every view is built from a session that was valid a
    // moment ago, and Dashboard's data comes through the same check.
    std::optional<Session> session;
    std::optional<ProtectedData> released;
    if (view == View::Dashboard) {
        if (auto gated = m_client.protectedData()) {
            released = gated.value();
            session = m_client.session();
        }
    } else if (auto valid = m_client.validSession()) {
        session = valid.value();
    }
    if (!session) {
        replaceGatedPage(nullptr);
        m_returnTo = view;
        const QString name = viewName(view);
        showSignIn(m_client.sessionExpired()
                           ? expiredHint()
                           : (name.isEmpty() ? QString() : tr("Sign in to open %1.").arg(name)));
        return;
    }
    m_returnTo.reset();
    rememberView(view);
    m_history.visit(view);
    switch (view) {
    case View::Home:
        replaceGatedPage(nullptr);
        m_home->setSession(*session);
        m_stack->setCurrentWidget(m_home);
        return;
    case View::Dashboard: {
        auto *page = new DashboardPage(*released, m_client.providers(), m_stack);
        connect(page, &DashboardPage::homeRequested, this, [this]() { openView(View::Home); });
        replaceGatedPage(page);
        return;
    }
    case View::Profile: {
        ProfileContents contents;
        contents.deviceSessions = m_client.deviceSessions().valueOr({});
        contents.providers = m_client.providers();
        if (auto gated = m_client.protectedData())
            contents.activity = gated->recentActivity;
        for (const Provider &provider : std::as_const(contents.providers)) {
            const bool linked = std::any_of(session->accounts.cbegin(), session->accounts.cend(),
                                            [&provider](const Account &account) {
                                                return account.provider == provider.id;
                                            });
            if (!linked)
                contents.linkable.append(provider);
        }
        auto *page = new ProfilePage(*session, contents, m_stack);
        const qint64 userId = session->user.id;
        page->setPicture(m_client.avatarPath(userId)); // empty until downloaded: initials
        connect(&m_client, &Client::avatarChanged, page, [this, page, userId](qint64 changed) {
            if (changed == userId)
                page->setPicture(m_client.avatarPath(userId));
        });
        connect(page, &ProfilePage::linkRequested, this, [this](const QString &id) {
            m_linking = true;
            m_client.linkProvider(id);
        });
        connect(page, &ProfilePage::homeRequested, this, [this]() { openView(View::Home); });
        connect(page, &ProfilePage::signOutOthersRequested, this, [this]() {
            const auto ended = m_client.signOutOtherSessions();
            openView(View::Profile); // the list as it is now
            if (!ended) {
                m_notice = errorMessage(ended.error());
                updateBanner();
            }
        });
        connect(page, &ProfilePage::revokeSessionRequested, this, [this](qint64 sessionId) {
            const Status ended = m_client.revokeSession(sessionId);
            openView(View::Profile); // the list as it is now
            m_notice = ended ? QString() : errorMessage(ended.error());
            updateBanner();
        });
        connect(page, &ProfilePage::signOutEverywhereRequested, this,
                &MainWindow::askToSignOutEverywhere);
        connect(page, &ProfilePage::deleteDataRequested, this, &MainWindow::askToDeleteData);
        connect(page, &ProfilePage::unlinkRequested, this, [this](qint64 accountId) {
            afterConfirmingIdentity(tr("unlink a sign-in method"), [this, accountId]() {
                const Status unlinked = m_client.unlinkAccount(accountId);
                m_notice = unlinked ? QString() : errorMessage(unlinked.error());
                updateBanner();
                openView(View::Profile);
            });
        });
        replaceGatedPage(page);
        return;
    }
    }
}

void MainWindow::onSignInFinished(const Result<Session> &result)
{
    if (result) {
        m_notice.clear();
        updateBanner();
    }
    if (m_afterConfirming) {
        // A step-up before a sensitive action: run it, or back to Profile saying why not.
        auto then = std::exchange(m_afterConfirming, nullptr);
        if (result) {
            then();
            return;
        }
        m_notice = result.error().kind == ErrorKind::Cancelled ? QString()
                                                               : errorMessage(result.error());
        updateBanner();
        openView(View::Profile);
        return;
    }
    if (std::exchange(m_linking, false)) {
        // Linking from Profile: the person stays signed in whatever happened; back to Profile.
        openView(View::Profile);
        if (!result && result.error().kind != ErrorKind::Cancelled) {
            if (auto *profile = qobject_cast<ProfilePage *>(m_gatedPage.data()))
                profile->setLinkError(errorMessage(result.error()));
        }
        return;
    }
    if (m_switchQuestion)
        m_switchQuestion->close(); // the switch it asked about is over
    const bool adding = m_addingAccount;
    const bool cancelled = !result && result.error().kind == ErrorKind::Cancelled;
    if (result || cancelled)
        m_addingAccount = false; // a failed try may be tried again from the same page
    if (adding && cancelled && m_client.state() == Client::State::SignedIn) {
        openView(View::Home); // "Add another account" given up: back to the account signed in
        return;
    }
    if (!result && m_client.state() == Client::State::SignedIn)
        return; // a switch was declined or unanswered: the person signed in stays, and the view
    if (!result) {
        // SignInWidget shows the error; keep the reason sign-in was asked for.
        showSignIn(m_returnTo ? tr("Sign in to open %1.").arg(viewName(*m_returnTo)) : QString());
        return;
    }
    updateBanner();
    // The view sign-in was asked for, else the configured one (LATCHKEY_AFTER_SIGN_IN).
    openView(m_returnTo.value_or(viewFromKey(m_client.options().afterSignIn).value_or(View::Home)));
}

void MainWindow::signOut()
{
    endSessions([this]() { m_client.signOut(); });
}

void MainWindow::signOutAll()
{
    endSessions([this]() { m_client.signOutAllAccounts(); });
}

QString MainWindow::stillSignedInHint()
{
    QStringList others;
    for (const SignedInAccount &account : m_client.accounts().valueOr({}))
        others.append(account.user.email.isEmpty() ? account.user.name : account.user.email);
    if (others.isEmpty())
        return {};
    return tr("Still signed in on this computer: %1. Choose an account at the top to use it.")
            .arg(others.join(QStringLiteral(", ")));
}

std::optional<View> MainWindow::currentView() const
{
    if (qobject_cast<DashboardPage *>(m_stack->currentWidget()))
        return View::Dashboard;
    if (qobject_cast<ProfilePage *>(m_stack->currentWidget()))
        return View::Profile;
    if (m_stack->currentWidget() == m_home)
        return View::Home;
    return std::nullopt;
}

void MainWindow::rememberView(View view)
{
    if (!m_client.options().dataDir.isEmpty())
        m_state->setValue(kLastViewKey, viewKey(view));
}

View MainWindow::lastView() const
{
    if (m_client.options().dataDir.isEmpty())
        return View::Home;
    return viewFromKey(m_state->value(kLastViewKey).toString()).value_or(View::Home);
}

void MainWindow::askBeforeDestroying(const QString &name, const QString &question,
                                     const QString &detail, const QString &confirmLabel,
                                     std::function<void()> confirmed)
{
    // Enter and Escape keep everything: destroying takes a deliberate choice.
    auto *box =
            new QMessageBox(QMessageBox::Warning, question, question, QMessageBox::NoButton, this);
    box->setObjectName(name + QStringLiteral("Question"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(detail);
    QPushButton *keep = box->addButton(QMessageBox::Cancel);
    QPushButton *destroy = box->addButton(confirmLabel, QMessageBox::DestructiveRole);
    destroy->setObjectName(QStringLiteral("confirm") + name.left(1).toUpper() + name.mid(1));
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [box, destroy, confirmed]() {
        if (box->clickedButton() == destroy)
            confirmed();
    });
    box->open();
    keep->setFocus();
}

void MainWindow::askToSignOutEverywhere()
{
    askBeforeDestroying(
            QStringLiteral("signOutEverywhere"), tr("Sign out everywhere?"),
            tr("Every session of this account ends, and its sign-ins with providers are revoked, "
               "so apps on your other devices that share them must sign in again."),
            tr("Sign out everywhere"), [this]() {
                afterConfirmingIdentity(tr("sign out everywhere"), [this]() {
                    endSessions([this]() { m_client.signOutEverywhere(); });
                });
            });
}

void MainWindow::askToDeleteData()
{
    askBeforeDestroying(
            QStringLiteral("deleteData"), tr("Delete your local data?"),
            tr("This computer forgets this account: its sign-in methods, sessions, activity and "
               "saved sign-ins in the keychain. Provider sign-ins are revoked. You can sign in "
               "again later as a new account."),
            tr("Delete my data"), [this]() {
                afterConfirmingIdentity(tr("delete your local data"), [this]() {
                    endSessions([this]() { m_client.deleteLocalData(); });
                });
            });
}

void MainWindow::afterConfirmingIdentity(const QString &action, std::function<void()> then)
{
    if (!m_client.needsIdentityConfirmation()) {
        then();
        return;
    }
    // A step-up: the person signs in again the way they did; the action runs once that worked.
    m_afterConfirming = std::move(then);
    replaceGatedPage(nullptr);
    m_signIn->reset();
    const auto session = m_client.session();
    // Said in the banner too: the code page that follows has no room for it.
    m_notice = tr("To %1, first confirm it is you: sign in again as %2.")
                       .arg(action,
                            session ? (session->user.email.isEmpty() ? session->user.name
                                                                     : session->user.email)
                                    : QString());
    updateBanner();
    showSignIn(m_notice);
    m_client.confirmIdentity();
}

void MainWindow::endSessions(const std::function<void()> &start)
{
    m_endingSessions = true;
    connect(
            &m_client, &Client::signOutFinished, this,
            [this](const Status &status) {
                m_endingSessions = false;
                afterSigningOut(status);
            },
            Qt::SingleShotConnection);
    start();
}

void MainWindow::afterSigningOut(const Status &status)
{
    if (!status && status.error().kind == ErrorKind::Unauthorized &&
        m_client.state() == Client::State::SignedIn) {
        // Nothing was changed (a confirmation ran out meanwhile): say so.
        m_notice = errorMessage(status.error());
        openView(View::Profile);
        updateBanner();
        return;
    }
    rememberView(View::Home);
    replaceGatedPage(nullptr);
    updateBanner();
    m_signIn->reset(); // signing out ended any email sign-in resumed meanwhile
    showSignIn(stillSignedInHint());
}

void MainWindow::addAccount()
{
    // The account signed in now stays; the sign-in page adds the next one and makes it active.
    m_addingAccount = m_client.state() == Client::State::SignedIn;
    replaceGatedPage(nullptr);
    m_signIn->reset();
    const auto session = m_client.session();
    showSignIn(session ? tr("Sign in with another account. %1 stays signed in on this computer.")
                                 .arg(session->user.email.isEmpty() ? session->user.name
                                                                    : session->user.email)
                       : QString());
}

void MainWindow::stopAddingAccount()
{
    m_addingAccount = false;
    m_client.cancel(); // a sign-in for another account, if one was waiting
}

void MainWindow::onAccountSwitched(const Result<Session> &result)
{
    m_accounts->refresh();
    if (!result) {
        // That account's session is gone (signed out elsewhere, expired): say so where it shows.
        m_notice = errorMessage(result.error());
        updateBanner();
        return;
    }
    m_notice.clear();
    updateBanner();
    stopAddingAccount();
    m_signIn->reset();
    // The same view, now for the other account (rebuilt through the gate).
    openView(currentView().value_or(View::Home));
}

void MainWindow::askToSwitch(const QString &signedInAs, const QString &newAddress)
{
    // docs/security.md: an email sign-in for someone else never silently becomes the session.
    // Enter and Escape keep the person signed in now; switching takes a deliberate choice. After
    // "Add another account…", the address was typed here for that very purpose: no question.
    if (m_addingAccount && newAddress == m_client.pendingEmail()) {
        m_client.confirmAccountSwitch();
        return;
    }
    bringToFront();
    if (m_switchQuestion)
        m_switchQuestion->close();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Switch account?"),
                                tr("Switch to %1?").arg(newAddress), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("switchAccountQuestion"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(
            tr("%1 stays signed in on this computer; you can switch back from the account menu.")
                    .arg(signedInAs));
    QPushButton *stay =
            box->addButton(tr("Stay signed in as %1").arg(signedInAs), QMessageBox::RejectRole);
    stay->setObjectName(QStringLiteral("staySignedInButton"));
    QPushButton *change =
            box->addButton(tr("Switch to %1").arg(newAddress), QMessageBox::AcceptRole);
    change->setObjectName(QStringLiteral("switchAccountButton"));
    box->setDefaultButton(stay);
    box->setEscapeButton(stay);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, change]() {
        if (box->clickedButton() == change)
            m_client.confirmAccountSwitch();
        else
            m_client.declineAccountSwitch();
    });
    m_switchQuestion = box;
    box->open();
    stay->setFocus();
}

} // namespace latchkey::gui
