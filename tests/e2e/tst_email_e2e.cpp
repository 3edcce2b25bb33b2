// The first complete path through the product, with the real keyring, SQLite file and SMTP sink:
// type an address → the message arrives → the link (or the code) signs in → the Dashboard the user
// asked for shows → a new app process restores the session → sign out erases it.

#include "e2ehelpers.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

class TestEmailEndToEnd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void linkSignsInAndSurvivesRestart();
    void typedCodeSignsIn();
    void linkStillWorksAfterRestart();
    void smtpDownLeavesNothingBehind();
    void windowAsksBeforeAnotherPersonsLinkSignsIn_data();
    void windowAsksBeforeAnotherPersonsLinkSignsIn();
    void windowSaysWhenToTryAgain_data();
    void windowSaysWhenToTryAgain();
    void signOutFromTheCommandLineClosesTheView();

private:
    QProcessEnvironment environment(const QStringList &extra = {});
    Options config(const QStringList &extra = {});
    void requestEmail(gui::MainWindow &window, const QString &address);
    void signInByCode(const Options &cfg, const QString &address);
    int countRows(const QString &table);
    bool execute(const QString &sql);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_service;
};

void TestEmailEndToEnd::initTestCase()
{
    QGuiApplication::setApplicationDisplayName(u"Latchkey"_s); // as the app does (guiapp.cpp)
    harnessValue("LATCHKEY_TEST_MAILDIR");
    harnessValue("DBUS_SESSION_BUS_ADDRESS");
}

void TestEmailEndToEnd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    // A keychain service of its own, so each test starts without a stored session.
    m_service = u"latchkey-e2e-%1"_s.arg(QCoreApplication::applicationPid()) + u"-"_s +
            QString::fromLatin1(QTest::currentTestFunction());
}

void TestEmailEndToEnd::cleanup() { m_dir.reset(); }

QProcessEnvironment TestEmailEndToEnd::environment(const QStringList &extra)
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, m_dir->path());
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"config"_s));
    env.insert(u"LATCHKEY_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    env.insert(u"LATCHKEY_KEYCHAIN_SERVICE"_s, m_service);
    // STARTTLS with the harness's own CA: the way a real mail provider is reached.
    env.insert(u"EMAIL_SERVER"_s,
               u"smtp://127.0.0.1:%1"_s.arg(harnessValue("LATCHKEY_TEST_SMTP_STARTTLS_PORT")));
    env.insert(u"EMAIL_CA_FILE"_s, harnessValue("LATCHKEY_TEST_CA_FILE"));
    env.insert(u"EMAIL_USERNAME"_s, harnessValue("LATCHKEY_TEST_SMTP_USER"));
    env.insert(u"EMAIL_PASSWORD"_s, harnessValue("LATCHKEY_TEST_SMTP_PASSWORD"));
    env.insert(u"EMAIL_FROM"_s, u"Latchkey <no-reply@example.com>"_s);
    for (const QString &pair : extra)
        env.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    return env;
}

Options TestEmailEndToEnd::config(const QStringList &extra)
{
    return configFrom(environment(extra));
}

void TestEmailEndToEnd::requestEmail(gui::MainWindow &window, const QString &address)
{
    auto *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE(currentPage(window), signIn);
    auto *edit = signIn->findChild<QLineEdit *>(u"emailEdit"_s);
    edit->clear();
    QTest::keyClicks(edit, address);
    QTest::mouseClick(signIn->findChild<QPushButton *>(u"emailButton"_s), Qt::LeftButton);
}

int TestEmailEndToEnd::countRows(const QString &table)
{
    const QString name = u"count-"_s + table;
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_dir->filePath(u"data/latchkey.db"_s));
        if (db.open()) {
            QSqlQuery query(u"SELECT count(*) FROM "_s + table, db);
            if (query.next())
                count = query.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

bool TestEmailEndToEnd::execute(const QString &sql)
{
    bool done = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"seed"_s);
        db.setDatabaseName(m_dir->filePath(u"data/latchkey.db"_s));
        done = db.open() && QSqlQuery(db).exec(sql);
    }
    QSqlDatabase::removeDatabase(u"seed"_s);
    return done;
}

/// Signs `address` in through the window, with the code from the real email.
void TestEmailEndToEnd::signInByCode(const Options &cfg, const QString &address)
{
    auto app = makeClient(cfg);
    gui::MainWindow window(*app);
    window.show();
    window.start();
    requestEmail(window, address);
    auto *check = signInPage(window, u"checkEmailPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == check, 15000);
    auto *codeEdit = check->findChild<QLineEdit *>(u"codeEdit"_s);
    QTest::keyClicks(codeEdit, newestMail().value(u"code"_s).toString());
    QTest::keyClick(codeEdit, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(currentPage(window)), 10000);
    QCOMPARE(app->session()->user.email, address);
}

void TestEmailEndToEnd::linkSignsInAndSurvivesRestart()
{
    const Options cfg = config();
    const int before = mailCount();
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Asking for the Dashboard while signed out goes to sign-in first (callbackUrl).
        window.start(gui::View::Dashboard);
        auto *signIn = signInPage(window, u"signInPage"_s);
        QTRY_COMPARE(currentPage(window), signIn);
        QVERIFY(signIn->findChild<QLabel *>(u"returnHint"_s)->text().contains(u"Dashboard"_s));
        const QString shot = qEnvironmentVariable("LATCHKEY_BINARY_DIR") + u"/signin-window.png"_s;
        QVERIFY(window.grab().save(shot));

        requestEmail(window, u"  Ada@Example.COM "_s);
        QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == signInPage(window, u"checkEmailPage"_s),
                                 15000);
        QCOMPARE(mailCount(), before + 1);
        const QJsonObject mail = newestMail();
        QCOMPARE(mail.value(u"rcpt_tos"_s).toArray().first().toString(), u"ada@example.com"_s);
        QVERIFY(mail.value(u"tls"_s).toBool());
        QVERIFY(mail.value(u"subject"_s).toString().contains(u"Latchkey"_s));
        QCOMPARE(mail.value(u"code"_s).toString().size(), 6);
        const QUrl link(mail.value(u"link"_s).toString());
        QCOMPARE(link.host(), u"127.0.0.1"_s);
        QCOMPARE(QUrl(mail.value(u"html_link"_s).toString()), link);

        // The user clicks the link: a real HTTP client against the app's loopback listener.
        QNetworkAccessManager http;
        std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(link)));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
        QVERIFY(reply->readAll().contains("Signed in"));
        // The tab was answered only once the session existed (in the real keyring too).
        QCOMPARE(app->state(), Client::State::SignedIn);
        QVERIFY(keyringHas(m_service, sessionEntry(app->session()->user.id)));

        // … and lands on the Dashboard it asked for, with protected data.
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(currentPage(window)), 10000);
        QCOMPARE(app->state(), Client::State::SignedIn);
        QCOMPARE(keyringSessionEntries(m_service),
                 QStringList{sessionEntry(app->session()->user.id)});
        QCOMPARE(countRows(u"sessions"_s), 1);
        QCOMPARE(countRows(u"verification_tokens"_s), 0); // single use

        // The link again: the listener is closed after the first valid callback.
        std::unique_ptr<QNetworkReply> again(http.get(QNetworkRequest(link)));
        QTRY_VERIFY_WITH_TIMEOUT(again->isFinished(), 10000);
        QVERIFY(again->error() != QNetworkReply::NoError);
        QCOMPARE(app->state(), Client::State::SignedIn);
    }

    // A new app process: the session comes back from the keychain with no prompt and no email.
    const int mailsBefore = mailCount();
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        window.show();
        window.start();
        // It opens on the view open when the last one quit: the Dashboard.
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::DashboardPage *>(currentPage(window)), 10000);
        QCOMPARE(mailCount(), mailsBefore);
        window.openView(gui::View::Home);
        auto *home = window.findChild<gui::HomePage *>();
        QCOMPARE(currentPage(window), static_cast<QWidget *>(home));
        QCOMPARE(home->findChild<QLabel *>(u"signedInAs"_s)->text(),
                 u"Signed in as ada@example.com"_s);

        // Profile opens through the gate and lists the email sign-in method.
        QTest::mouseClick(home->findChild<QPushButton *>(u"profileButton"_s), Qt::LeftButton);
        QTRY_VERIFY(qobject_cast<gui::ProfilePage *>(currentPage(window)));

        // Sign out: session row, keychain entry and cached session are gone.
        window.openView(gui::View::Home);
        QTest::mouseClick(home->findChild<QPushButton *>(u"signOutButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window),
                                  static_cast<QWidget *>(signInPage(window, u"signInPage"_s)),
                                  10000);
        QCOMPARE(app->state(), Client::State::SignedOut);
        QVERIFY(!app->session());
        QVERIFY(keyringSessionEntries(m_service).isEmpty());
        QCOMPARE(countRows(u"sessions"_s), 0);
        // The gate is closed now.
        QCOMPARE(app->protectedData().error().kind, ErrorKind::Unauthorized);
    }
}

void TestEmailEndToEnd::typedCodeSignsIn()
{
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    window.show();
    window.start();
    requestEmail(window, u"grace@example.org"_s);
    auto *check = signInPage(window, u"checkEmailPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == check, 15000);
    const QString code = newestMail().value(u"code"_s).toString();
    QCOMPARE(code.size(), 6);

    auto *codeEdit = check->findChild<QLineEdit *>(u"codeEdit"_s);
    const QString wrong = code == u"000000"_s ? u"111111"_s : u"000000"_s;
    QTest::keyClicks(codeEdit, wrong);
    QTest::keyClick(codeEdit, Qt::Key_Return);
    auto *error = check->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY(error->text().contains(u"not right"_s));
    QCOMPARE(currentPage(window), static_cast<QWidget *>(check));

    codeEdit->clear();
    QTest::keyClicks(codeEdit, code);
    QTest::keyClick(codeEdit, Qt::Key_Return);
    auto *home = window.findChild<gui::HomePage *>();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(home), 10000);
    QVERIFY(keyringHas(m_service, sessionEntry(app->session()->user.id)));
    window.openView(gui::View::Dashboard);
    QVERIFY(qobject_cast<gui::DashboardPage *>(currentPage(window)));
}

void TestEmailEndToEnd::linkStillWorksAfterRestart()
{
    const Options cfg = config();
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        window.show();
        window.start();
        requestEmail(window, u"restart@example.com"_s);
        QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == signInPage(window, u"checkEmailPage"_s),
                                 15000);
    } // the app quits while the email is on its way

    const QUrl link(newestMail().value(u"link"_s).toString());
    QVERIFY(link.port() > 0);
    auto app = makeClient(cfg);
    gui::MainWindow window(*app);
    window.show();
    window.start();
    // The restarted app is back on "Check your email", listening on the link's port again.
    auto *check = signInPage(window, u"checkEmailPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(check), 10000);
    QVERIFY(check->findChild<QLabel *>(u"sentTo"_s)->text().contains(u"restart@example.com"_s));
    QNetworkAccessManager http;
    std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(link)));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(currentPage(window)), 10000);
    QCOMPARE(app->session()->user.email, u"restart@example.com"_s);
}

void TestEmailEndToEnd::smtpDownLeavesNothingBehind()
{
    // Nothing listens on port 1: the mail server is down.
    auto app = makeClient(config({u"EMAIL_SERVER=smtp://127.0.0.1:1"_s}));
    gui::MainWindow window(*app);
    window.show();
    window.start();
    const int before = mailCount();
    requestEmail(window, u"lin@example.net"_s);
    auto *signIn = signInPage(window, u"signInPage"_s);
    auto *error = signIn->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!error->text().isEmpty(), 15000);
    QVERIFY2(error->text().contains(u"127.0.0.1:1"_s), qPrintable(error->text()));
    QCOMPARE(currentPage(window), static_cast<QWidget *>(signIn));
    QCOMPARE(mailCount(), before);
    QCOMPARE(countRows(u"users"_s), 0);
    QCOMPARE(countRows(u"verification_tokens"_s), 0);
    QCOMPARE(countRows(u"email_send_log"_s), 0); // the user may retry at once
}

void TestEmailEndToEnd::windowAsksBeforeAnotherPersonsLinkSignsIn_data()
{
    QTest::addColumn<bool>("switches");
    QTest::newRow("stay signed in (Enter)") << false;
    QTest::newRow("switch (Tab, Space)") << true;
}

void TestEmailEndToEnd::windowAsksBeforeAnotherPersonsLinkSignsIn()
{
    // Ann is signed in on this computer. An email sign-in for Ben was asked for (here by a
    // program on the library, which then quit) and the window picks it up at its next start.
    // Ben's link must not silently replace Ann's session: the window asks.
    QFETCH(bool, switches);
    const Options cfg = config();
    signInByCode(cfg, u"ann@example.com"_s);
    if (QTest::currentTestFailed())
        return;
    {
        auto other = makeClient(cfg);
        QTRY_COMPARE_WITH_TIMEOUT(other->state(), Client::State::SignedIn, 10000);
        QSignalSpy sent(other.get(), &Client::emailSent);
        other->signInWithEmail(u"ben@example.com"_s);
        QVERIFY(sent.wait(15000));
    }
    const QUrl link(newestMail().value(u"link"_s).toString());
    QVERIFY(link.port() > 0);

    auto app = makeClient(cfg);
    gui::MainWindow window(*app);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.start();
    auto *home = window.findChild<gui::HomePage *>();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(home), 10000);
    // Ben opens his link. The window listens on its port again once the install secret is loaded.
    QNetworkAccessManager http;
    std::unique_ptr<QNetworkReply> reply;
    const auto asking = [&window]() {
        return window.findChild<QMessageBox *>(u"switchAccountQuestion"_s) != nullptr;
    };
    for (int attempt = 0; attempt < 100; ++attempt) {
        reply.reset(http.get(QNetworkRequest(link)));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished() || asking(); }, 5000));
        if (!reply->isFinished() || reply->error() != QNetworkReply::ConnectionRefusedError)
            break;
        QTest::qWait(100);
    }
    // The tab is held while the window asks: it tells how the sign-in ended once answered.
    QVERIFY(!reply->isFinished());

    QMessageBox *question = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (question = window.findChild<QMessageBox *>(u"switchAccountQuestion"_s)), 10000);
    QTRY_VERIFY(question->isVisible());
    QVERIFY2(question->text().contains(u"ben@example.com"_s), qPrintable(question->text()));
    QVERIFY2(question->informativeText().contains(u"ann@example.com"_s),
             qPrintable(question->informativeText()));
    // Nothing has changed yet.
    QCOMPARE(app->session()->user.email, u"ann@example.com"_s);
    QCOMPARE(countRows(u"users"_s), 1);
    const QString shot = qEnvironmentVariable("LATCHKEY_BINARY_DIR") + u"/switch-account.png"_s;
    QVERIFY(question->grab().save(shot));

    auto *stay = question->findChild<QPushButton *>(u"staySignedInButton"_s);
    QTRY_VERIFY(stay->hasFocus());
    if (switches)
        QTest::keyClick(stay, Qt::Key_Tab);
    QTest::keyClick(QApplication::focusWidget(), switches ? Qt::Key_Space : Qt::Key_Return);
    const QString expected = switches ? u"ben@example.com"_s : u"ann@example.com"_s;
    QTRY_COMPARE_WITH_TIMEOUT(app->session()->user.email, expected, 10000);
    QTRY_COMPARE(currentPage(window), static_cast<QWidget *>(home));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
             switches ? 200 : 400); // "Signed in" only when Ben's sign-in really happened
    QCOMPARE(home->findChild<QLabel *>(u"signedInAs"_s)->text(), u"Signed in as "_s + expected);
    QCOMPARE(countRows(u"users"_s), switches ? 2 : 1);
    // Switching adds Ben as the active account; Ann stays signed in on this computer.
    QCOMPARE(countRows(u"sessions"_s), switches ? 2 : 1);
    QCOMPARE(countRows(u"verification_tokens"_s), 0);
    QCOMPARE(keyringSessionEntries(m_service).size(), switches ? 2 : 1);
    QVERIFY(keyringHas(m_service, sessionEntry(app->session()->user.id)));

    // A new app process comes back as the person chosen.
    auto again = makeClient(cfg);
    QTRY_COMPARE_WITH_TIMEOUT(again->state(), Client::State::SignedIn, 10000);
    QCOMPARE(again->session()->user.email, expected);
}

void TestEmailEndToEnd::windowSaysWhenToTryAgain_data()
{
    // Rows seeded into the real database file before the window asks for an email.
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("seed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("address cooling down after wrong codes")
            << u"cool@example.com"_s
            << u"INSERT INTO email_failures (identifier, consecutive, cooldowns, locked_until, "
               u"expires, updated_at) VALUES ('cool@example.com', 0, 1, strftime('%s','now') + "
               u"900, strftime('%s','now') + 86400, strftime('%s','now'))"_s
            << u"ask for a new email in 15 minute"_s;
    QTest::newRow("30 emails sent this hour")
            << u"fresh@example.com"_s
            << u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30) "
               u"INSERT INTO email_send_log (identifier, sent_at) SELECT 'p' || i || "
               u"'@example.com', strftime('%s','now') FROM n"_s
            << u"ask for another in 60 minute"_s;
}

void TestEmailEndToEnd::windowSaysWhenToTryAgain()
{
    QFETCH(QString, address);
    QFETCH(QString, seed);
    QFETCH(QString, expected);
    auto app = makeClient(config()); // creates the database
    QVERIFY(execute(seed));
    gui::MainWindow window(*app);
    window.show();
    window.start();
    const int before = mailCount();
    requestEmail(window, address);
    auto *signIn = signInPage(window, u"signInPage"_s);
    auto *error = signIn->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!error->text().isEmpty(), 15000);
    QVERIFY2(error->text().contains(expected), qPrintable(error->text()));
    QCOMPARE(mailCount(), before);
}

// Signed out by another process (the command line here; another window the same way): the
// window notices within seconds, closes the protected view and says what happened.
void TestEmailEndToEnd::signOutFromTheCommandLineClosesTheView()
{
    const Options cfg = config();
    auto app = makeClient(cfg);
    gui::MainWindow window(*app);
    window.show();
    window.start();
    requestEmail(window, u"ada@example.org"_s);
    auto *check = signInPage(window, u"checkEmailPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == check, 15000);
    QTest::keyClicks(check->findChild<QLineEdit *>(u"codeEdit"_s),
                     newestMail().value(u"code"_s).toString());
    QTest::keyClick(check->findChild<QLineEdit *>(u"codeEdit"_s), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(currentPage(window)), 10000);
    window.openView(gui::View::Profile);
    QVERIFY(qobject_cast<gui::ProfilePage *>(currentPage(window)));

    QProcess cli;
    QProcessEnvironment env = environment();
    env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, harnessValue("DBUS_SESSION_BUS_ADDRESS"));
    cli.setProcessEnvironment(env);
    cli.start(qEnvironmentVariable("LATCHKEY_EXECUTABLE"), {u"signout"_s});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);

    auto *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, 5000);
    QCOMPARE(app->state(), Client::State::SignedOut);
    QVERIFY(signIn->findChild<QLabel *>(u"returnHint"_s)->text().contains(u"signed out"_s));
    QVERIFY(!window.findChild<gui::ProfilePage *>());
}

QTEST_MAIN(TestEmailEndToEnd)
#include "tst_email_e2e.moc"
