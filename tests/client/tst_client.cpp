// latchkey::Client, the library's front door, over fakes (clock, secret store, mailer, browser)
// and a real SQLite file: its states and signals, the email sign-in, the session gate failing
// closed, the keychain falling back to memory, a provider sign-in up to the browser; then the
// widgets' SessionGate and the app window's gate logic on top of it.

#include "auth/clientadapters.h"
#include "auth/tst_avatarserver.h"
#include "clientoverfakes.h"
#include "fakebrowser.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "oidc/tst_flow_httpserver.h"
#include "storage/database.h"
#include "storage/userrepository.h"
#include "widgets/banner.h"
#include "widgets/itemlistmodels.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <latchkey/client.h>
#include <latchkey/widgets/sessiongate.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QBuffer>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

/// The keychain entry of the signed-in account's session.
QString sessionKey(const Client &client)
{
    return client.session() ? secretkeys::sessionToken(client.session()->user.id) : QString();
}

} // namespace

namespace {

constexpr int kWaitMs = 5000;

/// Every signInFinished() of a client, in order (Result has no default value for QSignalSpy).
struct Finished
{
    Finished(Client &client, QObject *context)
        : connection(QObject::connect(
                  &client, &Client::signInFinished, context,
                  [this](const Result<Session> &result) { results.append(result); }))
    { }
    ~Finished() { QObject::disconnect(connection); }
    Finished(const Finished &) = delete;
    Finished &operator=(const Finished &) = delete;
    qsizetype size() const { return results.size(); }
    QMetaObject::Connection connection;
    QList<Result<Session>> results;
};

} // namespace

class TestClient : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void restoreWithNothingStoredIsSignedOut();
    void emailSignInWithTypedCode();
    void gateFailsClosedWhenTheSessionExpires();
    void keychainDownSignsInForThisRunOnly();
    void restoreHintFollowsTheSignedInAccount();
    void storedSessionComesBackAfterRestart();
    void sessionTheKeychainRefusedLeavesNoRow();
    void lockedKeyringAtStartAsksToUnlock();
    void windowOffersUnlockForALockedKeyring();
    void windowSwitchesBetweenAccounts();
    void windowShowsTheAccountPictures();
    void windowReturnsToTheViewAnExpiredSessionClosed();
    void windowReopensTheLastView();
    void anotherStartBringsTheWindowWithItsView();
    void profileEndsOtherSessionsAndSignsOutEverywhere();
    void signOutEverywhereNeedsARecentSignIn();
    void windowConfirmsIdentityBeforeSigningOutEverywhere();
    void profileDeletesTheLocalData();
    void signOutEndsTheSessionFirst();
    void unknownProviderIsReportedLater();
    void providerSignInOpensTheBrowserAndHonoursADenial();
    void confirmingAfterAPlainOAuthSignInUsesTheEmail();
    void unusableDatabaseIsReportedByRestore();
    void freshAccessTokenNeedsALinkedProvider();
    void sessionGateShowsItsWidgetOnlyWhileSignedIn();
    void windowOpensTheAskedViewAfterSignIn();
    void windowColoursFollowADarkPalette();
    void signInOffersEachProviderInOrderByKeyboard();
    void emailSignInOfAnotherPersonWaitsForConsent_data();
    void emailSignInOfAnotherPersonWaitsForConsent();
    void emailSignInOfTheSamePersonDoesNotAsk();
    void windowAsksBeforeSwitchingAccounts_data();
    void windowAsksBeforeSwitchingAccounts();
    void signInPolicyRefusesBeforeAnEmailIsSent();
    void activityIsAnnouncedAndRecorded();
    void profileShowsTheActivityInThePersonsLanguage();
    void windowSaysWhenARevocationMustWait();
    void windowOpensTheConfiguredViewAfterSignIn();

private:
    /// A client over fresh fakes (kept in m_clock, m_keychain, m_mailer) on `options`.
    std::unique_ptr<Client> makeClient(Options options = {});
    Options baseOptions() const;
    void signInByCode(Client &client, const QString &address);
    std::unique_ptr<Client> restartWithLockedKeyring();
    QString switchByCode(Client &client, const QString &address);

    std::unique_ptr<QTemporaryDir> m_dir;
    FakeClock *m_clock = nullptr;
    FakeSecretStore *m_keychain = nullptr;
    FakeMailer *m_mailer = nullptr;
    bool m_fastExpiryCheck = false; // the next clients look at the clock every 20 ms
};

void TestClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_fastExpiryCheck = false;
}

void TestClient::cleanup() { m_dir.reset(); }

Options TestClient::baseOptions() const
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    return options;
}

std::unique_ptr<Client> TestClient::makeClient(Options options)
{
    if (options.databasePath.isEmpty())
        options = baseOptions();
    auto adapters = std::make_unique<ClientAdapters>();
    auto clock = std::make_unique<FakeClock>();
    auto keychain = std::make_unique<FakeSecretStore>();
    auto mailer = std::make_unique<FakeMailer>();
    m_clock = clock.get();
    m_keychain = keychain.get();
    m_mailer = mailer.get();
    adapters->clock = std::move(clock);
    adapters->keychain = std::move(keychain);
    adapters->mailer = std::move(mailer);
    if (m_fastExpiryCheck)
        adapters->expiryCheck = std::chrono::milliseconds(20);
    return std::make_unique<Client>(options, std::move(adapters));
}

void TestClient::signInByCode(Client &client, const QString &address)
{
    QSignalSpy sent(&client, &Client::emailSent);
    Finished finished(client, this);
    client.signInWithEmail(address);
    QVERIFY(sent.wait(kWaitMs));
    client.submitCode(codeIn(m_mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QVERIFY(finished.results.first().ok());
}

// While someone is signed in, an email sign-in for `address` whose code is typed: returns who
// accountSwitchRequested() said is signed in (empty when it was not emitted).
QString TestClient::switchByCode(Client &client, const QString &address)
{
    QSignalSpy sent(&client, &Client::emailSent);
    QSignalSpy asked(&client, &Client::accountSwitchRequested);
    client.signInWithEmail(address);
    if (!sent.wait(kWaitMs))
        return {};
    client.submitCode(codeIn(m_mailer->messages().last()));
    if (asked.isEmpty() && !asked.wait(kWaitMs))
        return {};
    if (asked.first().at(1).toString() != address)
        return {};
    return asked.first().at(0).toString();
}

void TestClient::restoreWithNothingStoredIsSignedOut()
{
    auto client = makeClient();
    QSignalSpy states(client.get(), &Client::stateChanged);
    QSignalSpy restored(client.get(), &Client::restored);
    QCOMPARE(client->state(), Client::State::Loading);
    QVERIFY(client->restore().ok());
    QVERIFY(restored.wait(kWaitMs));
    QCOMPARE(restored.size(), 1);
    QCOMPARE(client->state(), Client::State::SignedOut);
    QCOMPARE(states.size(), 1);
    QCOMPARE(states.first().first().value<Client::State>(), Client::State::SignedOut);
    QVERIFY(!client->session());
    QVERIFY(!client->problem());
    QVERIFY(client->persistent());
    QVERIFY(!client->sessionExpired());
    QCOMPARE(client->protectedData().error().code, ErrorCode::NotSignedIn);
}

void TestClient::emailSignInWithTypedCode()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QSignalSpy sent(client.get(), &Client::emailSent);
    QSignalSpy rejected(client.get(), &Client::codeRejected);
    Finished finished(*client, this);
    QSignalSpy sessionChanged(client.get(), &Client::sessionChanged);

    client->signInWithEmail(u"  Ada@Example.COM "_s);
    QVERIFY(sent.wait(kWaitMs));
    QCOMPARE(sent.first().first().toString(), u"ada@example.com"_s);
    QCOMPARE(client->state(), Client::State::SigningIn);
    QCOMPARE(client->pendingEmail(), u"ada@example.com"_s);
    QVERIFY(client->resendWaitSecs() > 0);
    QCOMPARE(m_mailer->messages().size(), 1);
    const QString code = codeIn(m_mailer->messages().first());
    QCOMPARE(code.size(), 6);

    // A wrong code is refused with the tries left, and the sign-in goes on.
    client->submitCode(code == u"000000"_s ? u"111111"_s : u"000000"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWaitMs);
    const auto wrong = rejected.first().first().value<Error>();
    QCOMPARE(wrong.code, ErrorCode::CodeWrong);
    QCOMPARE(wrong.remainingAttempts, 4);
    QCOMPARE(client->state(), Client::State::SigningIn);

    client->submitCode(code);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const auto result = finished.results.first();
    QVERIFY(result.ok());
    QCOMPARE(result->user.email, u"ada@example.com"_s);
    QCOMPARE(client->state(), Client::State::SignedIn);
    QCOMPARE(client->session()->user.email, u"ada@example.com"_s);
    QVERIFY(sessionChanged.size() >= 1);
    QVERIFY(m_keychain->contains(sessionKey(*client)));
    QVERIFY(client->pendingEmail().isEmpty());
}

void TestClient::gateFailsClosedWhenTheSessionExpires()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"grace@example.org"_s);
    const QString key = sessionKey(*client);

    auto data = client->protectedData();
    QVERIFY(data.ok());
    QCOMPARE(data->user.email, u"grace@example.org"_s);
    QCOMPARE(data->activeSessions, 1);
    QVERIFY(std::any_of(data->recentActivity.cbegin(), data->recentActivity.cend(),
                        [](const ActivityEntry &entry) { return entry.event == u"signIn"_s; }));
    auto devices = client->deviceSessions();
    QVERIFY(devices.ok());
    QCOMPARE(devices->size(), 1);
    QVERIFY(devices->first().current);

    // Past maxAge the gate closes by itself: no data, signed out, and the app can say why.
    QSignalSpy states(client.get(), &Client::stateChanged);
    m_clock->advance(client->options().sessionMaxAgeSecs + 1);
    QCOMPARE(client->protectedData().error().code, ErrorCode::SessionExpired);
    QCOMPARE(client->state(), Client::State::SignedOut);
    QVERIFY(client->sessionExpired());
    QVERIFY(!client->session());
    QCOMPARE(states.size(), 1);
    QCOMPARE(client->validSession().error().code, ErrorCode::NotSignedIn);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(key), kWaitMs);
}

void TestClient::restoreHintFollowsTheSignedInAccount()
{
    // The next start reads this account's session token first (docs/architecture.md,
    // "Start-up"): the hint names who is signed in, and nobody once nobody is.
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QFile hint(m_dir->filePath(u"restore-hint"_s));
    QVERIFY(!hint.exists());

    signInByCode(*client, u"ada@example.com"_s);
    QVERIFY(hint.open(QIODevice::ReadOnly));
    QCOMPARE(hint.readAll(), QByteArray::number(client->session()->user.id));
    hint.close();

    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QVERIFY(!hint.exists());
}

void TestClient::keychainDownSignsInForThisRunOnly()
{
    auto client = makeClient();
    m_keychain->failAll(Error::make(ErrorKind::Keychain, ErrorCode::KeychainLocked,
                                    u"The keychain is locked."_s));
    QSignalSpy problem(client.get(), &Client::problemChanged);
    QVERIFY(client->restore().ok());
    // Nobody was signed in on this device, so that much is known without the keychain: a start
    // reads nothing from it then, and has met no problem yet.
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QVERIFY(!client->problem());

    // Signing in still works, kept in memory: the keychain got nothing. The problem is told as
    // soon as the sign-in met it (reading the install secret that keys the code).
    signInByCode(*client, u"lin@example.net"_s);
    QVERIFY(problem.size() >= 1);
    QCOMPARE(client->state(), Client::State::SignedIn);
    QVERIFY(!client->persistent());
    QCOMPARE(client->problem()->code, ErrorCode::KeychainLocked);
    QVERIFY(!m_keychain->contains(sessionKey(*client)));
    QCOMPARE(m_keychain->size(), 0);
    QVERIFY(client->protectedData().ok());
}

void TestClient::storedSessionComesBackAfterRestart()
{
    Options options = baseOptions();
    QString key;
    QByteArray stored;
    {
        auto client = makeClient(options);
        QVERIFY(client->restore().ok());
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        signInByCode(*client, u"kim@example.com"_s);
        key = sessionKey(*client);
        stored = m_keychain->value(key);
        QVERIFY(!stored.isEmpty());
    }
    auto client = makeClient(options); // the same keychain, seen by the next run
    m_keychain->seed(key, stored);
    QSignalSpy states(client.get(), &Client::stateChanged);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedIn, kWaitMs);
    QCOMPARE(states.size(), 1); // Loading → SignedIn, never through SignedOut
    QCOMPARE(client->session()->user.email, u"kim@example.com"_s);
    QCOMPARE(m_mailer->messages().size(), 0);
}

namespace {

/// The session rows in the database at `path` (-1 when it cannot be read).
int sessionRows(const QString &path)
{
    auto db = Database::open(path);
    if (!db)
        return -1;
    auto query = db.value()->run(u"SELECT count(*) FROM sessions"_s, {}, u"count sessions"_s);
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

} // namespace

std::unique_ptr<Client> TestClient::restartWithLockedKeyring()
{
    // kim@example.com signs in; then the app starts again (restore() called) with that session
    // in a keyring that is locked.
    const Options options = baseOptions();
    QString key;
    QByteArray stored;
    {
        auto client = makeClient(options);
        if (!client->restore().ok())
            return nullptr;
        if (!QTest::qWaitFor([&] { return client->state() == Client::State::SignedOut; }, kWaitMs))
            return nullptr;
        signInByCode(*client, u"kim@example.com"_s);
        key = sessionKey(*client);
        stored = m_keychain->value(key);
    }
    auto client = makeClient(options); // the same keychain, seen by the next run
    m_keychain->seed(key, stored);
    m_keychain->setLocked(true);
    if (stored.isEmpty() || !client->restore().ok())
        return nullptr;
    return client;
}

void TestClient::sessionTheKeychainRefusedLeavesNoRow()
{
    // The keychain refuses: the session lives in memory for this run, and its row must not
    // outlive the run (no token could ever open it again).
    const Options options = baseOptions();
    {
        auto client = makeClient(options);
        m_keychain->failAll(Error::make(ErrorKind::Keychain, ErrorCode::KeychainUnavailable,
                                        u"No keychain."_s));
        QVERIFY(client->restore().ok());
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        signInByCode(*client, u"lin@example.net"_s);
        QVERIFY(!client->persistent());
        QCOMPARE(sessionRows(options.databasePath), 1);
    }
    QCOMPARE(sessionRows(options.databasePath), 0);

    // A session the keychain did keep survives the client, as before.
    {
        auto client = makeClient(options);
        QVERIFY(client->restore().ok());
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        signInByCode(*client, u"kept@example.net"_s);
        QVERIFY(client->persistent());
    }
    QCOMPARE(sessionRows(options.databasePath), 1);
}

void TestClient::lockedKeyringAtStartAsksToUnlock()
{
    // Next start: the keyring is locked, so it hides the session. That is not "signed out".
    auto client = restartWithLockedKeyring();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Error, kWaitMs);
    QVERIFY(client->problem());
    QCOMPARE(client->problem()->code, ErrorCode::KeychainLockedAtStart);
    QVERIFY(!client->session());
    QVERIFY(!client->sessionExpired());
    QVERIFY2(errorMessage(*client->problem()).contains(u"locked"_s),
             qPrintable(errorMessage(*client->problem())));

    // The person dismisses the keyring's prompt: still locked, still said.
    QSignalSpy unlocked(client.get(), &Client::keychainUnlockFinished);
    m_keychain->setUnlockAnswer(
            Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled, u"Dismissed."_s));
    client->unlockKeychain();
    QTRY_COMPARE_WITH_TIMEOUT(unlocked.size(), 1, kWaitMs);
    QVERIFY(!unlocked.first().first().value<Status>().ok());
    QCOMPARE(client->state(), Client::State::Error);
    QCOMPARE(client->problem()->code, ErrorCode::KeychainLockedAtStart);

    // Unlocked: the saved session is read again, and the problem is gone.
    m_keychain->setUnlockAnswer(std::nullopt);
    client->unlockKeychain();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedIn, kWaitMs);
    QCOMPARE(client->session()->user.email, u"kim@example.com"_s);
    QVERIFY(!client->problem());
    QCOMPARE(m_keychain->unlockCount(), 2);
}

void TestClient::windowOffersUnlockForALockedKeyring()
{
    auto client = restartWithLockedKeyring();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    auto *banner = window.findChild<gui::Banner *>();
    const auto text = [banner]() { return banner->texts().join(u'\n'); };
    QPointer<QPushButton> unlock;
    QTRY_VERIFY_WITH_TIMEOUT((unlock = window.findChild<QPushButton *>(u"unlockKeychain"_s)) &&
                                     unlock->isVisible(),
                             kWaitMs);
    QVERIFY2(text().contains(u"keyring is locked"_s), qPrintable(text()));
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/locked-keyring.png"_s));

    unlock->setFocus();
    QTest::keyClick(unlock, Qt::Key_Space); // keyboard only
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);
    QVERIFY(!unlock || !unlock->isVisible());
    QVERIFY2(!text().contains(u"locked"_s), qPrintable(text()));
}

void TestClient::windowSwitchesBetweenAccounts()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    const qint64 ada = client->session()->user.id;
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    auto *switcher = window.findChild<QToolButton *>(u"accountSwitcher"_s);
    auto *menu = window.findChild<QMenu *>(u"accountMenu"_s);
    const auto signedInAs = [&window]() {
        return window.findChild<QLabel *>(u"signedInAs"_s)->text();
    };
    const auto action = [menu](const QString &name) { return menu->findChild<QAction *>(name); };
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);
    QVERIFY(switcher->isVisible());
    QCOMPARE(switcher->text(), u"ada"_s);

    // "Add another account…": the sign-in page, saying Ada stays; the address typed there is
    // added without a second question.
    QSignalSpy asked(client.get(), &Client::accountSwitchRequested);
    action(u"addAccount"_s)->trigger();
    QCOMPARE(stack->currentWidget(), window.findChild<QWidget *>(u"signInWidget"_s));
    QVERIFY(window.findChild<QLabel *>(u"returnHint"_s)->text().contains(u"ada@example.com"_s));
    signInByCode(*client, u"bob@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);
    QCOMPARE(asked.size(), 1);
    QVERIFY(!window.findChild<QMessageBox *>(u"switchAccountQuestion"_s));
    QCOMPARE(signedInAs(), u"Signed in as bob@example.com"_s);
    QCOMPARE(switcher->text(), u"bob"_s);
    QVERIFY(action(u"account_%1"_s.arg(ada)));
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        menu->popup(switcher->mapToGlobal(QPoint(0, switcher->height())));
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/accounts-window.png"_s));
        QVERIFY(menu->grab().save(dir + u"/accounts-menu.png"_s));
        menu->hide();
        // The same in Korean on a dark desktop (the palette change rebuilds the menu).
        QVERIFY(installTranslations(QLocale(u"ko"_s)));
        const QPalette light = window.palette();
        window.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
        menu->popup(switcher->mapToGlobal(QPoint(0, switcher->height())));
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/accounts-window-ko-dark.png"_s));
        QVERIFY(menu->grab().save(dir + u"/accounts-menu-ko-dark.png"_s));
        menu->hide();
        (void)installTranslations(QLocale(u"en"_s)); // English is built in: Korean goes
        window.setPalette(light);
    }

    // Back to Ada from the menu: her stored session, Bob still signed in.
    action(u"account_%1"_s.arg(ada))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(signedInAs(), u"Signed in as ada@example.com"_s, kWaitMs);
    QCOMPARE(client->accounts()->size(), 2);

    // Signing out signs Ada out only; the sign-in page says who is still there.
    window.findChild<QPushButton *>(u"signOutButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(),
                              window.findChild<QWidget *>(u"signInWidget"_s), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel *>(u"returnHint"_s)
                                     ->text()
                                     .contains(u"Still signed in on this computer: bob"_s),
                             kWaitMs);
    QCOMPARE(switcher->text(), u"Accounts"_s);
    QVERIFY(!action(u"account_%1"_s.arg(ada)));
    const auto bob = client->accounts()->first().user.id;
    action(u"account_%1"_s.arg(bob))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(signedInAs(), u"Signed in as bob@example.com"_s, kWaitMs);
    QVERIFY(qobject_cast<gui::HomePage *>(stack->currentWidget()));
}

namespace {

/// A picture as a provider serves one: a light head and shoulders on `fill`.
QByteArray picturePng(QSize size, const QColor &fill)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(fill);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0xf5, 0xe6, 0xd3));
    const qreal w = size.width(), h = size.height();
    painter.drawEllipse(QPointF(w / 2, h * 0.4), h * 0.2, h * 0.2);
    painter.drawEllipse(QPointF(w / 2, h * 1.05), h * 0.38, h * 0.38);
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

/// The colour beside the head in `pixmap` and whether its corner is transparent (round).
std::pair<QColor, bool> middleAndRound(const QPixmap &pixmap)
{
    const QImage image = pixmap.toImage();
    return {image.pixelColor(image.width() * 3 / 20, image.height() / 2),
            image.pixelColor(0, 0).alpha() == 0};
}

bool isColour(const QColor &seen, const QColor &wanted)
{
    return std::abs(seen.red() - wanted.red()) < 16 &&
            std::abs(seen.green() - wanted.green()) < 16 &&
            std::abs(seen.blue() - wanted.blue()) < 16;
}

} // namespace

void TestClient::windowShowsTheAccountPictures()
{
    PictureServer server;
    QVERIFY(server.listen());
    const QColor adaColour(0x2e, 0x86, 0xc1);
    const QColor bobColour(0x27, 0xae, 0x60);
    server.serve("/ada.png", picturePng(QSize(256, 256), adaColour));
    server.serve("/bob.png", picturePng(QSize(360, 240), bobColour)); // wide: the middle shows
    Options options = baseOptions();
    options.dataDir = m_dir->path();
    options.allowHttpLoopbackIssuer = true; // the picture server is loopback http
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    const qint64 ada = client->session()->user.id;
    QVERIFY(!switchByCode(*client, u"bob@example.com"_s).isEmpty());
    client->confirmAccountSwitch();
    QTRY_COMPARE_WITH_TIMEOUT(client->session()->user.email, u"bob@example.com"_s, kWaitMs);
    const qint64 bob = client->session()->user.id;
    {
        // As provider sign-ins store them (the `picture` claim).
        auto db = Database::open(options.databasePath);
        QVERIFY(db.ok());
        UserRepository users(*db.value());
        QVERIFY(users.updateProfile(ada, u"Ada"_s, server.url(u"/ada.png?sz=96"_s), m_clock->now())
                        .ok());
        QVERIFY(users.updateProfile(bob, u"Bob"_s, server.url(u"/bob.png"_s), m_clock->now()).ok());
    }

    // The window starts with initials and shows the pictures once they are downloaded.
    QSignalSpy changed(client.get(), &Client::avatarChanged);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    auto *switcher = window.findChild<QToolButton *>(u"accountSwitcher"_s);
    auto *menu = window.findChild<QMenu *>(u"accountMenu"_s);
    QTRY_VERIFY_WITH_TIMEOUT(switcher->isVisible(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, kWaitMs);
    QCOMPARE(server.connections(), 2);
    const auto buttonAvatar = [switcher]() {
        return middleAndRound(switcher->icon().pixmap(switcher->iconSize(), 2.0));
    };
    const auto menuAvatar = [menu](qint64 userId) {
        return middleAndRound(menu->findChild<QAction *>(u"account_%1"_s.arg(userId))
                                      ->icon()
                                      .pixmap(QSize(24, 24), 2.0));
    };
    QTRY_VERIFY_WITH_TIMEOUT(isColour(buttonAvatar().first, bobColour), kWaitMs);
    QVERIFY(buttonAvatar().second);
    QVERIFY(isColour(menuAvatar(bob).first, bobColour));
    QVERIFY(isColour(menuAvatar(ada).first, adaColour));
    QVERIFY(menuAvatar(ada).second);

    // Profile: the same picture, larger; reopening it needs no download.
    window.openView(gui::View::Profile);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);
    auto *avatar = window.findChild<gui::ProfilePage *>()->findChild<QLabel *>(u"avatar"_s);
    QVERIFY(isColour(middleAndRound(avatar->pixmap()).first, bobColour));
    QVERIFY(middleAndRound(avatar->pixmap()).second);
    QCOMPARE(avatar->pixmap().deviceIndependentSize(), QSizeF(72, 72));
    QCOMPARE(server.connections(), 2);

    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QVERIFY(window.grab().save(dir + u"/avatar-profile.png"_s));
        window.openView(gui::View::Home);
        menu->popup(switcher->mapToGlobal(QPoint(0, switcher->height())));
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/avatar-window.png"_s));
        QVERIFY(menu->grab().save(dir + u"/avatar-menu.png"_s));
        menu->hide();
        // A dark desktop: the application's palette, which the menu (a popup) follows too.
        const QPalette light = QApplication::palette();
        QApplication::setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
        menu->popup(switcher->mapToGlobal(QPoint(0, switcher->height())));
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/avatar-window-dark.png"_s));
        QVERIFY(menu->grab().save(dir + u"/avatar-menu-dark.png"_s));
        menu->hide();
        window.openView(gui::View::Profile);
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/avatar-profile-dark.png"_s));
        QApplication::setPalette(light);
        window.openView(gui::View::Home);
    }

    // Bob signs out: his picture is deleted, Ada keeps hers in the menu.
    const QString bobPicture = client->avatarPath(bob);
    QVERIFY(QFile::exists(bobPicture));
    window.openView(gui::View::Home);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);
    window.findChild<QPushButton *>(u"signOutButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(switcher->text(), u"Accounts"_s, kWaitMs);
    QVERIFY(!QFile::exists(bobPicture));
    QVERIFY(QFile::exists(client->avatarPath(ada)));
    QVERIFY(isColour(menuAvatar(ada).first, adaColour));
    QCOMPARE(server.connections(), 2);
}

void TestClient::windowReturnsToTheViewAnExpiredSessionClosed()
{
    m_fastExpiryCheck = true;
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"mia@example.com"_s);
    gui::MainWindow window(*client);
    window.start(gui::View::Dashboard);
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(stack->currentWidget()), kWaitMs);

    // The session runs out while Dashboard is open, with nobody touching the window.
    m_clock->advance(client->options().sessionMaxAgeSecs + 1);
    auto *signIn = window.findChild<QWidget *>(u"signInWidget"_s);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(), signIn, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.findChild<gui::DashboardPage *>(), kWaitMs);
    QVERIFY(client->sessionExpired());
    QCOMPARE(window.findChild<QLabel *>(u"returnHint"_s)->text(),
             u"Your session has expired. Sign in again."_s);

    // Signing in again returns to Dashboard.
    signInByCode(*client, u"mia@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(stack->currentWidget()), kWaitMs);
}

void TestClient::anotherStartBringsTheWindowWithItsView()
{
    // What a second `latchkey --view …` asks of the open window (gui::SingleInstance).
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    gui::MainWindow window(*client);
    window.start();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showMinimized();
    QTRY_VERIFY_WITH_TIMEOUT(window.isMinimized(), kWaitMs);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);

    // Signed out: back on screen, asking for sign-in before Profile, then opening it.
    window.bringToFront(gui::View::Profile);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isMinimized(), kWaitMs);
    QCOMPARE(stack->currentWidget(), window.findChild<QWidget *>(u"signInWidget"_s));
    QCOMPARE(window.findChild<QLabel *>(u"returnHint"_s)->text(),
             u"Sign in to open your Profile."_s);
    signInByCode(*client, u"ivo@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);

    // Signed in: the view asked for; without one, the view stays.
    window.bringToFront(gui::View::Dashboard);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(stack->currentWidget()), kWaitMs);
    window.bringToFront();
    QVERIFY(qobject_cast<gui::DashboardPage *>(stack->currentWidget()));

    // A maximised window minimised comes back maximised.
    window.showMaximized();
    window.showMinimized();
    QTRY_VERIFY_WITH_TIMEOUT(window.isMinimized(), kWaitMs);
    window.bringToFront();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isMinimized(), kWaitMs);
    QVERIFY(window.isMaximized());
}

void TestClient::windowReopensTheLastView()
{
    Options options = baseOptions();
    options.dataDir = m_dir->path();
    QString key;
    QByteArray stored;
    {
        auto client = makeClient(options);
        QVERIFY(client->restore().ok());
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        signInByCode(*client, u"lea@example.com"_s);
        gui::MainWindow window(*client);
        window.start(gui::View::Home);
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<gui::HomePage *>()->isVisibleTo(&window),
                                 kWaitMs);
        window.openView(gui::View::Profile);
        QVERIFY(window.findChild<gui::ProfilePage *>());
        key = sessionKey(*client);
        stored = m_keychain->value(key);
    }
    // The next start opens Profile again.
    auto client = makeClient(options); // the same keychain, seen by the next run
    m_keychain->seed(key, stored);
    QVERIFY(client->restore().ok());
    auto window = std::make_unique<gui::MainWindow>(*client);
    window->start();
    auto *stack = window->findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);

    // After signing out, the next start is the plain sign-in page, not "sign in to open Profile".
    window->findChild<gui::ProfilePage *>()->homeRequested();
    window->findChild<QPushButton *>(u"signOutButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    window.reset(); // closed: what it has not written yet is written now
    window = std::make_unique<gui::MainWindow>(*client);
    window->start();
    stack = window->findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(),
                              window->findChild<QWidget *>(u"signInWidget"_s), kWaitMs);
    QVERIFY(window->findChild<QLabel *>(u"returnHint"_s)->isHidden());
}

void TestClient::profileEndsOtherSessionsAndSignsOutEverywhere()
{
    const Options options = baseOptions();
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"noa@example.com"_s);
    {
        // Another session of Noa's in this database (another process, another device).
        auto db = Database::open(options.databasePath);
        QVERIFY(db.ok());
        const QDateTime now = m_clock->now();
        QVERIFY(db.value()
                        ->run(u"INSERT INTO sessions (token_hash, user_id, expires, created_at, "
                              u"last_seen_at, device_name) VALUES (?, ?, ?, ?, ?, 'tablet')"_s,
                              {QByteArray("other"), client->session()->user.id,
                               now.addDays(30).toSecsSinceEpoch(), now.toSecsSinceEpoch(),
                               now.toSecsSinceEpoch()},
                              u"add a session"_s)
                        .ok());
    }
    gui::MainWindow window(*client);
    window.start(gui::View::Profile);
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);
    const auto profile = [&window]() { return window.findChild<gui::ProfilePage *>(); };
    QCOMPARE(profile()->findChild<QAbstractItemView *>(u"sessions"_s)->model()->rowCount(), 2);
    auto *others = profile()->findChild<QPushButton *>(u"signOutOthersButton"_s);
    QVERIFY(others->isEnabled());
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/profile-sessions.png"_s));

    others->click();
    QTRY_COMPARE_WITH_TIMEOUT(
            profile()->findChild<QAbstractItemView *>(u"sessions"_s)->model()->rowCount(), 1,
            kWaitMs);
    QVERIFY(!profile()->findChild<QPushButton *>(u"signOutOthersButton"_s)->isEnabled());
    QCOMPARE(client->deviceSessions()->size(), 1);

    // Sign out everywhere asks first; Escape keeps everything.
    const auto question = [&window]() {
        return window.findChild<QMessageBox *>(u"signOutEverywhereQuestion"_s);
    };
    profile()->findChild<QPushButton *>(u"signOutEverywhereButton"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(question() && question()->isVisible(), kWaitMs);
    QTest::keyClick(question(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(!question(), kWaitMs);
    QCOMPARE(client->state(), Client::State::SignedIn);

    profile()->findChild<QPushButton *>(u"signOutEverywhereButton"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(question() && question()->isVisible(), kWaitMs);
    question()->findChild<QPushButton *>(u"confirmSignOutEverywhere"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(),
                              window.findChild<QWidget *>(u"signInWidget"_s), kWaitMs);
    QCOMPARE(client->state(), Client::State::SignedOut);
    QCOMPARE(sessionRows(options.databasePath), 0);
}

void TestClient::signOutEverywhereNeedsARecentSignIn()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ivy@example.com"_s);
    QCOMPARE(client->session()->method, u"email"_s);
    QVERIFY(!client->needsIdentityConfirmation());

    // Eleven minutes later the sign-in is too old for a sensitive action: nothing happens.
    m_clock->advance(11 * 60);
    QVERIFY(client->needsIdentityConfirmation());
    QSignalSpy finished(client.get(), &Client::signOutFinished);
    client->signOutEverywhere();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.first().first().value<Status>().error().code, ErrorCode::StepUpRequired);
    QCOMPARE(client->state(), Client::State::SignedIn);

    // A fresh code to the same address confirms it; the session and the account stay the same.
    const qint64 sessionId = client->session()->sessionId;
    const auto mails = m_mailer->messages().size();
    Finished confirmed(*client, this);
    QSignalSpy sent(client.get(), &Client::emailSent);
    client->confirmIdentity();
    QVERIFY(sent.wait(kWaitMs));
    QCOMPARE(sent.first().first().toString(), u"ivy@example.com"_s);
    QCOMPARE(m_mailer->messages().size(), mails + 1);
    client->submitCode(codeIn(m_mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, kWaitMs);
    QVERIFY(confirmed.results.first().ok());
    QCOMPARE(client->session()->sessionId, sessionId);
    QCOMPARE(client->session()->authenticatedAt, m_clock->now());
    QVERIFY(!client->needsIdentityConfirmation());
    QCOMPARE(client->accounts()->size(), 1);

    client->signOutEverywhere();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
    QVERIFY(finished.last().first().value<Status>().ok());
    QCOMPARE(client->state(), Client::State::SignedOut);
}

void TestClient::windowConfirmsIdentityBeforeSigningOutEverywhere()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ivy@example.com"_s);
    m_clock->advance(11 * 60);
    gui::MainWindow window(*client);
    window.start(gui::View::Profile);
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);

    QSignalSpy sent(client.get(), &Client::emailSent);
    window.findChild<QPushButton *>(u"signOutEverywhereButton"_s)->click();
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (question = window.findChild<QMessageBox *>(u"signOutEverywhereQuestion"_s)), kWaitMs);
    question->findChild<QPushButton *>(u"confirmSignOutEverywhere"_s)->click();
    // First the person confirms it is them: a code to their address, typed in the window.
    QVERIFY(sent.wait(kWaitMs));
    QCOMPARE(stack->currentWidget(), window.findChild<QWidget *>(u"signInWidget"_s));
    QCOMPARE(client->state(), Client::State::SignedIn); // nothing signed out yet
    auto *codeEdit = window.findChild<QLineEdit *>(u"codeEdit"_s);
    QTRY_VERIFY_WITH_TIMEOUT(codeEdit->isVisible(), kWaitMs);
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/confirm-identity.png"_s));
    QTest::keyClicks(codeEdit, codeIn(m_mailer->messages().last()));
    QTest::keyClick(codeEdit, Qt::Key_Return);
    // Then the action it was for.
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(),
                              window.findChild<QWidget *>(u"signInWidget"_s), kWaitMs);
}

void TestClient::profileDeletesTheLocalData()
{
    const Options options = baseOptions();
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"rae@example.com"_s);
    gui::MainWindow window(*client);
    window.start(gui::View::Profile);
    window.resize(window.minimumSizeHint());
    window.show();
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);
    // One sign-in method: nothing to unlink.
    auto *unlink = window.findChild<QPushButton *>(u"unlinkButton"_s);
    auto *methods = window.findChild<QAbstractItemView *>(u"methods"_s);
    methods->setCurrentIndex(methods->model()->index(0, 0));
    QVERIFY(!unlink->isEnabled());
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/profile-small.png"_s));

    window.findChild<QPushButton *>(u"deleteDataButton"_s)->click();
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((question = window.findChild<QMessageBox *>(u"deleteDataQuestion"_s)),
                             kWaitMs);
    QCOMPARE(question->defaultButton()->objectName(), QString()); // Cancel is the default
    QSignalSpy done(client.get(), &Client::signOutFinished);
    question->findChild<QPushButton *>(u"confirmDeleteData"_s)->click();
    QVERIFY(done.wait(kWaitMs));
    QVERIFY(done.first().first().value<Status>().ok());
    QCOMPARE(client->state(), Client::State::SignedOut);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget(),
                              window.findChild<QWidget *>(u"signInWidget"_s), kWaitMs);
    auto db = Database::open(options.databasePath);
    QVERIFY(db.ok());
    auto users = db.value()->run(u"SELECT count(*) FROM users"_s, {}, u"count"_s);
    QVERIFY(users.ok() && users.value().next());
    QCOMPARE(users.value().value(0).toInt(), 0);
}

void TestClient::signOutEndsTheSessionFirst()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ana@example.com"_s);
    const QString key = sessionKey(*client);

    QList<QString> order;
    connect(client.get(), &Client::stateChanged, this, [&order](Client::State state) {
        if (state == Client::State::SignedOut)
            order.append(u"signed out"_s);
    });
    connect(client.get(), &Client::signOutFinished, this,
            [&order](const Status &) { order.append(u"finished"_s); });
    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, kWaitMs);
    QCOMPARE(order, (QList<QString>{u"signed out"_s, u"finished"_s}));
    QVERIFY(!m_keychain->contains(key));
    QCOMPARE(client->protectedData().error().code, ErrorCode::NotSignedIn);
    QVERIFY(!client->sessionExpired());
}

void TestClient::unknownProviderIsReportedLater()
{
    Options options = baseOptions();
    ProviderOptions provider;
    provider.id = u"corp"_s;
    provider.label = u"Corp"_s;
    provider.issuer = QUrl(u"https://id.example.com"_s);
    provider.clientId = u"latchkey"_s;
    options.providers = {provider};
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QCOMPARE(client->providers().size(), 1);
    QCOMPARE(client->providers().first().label, u"Corp"_s);

    Finished finished(*client, this);
    client->signIn(u"nope"_s);
    QCOMPARE(finished.size(), 0); // never inside the call
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const auto error = finished.results.first().error();
    QCOMPARE(error.code, ErrorCode::UnknownProvider);
    QCOMPARE(error.subject, u"nope"_s);
    QCOMPARE(error.reason, u"corp"_s);
    QCOMPARE(client->state(), Client::State::SignedOut);
}

void TestClient::providerSignInOpensTheBrowserAndHonoursADenial()
{
    CannedHttpServer provider;
    QVERIFY(provider.listen());
    const QString issuer = provider.url({}).toString();
    provider.enqueue(200,
                     uR"({"issuer":"%1","authorization_endpoint":"%1/auth",
        "token_endpoint":"%1/token","jwks_uri":"%1/jwks","response_types_supported":["code"],
        "code_challenge_methods_supported":["S256"]})"_s.arg(issuer)
                             .toUtf8());
    Options options = baseOptions();
    options.allowHttpLoopbackIssuer = true;
    ProviderOptions test;
    test.id = u"test"_s;
    test.label = u"Test ID"_s;
    test.issuer = QUrl(issuer);
    test.clientId = u"latchkey-public"_s;
    test.scopes = {u"openid"_s, u"email"_s};
    options.providers = {test};
    auto client = makeClient(options);
    FakeBrowser browser;
    client->setBrowserLauncher(&browser);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);

    QSignalSpy ready(client.get(), &Client::authorizationUrlReady);
    Finished finished(*client, this);
    client->signIn(u"test"_s);
    QVERIFY(ready.wait(kWaitMs));
    QCOMPARE(client->state(), Client::State::SigningIn);
    QCOMPARE(client->pendingProviderLabel(), u"Test ID"_s);
    QCOMPARE(browser.opened().size(), 1);
    const QUrl url = browser.opened().first();
    QCOMPARE(url, client->authorizationUrl());
    const QUrlQuery query(url);
    QCOMPARE(query.queryItemValue(u"code_challenge_method"_s), u"S256"_s); // RFC 7636 §4.3
    QVERIFY(!query.queryItemValue(u"state"_s).isEmpty());
    QVERIFY(!query.queryItemValue(u"nonce"_s).isEmpty());
    const QUrl redirect(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded));
    QCOMPARE(redirect.host(), u"127.0.0.1"_s); // RFC 8252 §7.3
    QCOMPARE(redirect.path(), u"/callback/test"_s);

    // "Open the browser again" opens the same request.
    QVERIFY(client->openBrowserAgain().ok());
    QCOMPARE(browser.opened().size(), 2);
    QCOMPARE(browser.opened().last(), url);

    // The person says no at the provider: the browser comes back with access_denied.
    QUrl back = redirect;
    back.setQuery(u"error=access_denied&state=%1&iss=%2"_s.arg(
            query.queryItemValue(u"state"_s),
            QString::fromLatin1(QUrl::toPercentEncoding(issuer))));
    QNetworkAccessManager http;
    http.setProxy(QNetworkProxy::NoProxy);
    std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(back)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.results.first().error().code, ErrorCode::AccessDenied);
    QCOMPARE(client->state(), Client::State::SignedOut);
    QVERIFY(client->authorizationUrl().isEmpty());
    QCOMPARE(client->openBrowserAgain().error().code, ErrorCode::NoPendingSignIn);
}

void TestClient::confirmingAfterAPlainOAuthSignInUsesTheEmail()
{
    // A plain OAuth 2.0 provider cannot prove a fresh sign-in: a person who signed in with it and
    // also has an email address confirms by email instead of being refused.
    CannedHttpServer provider;
    QVERIFY(provider.listen());
    Options options = baseOptions();
    options.allowHttpLoopbackIssuer = true;
    options.providers = {presets::oauth2(u"forge"_s, provider.url(u"/auth"_s),
                                         provider.url(u"/token"_s), provider.url(u"/me"_s),
                                         u"app"_s)};
    auto client = makeClient(options);
    FakeBrowser browser;
    client->setBrowserLauncher(&browser);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ivy@example.com"_s);

    Finished finished(*client, this);
    // The browser comes back from the provider; the code is exchanged and the user endpoint read.
    auto approveAtProvider = [&](qsizetype finishedBefore) {
        QTRY_COMPARE_WITH_TIMEOUT(browser.opened().size(), finishedBefore + 1, kWaitMs);
        const QUrlQuery query(browser.opened().last());
        provider.enqueue(200, R"({"access_token":"at","token_type":"Bearer"})");
        provider.enqueue(200, R"({"sub":"forge-7"})");
        QUrl back(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded));
        back.setQuery(u"code=c&state=%1"_s.arg(query.queryItemValue(u"state"_s)));
        QNetworkAccessManager http;
        http.setProxy(QNetworkProxy::NoProxy);
        std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(back)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), finishedBefore + 1, kWaitMs);
        const auto &result = finished.results.last();
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    };
    client->linkProvider(u"forge"_s);
    approveAtProvider(0);
    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    client->signIn(u"forge"_s);
    approveAtProvider(1);
    QCOMPARE(client->session()->user.email, u"ivy@example.com"_s);

    m_clock->advance(11 * 60);
    QVERIFY(client->needsIdentityConfirmation());
    QSignalSpy sent(client.get(), &Client::emailSent);
    client->confirmIdentity();
    QVERIFY(sent.wait(kWaitMs)); // not StepUpUnavailable from the provider
    QCOMPARE(sent.first().first().toString(), u"ivy@example.com"_s);
    client->submitCode(codeIn(m_mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kWaitMs);
    QVERIFY(finished.results.last().ok());
    QVERIFY(!client->needsIdentityConfirmation());
}

void TestClient::unusableDatabaseIsReportedByRestore()
{
    Options options = baseOptions();
    options.databasePath = m_dir->path(); // a folder, not a file
    auto client = makeClient(options);
    QSignalSpy states(client.get(), &Client::stateChanged);
    const Status opened = client->restore();
    QVERIFY(!opened.ok());
    QCOMPARE(client->state(), Client::State::Error);
    QCOMPARE(states.size(), 1);
    QVERIFY(client->problem());
    QCOMPARE(client->problem()->kind, opened.error().kind);
    QVERIFY(!errorMessage(opened.error()).isEmpty());
    QCOMPARE(client->protectedData().error().code, ErrorCode::NotSignedIn);
}

void TestClient::freshAccessTokenNeedsALinkedProvider()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    std::optional<Result<AccessToken>> got;
    QObject context;
    client->withFreshAccessToken(u"google"_s, &context,
                                 [&got](const Result<AccessToken> &token) { got = token; });
    QVERIFY(!got); // never inside the call
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), kWaitMs);
    QCOMPARE(got->error().code, ErrorCode::NotSignedIn);

    signInByCode(*client, u"ada@example.com"_s); // an email user: no provider tokens
    got.reset();
    client->withFreshAccessToken(u"google"_s, &context,
                                 [&got](const Result<AccessToken> &token) { got = token; });
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), kWaitMs);
    QCOMPARE(got->error().code, ErrorCode::NoProviderAccount);
    QCOMPARE(got->error().subject, u"google"_s);

    // A destroyed context is never called back.
    bool called = false;
    {
        QObject gone;
        client->withFreshAccessToken(u"google"_s, &gone,
                                     [&called](const auto &) { called = true; });
    }
    QTest::qWait(50);
    QVERIFY(!called);
}

void TestClient::sessionGateShowsItsWidgetOnlyWhileSignedIn()
{
    auto client = makeClient();
    SessionGate gate(*client);
    auto *signedOut = new QLabel(u"signed out"_s);
    gate.setSignedOutWidget(signedOut);
    int built = 0;
    QString builtFor;
    gate.setFactory([&built, &builtFor](const Session &session) {
        ++built;
        builtFor = session.user.email;
        return new QLabel(u"protected"_s);
    });
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QCOMPARE(built, 0);
    QCOMPARE(gate.currentWidget(), signedOut);
    QVERIFY(!gate.protectedWidget());

    signInByCode(*client, u"mia@example.com"_s);
    QCOMPARE(built, 1);
    QCOMPARE(builtFor, u"mia@example.com"_s);
    QPointer<QWidget> content = gate.protectedWidget();
    QVERIFY(content);
    QCOMPARE(gate.currentWidget(), content.data());

    // The session runs out: the protected widget goes the moment the gate notices.
    m_clock->advance(client->options().sessionMaxAgeSecs + 1);
    (void)client->validSession();
    QCOMPARE(gate.currentWidget(), signedOut);
    QVERIFY(!gate.protectedWidget());
    QTRY_VERIFY(!content);
    QCOMPARE(built, 1);
}

void TestClient::windowOpensTheAskedViewAfterSignIn()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    window.start(gui::View::Profile);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget()->objectName(), u"signInWidget"_s, kWaitMs);
    auto *hint = window.findChild<QWidget *>(u"signInPage"_s)->findChild<QLabel *>(u"returnHint"_s);
    QVERIFY2(hint->text().contains(u"Profile"_s), qPrintable(hint->text()));

    // Signed in (the code typed in the client's sign-in widget): back to the view asked for.
    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);
    QCOMPARE(stack->currentWidget()->findChild<QLabel *>(u"email"_s)->text(), u"ada@example.com"_s);

    // Later the session has run out: asking for the Dashboard goes to sign-in, saying why.
    m_clock->advance(client->options().sessionMaxAgeSecs + 1);
    window.openView(gui::View::Dashboard);
    QCOMPARE(stack->currentWidget()->objectName(), u"signInWidget"_s);
    QVERIFY2(hint->text().contains(u"expired"_s), qPrintable(hint->text()));
    QVERIFY(!window.findChild<gui::ProfilePage *>() ||
            !window.findChild<gui::ProfilePage *>()->isVisible());
}

void TestClient::windowColoursFollowADarkPalette()
{
    auto client = makeClient(); // the developer outbox: the banner shows
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    auto *banner = window.findChild<gui::Banner *>();
    auto *error =
            window.findChild<QWidget *>(u"signInPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    const auto backgroundLightness = [banner]() {
        return banner->row(u"outbox"_s)->palette().color(QPalette::Window).lightness();
    };
    window.setPalette(QPalette(QColor(0xf0, 0xf0, 0xf0)));
    QVERIFY(backgroundLightness() > 160);
    QVERIFY(error->palette().color(QPalette::WindowText).lightness() < 128);

    // A dark desktop: the banner darkens and error text lightens, so both stay readable.
    window.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
    QVERIFY(backgroundLightness() < 96);
    QVERIFY(error->palette().color(QPalette::WindowText).lightness() > 128);
}

void TestClient::signInOffersEachProviderInOrderByKeyboard()
{
    Options options = baseOptions();
    options.providers = {presets::microsoft(u"ms"_s),
                         presets::oidc(u"acme"_s, QUrl(u"https://id.acme.test"_s), u"a"_s),
                         presets::google(u"g"_s),
                         presets::gitlab(u"gl"_s),
                         presets::github(u"gh"_s, u"secret"_s),
                         presets::oauth2(u"forge"_s, QUrl(u"https://forge.test/authorize"_s),
                                         QUrl(u"https://forge.test/token"_s),
                                         QUrl(u"https://forge.test/me"_s), u"f"_s)};
    options.providers.last().label = u"Forge Cloud"_s;
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    window.resize(720, 640);
    window.show();
    window.start(gui::View::Home);
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *page = window.findChild<QWidget *>(u"signInPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page->isVisible(), kWaitMs);

    const QStringList ids{u"microsoft"_s, u"acme"_s,   u"google"_s,
                          u"gitlab"_s,    u"github"_s, u"forge"_s};
    const QStringList labels{u"Sign in with Microsoft"_s, u"Sign in with Acme"_s,
                             u"Sign in with Google"_s,    u"Sign in with GitLab"_s,
                             u"Sign in with GitHub"_s,    u"Sign in with Forge Cloud"_s};
    QList<QPushButton *> buttons;
    for (const QString &id : ids) {
        auto *button = page->findChild<QPushButton *>(u"provider_"_s + id);
        QVERIFY2(button, qPrintable(id));
        buttons.append(button);
    }
    for (qsizetype i = 0; i < buttons.size(); ++i) {
        QCOMPARE(buttons[i]->text(), labels[i]);
        // Each brand mark is drawn (the SVG plugin is there); a provider without one has none.
        QCOMPARE(!buttons[i]->icon().pixmap(18, 18).isNull(),
                 ids[i] != u"acme" && ids[i] != u"forge");
        if (i > 0) // shown in the order configured
            QVERIFY(buttons[i]->y() > buttons[i - 1]->y());
    }

    // Tab goes from the email field (above them) and its button through the buttons in that
    // order.
    auto *email = page->findChild<QLineEdit *>(u"emailEdit"_s);
    email->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY_WITH_TIMEOUT(email->hasFocus(), kWaitMs);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), page->findChild<QPushButton *>(u"emailButton"_s));
    for (qsizetype i = 0; i < buttons.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QVERIFY2(buttons[i]->hasFocus(), qPrintable(ids[i]));
    }

    // GitHub's mark is dark on a light palette and light on a dark one.
    const auto githubMarkLightness = [&buttons]() {
        return buttons[4]->icon().pixmap(18, 18).toImage().pixelColor(9, 1).lightness();
    };
    QVERIFY(githubMarkLightness() < 96);
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/providers.png"_s));
    window.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
    QVERIFY(githubMarkLightness() > 160);
    if (!dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/providers-dark.png"_s));
}

void TestClient::emailSignInOfAnotherPersonWaitsForConsent_data()
{
    QTest::addColumn<QString>("answer");
    QTest::newRow("declined") << u"decline"_s;
    QTest::newRow("cancelled") << u"cancel"_s;
    QTest::newRow("confirmed") << u"confirm"_s;
}

void TestClient::emailSignInOfAnotherPersonWaitsForConsent()
{
    // docs/security.md: an email sign-in for person B never silently becomes the session of the
    // person using this device; the program asks, and only a confirmation switches to B (A stays
    // signed in on this device, one switch away).
    QFETCH(QString, answer);
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    const qint64 ada = client->session()->user.id;
    const QString adaKey = sessionKey(*client);
    const QByteArray adaToken = m_keychain->value(adaKey);
    QVERIFY(!adaToken.isEmpty());
    Finished finished(*client, this);

    QCOMPARE(switchByCode(*client, u"bob@example.com"_s), u"ada@example.com"_s);
    // Waiting for an answer: Ada is still signed in, in the client, the keychain and the gate.
    QTest::qWait(50);
    QCOMPARE(finished.size(), 0);
    QVERIFY(client->accountSwitchPending());
    QCOMPARE(client->state(), Client::State::SignedIn);
    QCOMPARE(client->validSession()->user.email, u"ada@example.com"_s);
    QCOMPARE(m_keychain->value(adaKey), adaToken);
    QCOMPARE(m_keychain->size(), 2); // Ada's session and the install secret

    if (answer == u"confirm")
        client->confirmAccountSwitch();
    else if (answer == u"decline")
        client->declineAccountSwitch();
    else
        client->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QVERIFY(!client->accountSwitchPending());
    const Result<Session> result = finished.results.first();
    // Either way, Ada's session on this device is untouched.
    QCOMPARE(m_keychain->value(adaKey), adaToken);
    if (answer == u"confirm") {
        QVERIFY(result.ok());
        QCOMPARE(result->user.email, u"bob@example.com"_s);
        QCOMPARE(client->validSession()->user.email, u"bob@example.com"_s);
        QVERIFY(m_keychain->contains(sessionKey(*client)));
        const auto accounts = client->accounts();
        QVERIFY(accounts.ok());
        QCOMPARE(accounts->size(), 2);
        QCOMPARE(accounts->at(0).user.email, u"bob@example.com"_s);
        QCOMPARE(accounts->at(1).user.id, ada);
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
    QCOMPARE(client->state(), Client::State::SignedIn);
    QCOMPARE(client->validSession()->user.email, u"ada@example.com"_s);
    QCOMPARE(client->accounts()->size(), 1);
    // Bob never became a user: declining leaves no trace of him.
    const auto data = client->protectedData();
    QVERIFY(data.ok());
    QCOMPARE(data->activeSessions, 1);
}

void TestClient::emailSignInOfTheSamePersonDoesNotAsk()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    QSignalSpy asked(client.get(), &Client::accountSwitchRequested);
    m_clock->advance(60); // the resend cooldown
    signInByCode(*client, u"Ada@Example.com"_s);
    QCOMPARE(asked.size(), 0);
    QCOMPARE(client->session()->user.email, u"ada@example.com"_s);
}

void TestClient::windowAsksBeforeSwitchingAccounts_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<bool>("switches");
    QTest::newRow("Enter keeps the signed-in person") << int(Qt::Key_Return) << false;
    QTest::newRow("Escape keeps the signed-in person") << int(Qt::Key_Escape) << false;
    QTest::newRow("the switch button, by keyboard") << int(Qt::Key_Space) << true;
}

void TestClient::windowAsksBeforeSwitchingAccounts()
{
    QFETCH(int, key);
    QFETCH(bool, switches);
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.start();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);

    // A code for Bob is typed while Ada is signed in: the window asks.
    QCOMPARE(switchByCode(*client, u"bob@example.com"_s), u"ada@example.com"_s);
    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (question = window.findChild<QMessageBox *>(u"switchAccountQuestion"_s)) &&
                    question->isVisible(),
            kWaitMs);
    QVERIFY2(question->text().contains(u"Switch to bob@example.com?"_s),
             qPrintable(question->text()));
    QVERIFY2(question->informativeText().contains(u"ada@example.com stays signed in"_s),
             qPrintable(question->informativeText()));
    auto *stay = question->findChild<QPushButton *>(u"staySignedInButton"_s);
    auto *change = question->findChild<QPushButton *>(u"switchAccountButton"_s);
    QVERIFY(stay && change);
    QCOMPARE(question->defaultButton(), stay);
    QCOMPARE(client->session()->user.email, u"ada@example.com"_s);

    // Keyboard only. The focus starts on "Stay"; Tab moves it to "Switch to bob".
    QTRY_VERIFY_WITH_TIMEOUT(stay->hasFocus(), kWaitMs);
    if (switches) {
        QTest::keyClick(stay, Qt::Key_Tab);
        QVERIFY(change->hasFocus());
    }
    QTest::keyClick(QApplication::focusWidget(), Qt::Key(key));
    QTRY_VERIFY_WITH_TIMEOUT(!window.findChild<QMessageBox *>(u"switchAccountQuestion"_s), kWaitMs);
    const QString expected = switches ? u"bob@example.com"_s : u"ada@example.com"_s;
    QTRY_COMPARE_WITH_TIMEOUT(client->session()->user.email, expected, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(stack->currentWidget()), kWaitMs);
    QVERIFY2(
            stack->currentWidget()->findChild<QLabel *>(u"signedInAs"_s)->text().contains(expected),
            qPrintable(stack->currentWidget()->findChild<QLabel *>(u"signedInAs"_s)->text()));
    QVERIFY(!client->accountSwitchPending());
}

void TestClient::signInPolicyRefusesBeforeAnEmailIsSent()
{
    Options options = baseOptions();
    options.allowedEmailDomains = {u"example.com"_s};
    options.allowSignIn = [](const SignInAttempt &attempt) {
        return attempt.email != u"mallory@example.com"_s;
    };
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QList<ActivityEntry> activity;
    connect(client.get(), &Client::activityRecorded, this,
            [&activity](const ActivityEntry &entry) { activity.append(entry); });
    Finished finished(*client, this);

    // An address at another domain is refused at once, saying which domain would do; no mail.
    client->signInWithEmail(u"eve@example.org"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const Error outside = finished.results.at(0).error();
    QCOMPARE(outside.code, ErrorCode::SignInNotAllowed);
    QCOMPARE(outside.reason, u"email_domain"_s);
    QVERIFY2(errorMessage(outside).contains(u"example.com"_s), qPrintable(errorMessage(outside)));
    // The domain is compared whole: a subdomain is another domain.
    client->signInWithEmail(u"eve@mail.example.com"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
    QCOMPARE(finished.results.at(1).error().code, ErrorCode::SignInNotAllowed);
    // The app's own check says no to one address of the domain.
    client->signInWithEmail(u"mallory@example.com"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kWaitMs);
    QCOMPARE(finished.results.at(2).error().reason, u"app"_s);
    QVERIFY(m_mailer->messages().isEmpty());
    QCOMPARE(client->state(), Client::State::SignedOut);

    // Each refusal is a failed sign-in in the activity, about nobody.
    QTRY_COMPARE_WITH_TIMEOUT(activity.size(), 3, kWaitMs);
    for (const ActivityEntry &entry : std::as_const(activity)) {
        QCOMPARE(entry.event, u"signInFailed"_s);
        QCOMPARE(entry.providerId, u"email"_s);
        QCOMPARE(entry.error, ErrorCode::SignInNotAllowed);
        QCOMPARE(entry.userId, 0);
    }

    // An address of the domain signs in as usual.
    signInByCode(*client, u"ada@example.com"_s);
    QCOMPARE(client->session()->user.email, u"ada@example.com"_s);
}

void TestClient::activityIsAnnouncedAndRecorded()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QList<ActivityEntry> activity;
    connect(client.get(), &Client::activityRecorded, this,
            [&activity](const ActivityEntry &entry) { activity.append(entry); });
    const auto kinds = [&activity]() {
        QStringList out;
        for (const ActivityEntry &entry : std::as_const(activity))
            out.append(entry.event);
        return out;
    };

    // A first sign-in: the user is created, email is linked, and the person signs in.
    signInByCode(*client, u"ada@example.com"_s);
    const qint64 ada = client->session()->user.id;
    QTRY_COMPARE_WITH_TIMEOUT(
            kinds(), (QStringList{u"createUser"_s, u"linkAccount"_s, u"signIn"_s}), kWaitMs);
    for (const ActivityEntry &entry : std::as_const(activity))
        QCOMPARE(entry.userId, ada);
    QCOMPARE(activity.at(1).providerId, u"email"_s);
    QCOMPARE(activity.at(2).providerId, u"email"_s);

    // A sign-in that ends badly is announced with its code (a cancelled one is not).
    activity.clear();
    QSignalSpy sent(client.get(), &Client::emailSent);
    client->signInWithEmail(u"bob@example.com"_s);
    QVERIFY(sent.wait(kWaitMs));
    client->cancel();
    client->signIn(u"nowhere"_s); // no such provider: refused before anything starts
    QTest::qWait(50);
    QVERIFY2(activity.isEmpty(), qPrintable(kinds().join(u", ")));

    // A sign-in that ends at the flow itself (five wrong codes void the email) is recorded with
    // its code, about nobody yet.
    m_clock->advance(3600);
    QSignalSpy voidSent(client.get(), &Client::emailSent);
    Finished voided(*client, this);
    client->signInWithEmail(u"carol@example.com"_s);
    QVERIFY(voidSent.wait(kWaitMs));
    const QString right = codeIn(m_mailer->messages().last());
    for (int i = 0; i < 5 && voided.size() == 0; ++i) {
        client->submitCode(right == u"000000"_s ? u"111111"_s : u"000000"_s);
        QTest::qWait(20);
    }
    QTRY_COMPARE_WITH_TIMEOUT(voided.size(), 1, kWaitMs);
    const ErrorCode voidCode = voided.results.first().error().code;
    QTRY_COMPARE_WITH_TIMEOUT(kinds(), QStringList{u"signInFailed"_s}, kWaitMs);
    QCOMPARE(activity.first().providerId, u"email"_s);
    QCOMPARE(activity.first().error, voidCode);
    QCOMPARE(activity.first().userId, 0);
    activity.clear();

    // What the gate releases holds the same, newest first, with the sign-out.
    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(kinds(), QStringList{u"signOut"_s}, kWaitMs);
    QCOMPARE(activity.first().userId, ada);
    m_clock->advance(3600); // past the resend cooldown of Ada's address
    signInByCode(*client, u"ada@example.com"_s);
    const auto released = client->protectedData();
    QVERIFY(released.ok());
    QStringList recorded;
    for (const ActivityEntry &entry : released->recentActivity)
        recorded.append(entry.event);
    QCOMPARE(recorded,
             (QStringList{u"signIn"_s, u"signOut"_s, u"signIn"_s, u"linkAccount"_s,
                          u"createUser"_s}));
}

void TestClient::profileShowsTheActivityInThePersonsLanguage()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    signInByCode(*client, u"ada@example.com"_s);
    window.openView(gui::View::Profile);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    const auto rows = [stack]() {
        QStringList out;
        auto *list = stack->currentWidget()->findChild<QAbstractItemView *>(u"activity"_s);
        for (int i = 0; list && i < list->model()->rowCount(); ++i)
            out.append(list->model()->index(i, 0).data().toString());
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);
    QCOMPARE(rows(),
             (QStringList{u"Signed in with an email link"_s, u"Email sign-in added"_s,
                          u"Account created"_s}));
    auto *list = stack->currentWidget()->findChild<QAbstractItemView *>(u"activity"_s);
    // Local time in the list, the full date with its time zone in the tooltip.
    const QModelIndex newest = list->model()->index(0, 0);
    QVERIFY(!newest.data(gui::SecondaryTextRole).toString().isEmpty());
    QVERIFY(newest.data(Qt::ToolTipRole).toString().size() >
            newest.data(gui::SecondaryTextRole).toString().size());
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(window.grab().save(dir + u"/profile-activity.png"_s));

    // In Korean (the page is built again when opened).
    QVERIFY(installTranslations(QLocale(u"ko"_s)));
    window.openView(gui::View::Profile);
    const QStringList korean = rows();
    (void)installTranslations(QLocale(u"en"_s));
    QCOMPARE(korean.size(), 3);
    QVERIFY2(!korean.first().contains(u"Signed in"_s) && korean.first().contains(u"로그인"_s),
             qPrintable(korean.join(u" | ")));
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QVERIFY(installTranslations(QLocale(u"ko"_s)));
        window.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
        window.openView(gui::View::Profile);
        QVERIFY(window.grab().save(dir + u"/profile-activity-ko-dark.png"_s));
        (void)installTranslations(QLocale(u"en"_s));
    }
}

// The library's revocationDeferred() (tested with the real provider in cli_offline_e2e) reaches
// the person as one sentence naming the provider by its label.
void TestClient::windowSaysWhenARevocationMustWait()
{
    Options options = baseOptions();
    ProviderOptions acme;
    acme.id = u"acme"_s;
    acme.label = u"Acme ID"_s;
    acme.issuer = QUrl(u"https://id.acme.test"_s);
    acme.clientId = u"cid"_s;
    acme.scopes = {u"openid"_s};
    options.providers = {acme};
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    auto *banner = window.findChild<gui::Banner *>();
    emit client->revocationDeferred(u"acme"_s);
    QVERIFY2(banner->texts().join(u'\n').contains(u"Acme ID could not be reached"_s),
             qPrintable(banner->texts().join(u'\n')));
}

// LATCHKEY_AFTER_SIGN_IN: a sign-in that was not started to open a view opens the configured one;
// one that was still opens the view asked for.
void TestClient::windowOpensTheConfiguredViewAfterSignIn()
{
    Options options = baseOptions();
    options.afterSignIn = u"profile"_s;
    auto client = makeClient(options);
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    window.start(gui::View::Home);
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget()->objectName(), u"signInWidget"_s, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(stack->currentWidget()), kWaitMs);

    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(stack->currentWidget()->objectName(), u"signInWidget"_s, kWaitMs);
    window.openView(gui::View::Dashboard); // asked for: sign-in, then the Dashboard
    m_clock->advance(3600);
    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(stack->currentWidget()), kWaitMs);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestClient)
#include "tst_client.moc"
