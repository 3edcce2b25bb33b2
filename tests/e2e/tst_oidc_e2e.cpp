// OpenID Connect sign-in end to end, the way a person does it: the real window asks for Profile
// while signed out → "Sign in with <label>" → the waiting page → QDesktopServices::openUrl reaches
// the harness browser (xdg-open → mimeapps.list → chromium) which logs in and consents at the real
// oidc-provider → the loopback callback → Profile. Then: the refresh token is in the real keyring
// and nowhere in the SQLite bytes, a new app restores the session with no browser, and sign-out
// erases the keychain entries and revokes the refresh token at the provider (RFC 7009).

#include "e2ehelpers.h"
#include "widgets/itemlistmodels.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <QAbstractItemView>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

// xdg-open + node + chromium + login + consent; a bound for a hang, not a speed check.
constexpr int kBrowserMs = 60000;

/// The secret stored in the real keyring under `key`, read with secret-tool; empty when absent.
QByteArray keyringValue(const QString &service, const QString &key)
{
    QProcess lookup;
    lookup.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, service, u"user"_s, key});
    lookup.waitForFinished(10000);
    return lookup.exitCode() == 0 ? lookup.readAllStandardOutput() : QByteArray();
}

/// How many URLs QDesktopServices::openUrl handed to the harness browser so far.
int browserLaunches()
{
    QFile log(harnessValue("LATCHKEY_TEST_LOG_DIR") + u"/browser-openurl.log"_s);
    if (!log.open(QIODevice::ReadOnly))
        return 0;
    return int(log.readAll().count("latchkey-browser: open "));
}

/// Every byte of the database file and its WAL/SHM siblings.
QByteArray databaseBytes(const QString &dataDir)
{
    QByteArray bytes;
    const QDir dir(dataDir);
    for (const QString &name : dir.entryList({u"latchkey.db*"_s}, QDir::Files)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

struct GrantAnswer
{
    int status = 0;
    QString error;
};

/// A refresh_token grant at the provider's token endpoint (RFC 6749 §6), as any client would.
GrantAnswer refreshGrant(const QString &issuer, const QString &clientId, const QString &secret,
                         const QByteArray &refreshToken)
{
    QNetworkAccessManager http;
    http.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(QUrl(issuer + u"/token"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    QUrlQuery form;
    form.addQueryItem(u"grant_type"_s, u"refresh_token"_s);
    form.addQueryItem(u"refresh_token"_s, QString::fromUtf8(refreshToken));
    form.addQueryItem(u"client_id"_s, clientId);
    if (!secret.isEmpty())
        form.addQueryItem(u"client_secret"_s, secret);
    std::unique_ptr<QNetworkReply> reply(
            http.post(request, form.toString(QUrl::FullyEncoded).toUtf8()));
    if (!QTest::qWaitFor([&reply]() { return reply->isFinished(); }, 10000))
        return {};
    GrantAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = QJsonDocument::fromJson(reply->readAll()).object().value(u"error"_s).toString();
    return answer;
}

} // namespace

class TestOidcEndToEnd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void signInRestoreAndSignOut_data();
    void signInRestoreAndSignOut();
    void denyAtProviderReturnsToSignIn();
    void emailUserLinksProviderFromProfile();

private:
    Options config();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_service;
    QString m_issuer;
};

void TestOidcEndToEnd::initTestCase()
{
    harnessValue("DBUS_SESSION_BUS_ADDRESS");
    harnessValue("LATCHKEY_TEST_BROWSER");
    m_issuer = harnessValue("LATCHKEY_TEST_OIDC_ISSUER");
}

void TestOidcEndToEnd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // A keychain service of its own per row, so each starts without a stored session.
    m_service = u"latchkey-oidc-e2e-%1-%2-%3"_s.arg(QCoreApplication::applicationPid())
                        .arg(QString::fromLatin1(QTest::currentTestFunction()),
                             QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
}

void TestOidcEndToEnd::cleanup()
{
    qunsetenv("LATCHKEY_TEST_BROWSER_DENY");
    qunsetenv("LATCHKEY_TEST_BROWSER_LOGIN");
    m_dir.reset();
}

Options TestOidcEndToEnd::config()
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, m_dir->path());
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"config"_s));
    env.insert(u"LATCHKEY_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    env.insert(u"LATCHKEY_KEYCHAIN_SERVICE"_s, m_service);
    env.insert(u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER"_s, u"1"_s);
    env.insert(u"OIDC_PROVIDERS"_s, u"test,acme"_s);
    // A public client (PKCE only) …
    env.insert(u"OIDC_TEST_ISSUER"_s, m_issuer);
    env.insert(u"OIDC_TEST_CLIENT_ID"_s, u"latchkey-public"_s);
    env.insert(u"OIDC_TEST_LABEL"_s, u"Test ID"_s);
    env.insert(u"OIDC_TEST_SCOPES"_s, u"openid email profile offline_access"_s);
    // … and a Google-like "Desktop app" client whose secret is not a secret.
    env.insert(u"OIDC_ACME_ISSUER"_s, m_issuer);
    env.insert(u"OIDC_ACME_CLIENT_ID"_s, u"latchkey-desktop"_s);
    env.insert(u"OIDC_ACME_CLIENT_SECRET"_s, u"desktop-not-secret"_s);
    env.insert(u"OIDC_ACME_LABEL"_s, u"Acme"_s);
    env.insert(u"OIDC_ACME_SCOPES"_s, u"openid email profile offline_access"_s);
    return configFrom(env);
}

void TestOidcEndToEnd::signInRestoreAndSignOut_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("login");
    QTest::addColumn<QString>("name");
    QTest::newRow("public client, PKCE") << u"test"_s << u"Test ID"_s << u"latchkey-public"_s
                                         << QString() << u"alice"_s << u"Alice"_s;
    QTest::newRow("desktop client with secret") << u"acme"_s << u"Acme"_s << u"latchkey-desktop"_s
                                                << u"desktop-not-secret"_s << u"bob"_s << u"Bob"_s;
}

void TestOidcEndToEnd::signInRestoreAndSignOut()
{
    QFETCH(QString, provider);
    QFETCH(QString, label);
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(QString, login);
    QFETCH(QString, name);
    const QString email = login + u"@example.com"_s;
    qputenv("LATCHKEY_TEST_BROWSER_LOGIN", login.toUtf8()); // openUrl cannot pass --login
    const Options cfg = config();
    QByteArray refreshToken;
    QString refreshKey;
    QString accessKey;
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        QList<QWidget *> shown;
        watchPages(window, this, [&shown](QWidget *page) { shown.append(page); });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Profile is gated: signed out, the sign-in page comes first and says why.
        window.start(gui::View::Profile);
        auto *signIn = signInPage(window, u"signInPage"_s);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(signIn), 10000);
        QVERIFY(signIn->findChild<QLabel *>(u"returnHint"_s)->text().contains(u"Profile"_s));

        auto *button = signIn->findChild<QPushButton *>(u"provider_"_s + provider);
        QVERIFY(button);
        QCOMPARE(button->text(), u"Sign in with "_s + label);
        const int launchesBefore = browserLaunches();
        QTest::mouseClick(button, Qt::LeftButton);

        auto *waiting = signInPage(window, u"waitingPage"_s);
        QVERIFY(waiting);
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(currentPage(window)), kBrowserMs);
        QVERIFY2(shown.contains(waiting), "the waiting page was never shown");
        // The browser was reached through QDesktopServices::openUrl, exactly once.
        QCOMPARE(browserLaunches(), launchesBefore + 1);

        auto *profile = qobject_cast<gui::ProfilePage *>(currentPage(window));
        QCOMPARE(profile->findChild<QLabel *>(u"name"_s)->text(), name);
        QCOMPARE(profile->findChild<QLabel *>(u"email"_s)->text(), email);
        auto *methods = profile->findChild<QAbstractItemView *>(u"methods"_s);
        QCOMPARE(methods->model()->rowCount(), 1);
        // The provider by its label, never its id or issuer.
        const QModelIndex method = methods->model()->index(0, 0);
        QCOMPARE(method.data().toString(), label);
        const QString details = method.data(gui::SecondaryTextRole).toString();
        QVERIFY2(!details.contains(m_issuer), qPrintable(details));
        // How current the provider's details are: as of this sign-in.
        QVERIFY2(details.contains(u"updated just now"_s), qPrintable(details));

        // Provider tokens are in the OS keyring, never in SQLite (docs/architecture.md).
        const auto session = app->session();
        QVERIFY(session);
        QCOMPARE(session->accounts.size(), 1);
        const QString accountId = QString::number(session->accounts.first().id);
        // The entry names an administrator sees in the keyring: tok/<provider>/<account>/<purpose>.
        refreshKey = u"tok/%1/%2/refresh"_s.arg(provider, accountId);
        accessKey = u"tok/%1/%2/access"_s.arg(provider, accountId);
        // They are written right after the session (docs/architecture.md): wait for them.
        QTRY_VERIFY_WITH_TIMEOUT(keyringValue(m_service, refreshKey).size() >= 20, 10000);
        refreshToken = keyringValue(m_service, refreshKey);
        const QByteArray accessToken = keyringValue(m_service, accessKey);
        QVERIFY2(accessToken.size() >= 20, "no access token in the keyring");
        QCOMPARE(keyringSessionEntries(m_service), QStringList{sessionEntry(session->user.id)});
        const QByteArray onDisk = databaseBytes(cfg.dataDir);
        QVERIFY(onDisk.size() > 0);
        QVERIFY2(!onDisk.contains(refreshToken), "the refresh token is in the SQLite file");
        QVERIFY2(!onDisk.contains(accessToken), "the access token is in the SQLite file");
    }

    // A new app: the session comes back from the keychain, no browser, no prompt.
    const int launchesBefore = browserLaunches();
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        window.show();
        window.start(gui::View::Home);
        auto *home = window.findChild<gui::HomePage *>();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(home), 10000);
        QCOMPARE(home->findChild<QLabel *>(u"signedInAs"_s)->text(), u"Signed in as "_s + email);
        QCOMPARE(browserLaunches(), launchesBefore);

        // Sign out: keychain entries gone, and the refresh token dead at the provider.
        QTest::mouseClick(home->findChild<QPushButton *>(u"signOutButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window),
                                  static_cast<QWidget *>(signInPage(window, u"signInPage"_s)),
                                  15000);
        QCOMPARE(app->state(), Client::State::SignedOut);
        // The window shows sign-in as soon as the session is gone; revocation and the erasing of
        // the provider tokens follow in the background.
        QTRY_VERIFY_WITH_TIMEOUT(keyringValue(m_service, refreshKey).isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(keyringValue(m_service, accessKey).isEmpty(), 10000);
        QVERIFY(keyringSessionEntries(m_service).isEmpty());
    }
    const GrantAnswer answer = refreshGrant(m_issuer, clientId, secret, refreshToken);
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.error, u"invalid_grant"_s); // RFC 7009: revoked at sign-out
}

void TestOidcEndToEnd::denyAtProviderReturnsToSignIn()
{
    qputenv("LATCHKEY_TEST_BROWSER_DENY", "1"); // the browser presses Cancel at the provider
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    QList<QWidget *> shown;
    watchPages(window, this, [&shown](QWidget *page) { shown.append(page); });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.start();
    auto *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(signIn), 10000);
    shown.clear();
    QTest::mouseClick(signIn->findChild<QPushButton *>(u"provider_test"_s), Qt::LeftButton);

    auto *error = signIn->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!error->text().isEmpty(), kBrowserMs);
    QVERIFY2(error->text().contains(u"cancelled"_s), qPrintable(error->text()));
    QCOMPARE(currentPage(window), static_cast<QWidget *>(signIn));
    QVERIFY2(shown.contains(signInPage(window, u"waitingPage"_s)),
             "the waiting page was never shown");
    QVERIFY(signIn->findChild<QPushButton *>(u"provider_test"_s)->isEnabled());
    QCOMPARE(app->state(), Client::State::SignedOut);
    QVERIFY(keyringSessionEntries(m_service).isEmpty());
}

// docs/security.md: an email that belongs to another user is never linked automatically. The person
// is refused, signs in with the existing method, links the provider from Profile, and from then on
// the provider signs them in to the same user.
void TestOidcEndToEnd::emailUserLinksProviderFromProfile()
{
    qputenv("LATCHKEY_TEST_BROWSER_LOGIN", "dave"); // the provider says dave@example.com
    // Two app instances on the same database with their own keychain entries: A signs in by
    // email, B stays signed out (a second device, or A after signing out).
    const Options configA = config();
    m_service += u"-b"_s;
    const Options configB = config();
    auto appA = makeClient(configA);
    auto appB = makeClient(configB);
    gui::MainWindow windowA(*appA);
    gui::MainWindow windowB(*appB);
    windowA.show();
    windowA.start();

    // Dave signs in by email on A (the developer outbox: no SMTP server is configured).
    auto *signInA = signInPage(windowA, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(windowA), static_cast<QWidget *>(signInA), 10000);
    QTest::keyClicks(signInA->findChild<QLineEdit *>(u"emailEdit"_s), u"dave@example.com"_s);
    QTest::mouseClick(signInA->findChild<QPushButton *>(u"emailButton"_s), Qt::LeftButton);
    auto *check = signInPage(windowA, u"checkEmailPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(windowA), static_cast<QWidget *>(check), 10000);
    const QString code = mailIn(appA->latestOutboxMessage()).value(u"code"_s).toString();
    QCOMPARE(code.size(), 6);
    auto *codeEdit = check->findChild<QLineEdit *>(u"codeEdit"_s);
    QTest::keyClicks(codeEdit, code);
    QTest::keyClick(codeEdit, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(currentPage(windowA)), 10000);
    const qint64 daveId = appA->session()->user.id;

    // On B the provider sign-in with the same verified address is refused, nothing created.
    windowB.show();
    windowB.start();
    auto *signInB = signInPage(windowB, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(windowB), static_cast<QWidget *>(signInB), 10000);
    QTest::mouseClick(signInB->findChild<QPushButton *>(u"provider_test"_s), Qt::LeftButton);
    auto *errorB = signInB->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(errorB->text().contains(u"already belongs"_s), kBrowserMs);
    QCOMPARE(currentPage(windowB), static_cast<QWidget *>(signInB));
    QCOMPARE(appB->state(), Client::State::SignedOut);

    // On A, signed in, Dave links the provider from Profile; A keeps its session.
    windowA.openView(gui::View::Profile);
    auto *profile = qobject_cast<gui::ProfilePage *>(currentPage(windowA));
    QVERIFY(profile);
    QCOMPARE(profile->findChild<QAbstractItemView *>(u"methods"_s)->model()->rowCount(), 1);
    QVERIFY(profile->findChild<QPushButton *>(u"link_test"_s));
    QTest::mouseClick(profile->findChild<QPushButton *>(u"link_test"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(currentPage(windowA)) &&
                                     currentPage(windowA)
                                                     ->findChild<QAbstractItemView *>(u"methods"_s)
                                                     ->model()
                                                     ->rowCount() == 2,
                             kBrowserMs);
    QVERIFY(!currentPage(windowA)->findChild<QPushButton *>(u"link_test"_s));
    QCOMPARE(appA->session()->user.id, daveId);

    // From now on the provider signs Dave in to the same user on B, with no email.
    errorB->clear();
    QTest::mouseClick(signInB->findChild<QPushButton *>(u"provider_test"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(currentPage(windowB)), kBrowserMs);
    QCOMPARE(appB->session()->user.id, daveId);
}

QTEST_MAIN(TestOidcEndToEnd)
#include "tst_oidc_e2e.moc"
