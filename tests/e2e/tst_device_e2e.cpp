// Sign-in on another device (RFC 8628) in the real window, end to end, the way a person does it:
// signed out, the window asks for Profile → "Sign in on another device" → the device page shows
// an address and a code → the "other device" (the harness browser, real Chromium) opens that
// address, types the code and approves (or declines) at the real oidc-provider → Profile. Then
// the session is in the real keyring and a new app restores it. Also: a declined code, a code
// that expires (and a new one), slow_down from the provider, and Cancel/Esc that stop polling.
//
// Each test starts its own provider (tests/harness/oidc/provider.mjs) with the device-flow knobs it
// needs (LATCHKEY_TEST_OIDC_DEVICE_*: a 1-second interval, a short code lifetime, slow_down), so
// nothing waits for RFC 8628's default 5 s and the shared harness provider is left alone.

#include "e2ehelpers.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

// node + chromium + code + confirm + login + consent; a bound for a hang, not a speed check.
constexpr int kBrowserMs = 60000;
constexpr int kPageMs = 10000;
const QString kLogin = u"dave"_s;
const QString kEmail = u"dave@example.com"_s;

/// A free loopback port for a provider of our own.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("no free port");
    return probe.serverPort();
}

/// The text a label shows, rich text included, as a person reads it.
QString shownText(const QLabel *label)
{
    if (label->textFormat() == Qt::PlainText)
        return label->text();
    QTextDocument document;
    document.setHtml(label->text());
    return document.toPlainText();
}

} // namespace

class TestDeviceEndToEnd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    // The first four share a provider (same knobs); the others start one of their own.
    void approveSignsInAndARestartRestores();
    void denyShowsWhyAndOffersTheLinkAgain();
    void cancelStopsPollingTheCode();
    void koreanScreenshots();
    void anExpiredCodeIsReplacedByANewOne();
    void slowDownStillSignsIn();

private:
    /// Starts the provider on a new port with these device-flow knobs ("NAME=value").
    void startProvider(const QStringList &knobs);
    void stopProvider();
    QString providerLog();
    /// How many times the provider's token endpoint was polled with a device code that was not
    /// approved yet (oidc-provider logs each such answer as a grant error).
    int polls();
    Options config() const;
    /// Opens the window signed out (asking for Profile) and presses "Sign in on another device".
    void openDevicePage(gui::MainWindow &window);
    /// What the device page shows: the address to open and the code to type.
    void readDevicePage(gui::MainWindow &window, QString *address, QString *code);
    /// The other device: opens `address` in Chromium, types `code`, logs in and approves (or
    /// declines). Keeps the event loop running, so the window polls meanwhile.
    QJsonObject otherDevice(const QString &address, const QString &code, bool deny = false);
    void screenshots(gui::MainWindow &window, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_provider;
    QByteArray m_providerLog;
    qsizetype m_logStart = 0; // where the current test's part of m_providerLog begins
    QStringList m_knobs;
    QString m_issuer;
    QString m_service;
};

void TestDeviceEndToEnd::initTestCase()
{
    harnessValue("DBUS_SESSION_BUS_ADDRESS");
    harnessValue("LATCHKEY_TEST_BROWSER");
    QGuiApplication::setApplicationDisplayName(u"Latchkey"_s);
}

void TestDeviceEndToEnd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The page passes its URLs to Qt in ways Qt accepts (no "QUrl: … not permitted" warnings).
    QTest::failOnWarning(QRegularExpression(u"^QUrl"_s));
    // A keychain service of its own per test, so each starts without a stored session.
    m_service = u"latchkey-device-e2e-%1-%2"_s.arg(QCoreApplication::applicationPid())
                        .arg(QString::fromLatin1(QTest::currentTestFunction()));
}

void TestDeviceEndToEnd::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning("provider log:\n%s", qPrintable(providerLog()));
    m_dir.reset();
}

void TestDeviceEndToEnd::cleanupTestCase() { stopProvider(); }

void TestDeviceEndToEnd::stopProvider()
{
    if (m_provider) {
        m_provider->terminate();
        m_provider->waitForFinished(5000);
    }
    m_provider.reset();
    m_providerLog.clear();
    m_knobs.clear();
}

void TestDeviceEndToEnd::startProvider(const QStringList &knobs)
{
    if (m_provider && knobs == m_knobs) {
        // Same knobs: the running provider serves this test too; its log starts here.
        m_providerLog += m_provider->readAll();
        m_logStart = m_providerLog.size();
        return;
    }
    stopProvider();
    m_knobs = knobs;
    m_logStart = 0;
    const quint16 port = freePort();
    m_issuer = u"http://127.0.0.1:%1"_s.arg(port);
    m_provider = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &knob : knobs)
        env.insert(knob.section(u'=', 0, 0), knob.section(u'=', 1));
    m_provider->setProcessEnvironment(env);
    m_provider->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_provider.get(), &QProcess::readyRead, this,
            [this]() { m_providerLog += m_provider->readAll(); });
    m_provider->start(u"node"_s,
                      {harnessValue("LATCHKEY_SOURCE_DIR") + u"/tests/harness/oidc/provider.mjs"_s,
                       u"--port"_s, QString::number(port)});
    QTRY_VERIFY_WITH_TIMEOUT(m_providerLog.contains("oidc-provider ready"), 20000);
}

QString TestDeviceEndToEnd::providerLog()
{
    m_providerLog += m_provider->readAll();
    return QString::fromUtf8(m_providerLog.mid(m_logStart));
}

int TestDeviceEndToEnd::polls()
{
    return int(providerLog().count(u"grant.error: authorization_pending"_s));
}

Options TestDeviceEndToEnd::config() const
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, m_dir->path());
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"config"_s));
    env.insert(u"LATCHKEY_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    env.insert(u"LATCHKEY_KEYCHAIN_SERVICE"_s, m_service);
    env.insert(u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER"_s, u"1"_s);
    env.insert(u"OIDC_PROVIDERS"_s, u"dev"_s);
    env.insert(u"OIDC_DEV_ISSUER"_s, m_issuer);
    env.insert(u"OIDC_DEV_CLIENT_ID"_s, u"latchkey-public"_s);
    env.insert(u"OIDC_DEV_LABEL"_s, u"Device ID"_s);
    env.insert(u"OIDC_DEV_SCOPES"_s, u"openid email profile"_s);
    return configFrom(env);
}

/// The visible push button that reads `text`, found as a person finds it: by what it says.
static QPushButton *buttonReading(QWidget *page, const QString &text)
{
    for (QPushButton *button : page->findChildren<QPushButton *>()) {
        if (button->isVisible() && button->text() == text)
            return button;
    }
    return nullptr;
}

void TestDeviceEndToEnd::openDevicePage(gui::MainWindow &window)
{
    window.resize(720, 640);
    window.show();
    window.activateWindow(); // keys go to the active window, as on a desktop
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.start(gui::View::Profile);
    QWidget *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, kPageMs);
    // The link appears once the provider's discovery document says it offers device sign-in.
    QTRY_VERIFY_WITH_TIMEOUT(buttonReading(signIn, u"Sign in on another device"_s), kPageMs);
    QPushButton *link = buttonReading(signIn, u"Sign in on another device"_s);
    QVERIFY(!link->menu()); // one provider offers it: no menu to pick from
    // By keyboard: focus it and press Space.
    link->setFocus();
    QTest::keyClick(link, Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window)->objectName(), u"devicePage"_s, kPageMs);
}

void TestDeviceEndToEnd::readDevicePage(gui::MainWindow &window, QString *address, QString *code)
{
    QWidget *page = currentPage(window);
    QCOMPARE(page->objectName(), u"devicePage"_s);
    const auto labels = page->findChildren<QLabel *>();
    // The address: printable ASCII up to a space or a letter of the sentence around it.
    static const QRegularExpression url(u"https?://[!-~]+"_s);
    static const QRegularExpression userCode(u"^[A-Z]{4}-[A-Z]{4}$"_s);
    for (QLabel *label : labels) {
        if (!label->isVisible())
            continue;
        const QString text = shownText(label);
        if (text.startsWith(u"Sign in with"_s))
            QCOMPARE(text, u"Sign in with Device ID on another device"_s);
        if (const auto found = url.match(text); found.hasMatch() && address->isEmpty())
            *address = found.captured();
        if (userCode.match(text).hasMatch())
            *code = text;
    }
    QCOMPARE(*address, m_issuer + u"/device"_s);
    QVERIFY2(!code->isEmpty(), "no code like ABCD-EFGH on the device page");
}

QJsonObject TestDeviceEndToEnd::otherDevice(const QString &address, const QString &code, bool deny)
{
    QProcess browser;
    QStringList args{address, u"--user-code"_s, code, u"--login"_s, kLogin};
    if (deny)
        args.append(u"--deny"_s);
    browser.start(harnessValue("LATCHKEY_TEST_BROWSER"), args);
    if (!QTest::qWaitFor([&browser]() { return browser.state() == QProcess::NotRunning; },
                         kBrowserMs))
        browser.kill();
    const QByteArray out = browser.readAllStandardOutput();
    if (browser.exitCode() != 0)
        qWarning("browser: %s %s", out.constData(), browser.readAllStandardError().constData());
    return QJsonDocument::fromJson(out).object();
}

void TestDeviceEndToEnd::screenshots(gui::MainWindow &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    const QPalette light = QApplication::palette();
    QVERIFY(window.grab().save(dir + u"/"_s + name + u".png"_s));
    QApplication::setPalette(QPalette(QColor(0x20, 0x21, 0x24))); // as a dark desktop does
    QTest::qWait(50);
    QVERIFY(window.grab().save(dir + u"/"_s + name + u"-dark.png"_s));
    QApplication::setPalette(light);
    QTest::qWait(50);
}

void TestDeviceEndToEnd::approveSignsInAndARestartRestores()
{
    startProvider({u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s});
    const Options cfg = config();
    {
        auto app = makeClient(cfg);
        gui::MainWindow window(*app);
        openDevicePage(window);
        if (QTest::currentTestFailed())
            return;
        QString address;
        QString code;
        readDevicePage(window, &address, &code);
        if (QTest::currentTestFailed())
            return;
        screenshots(window, u"e2e-device-code"_s);

        const QJsonObject landed = otherDevice(address, code);
        QCOMPARE(landed.value(u"heading"_s).toString(), u"Sign-in Success"_s);
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(currentPage(window)), kPageMs);
        auto *profile = qobject_cast<gui::ProfilePage *>(currentPage(window));
        QCOMPARE(profile->findChild<QLabel *>(u"name"_s)->text(), u"Dave"_s);
        QCOMPARE(profile->findChild<QLabel *>(u"email"_s)->text(), kEmail);
        auto *methods = profile->findChild<QAbstractItemView *>(u"methods"_s);
        QCOMPARE(methods->model()->rowCount(), 1);
        const QString method = methods->model()->index(0, 0).data().toString();
        QVERIFY2(!method.isEmpty() && !method.contains(m_issuer), qPrintable(method));
        const auto session = app->session();
        QVERIFY(session);
        QCOMPARE(keyringSessionEntries(m_service), QStringList{sessionEntry(session->user.id)});
    }

    // A new app: the session comes back from the real keyring, without any sign-in.
    auto app = makeClient(cfg);
    gui::MainWindow window(*app);
    window.show();
    window.start(gui::View::Home);
    auto *home = window.findChild<gui::HomePage *>();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), static_cast<QWidget *>(home), kPageMs);
    QCOMPARE(home->findChild<QLabel *>(u"signedInAs"_s)->text(), u"Signed in as "_s + kEmail);
}

void TestDeviceEndToEnd::denyShowsWhyAndOffersTheLinkAgain()
{
    startProvider({u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s});
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    openDevicePage(window);
    if (QTest::currentTestFailed())
        return;
    QString address;
    QString code;
    readDevicePage(window, &address, &code);
    if (QTest::currentTestFailed())
        return;

    otherDevice(address, code, true);
    QWidget *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, kPageMs);
    auto *error = signIn->findChild<QLabel *>(u"errorLabel"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(),
             u"The sign-in was declined on the other device. Start again if that was a mistake."_s);
    // Starting again is one key away: the link is there and enabled.
    QPushButton *link = buttonReading(signIn, u"Sign in on another device"_s);
    QVERIFY(link);
    QVERIFY(link->isEnabled());
    screenshots(window, u"e2e-device-denied"_s);
    QCOMPARE(app->state(), Client::State::SignedOut);
    QVERIFY(keyringSessionEntries(m_service).isEmpty());
}

void TestDeviceEndToEnd::anExpiredCodeIsReplacedByANewOne()
{
    startProvider(
            {u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s, u"LATCHKEY_TEST_OIDC_DEVICE_CODE_TTL=3"_s});
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    openDevicePage(window);
    if (QTest::currentTestFailed())
        return;
    QString address;
    QString first;
    readDevicePage(window, &address, &first);
    if (QTest::currentTestFailed())
        return;

    // Nobody approves: the page says the code expired and offers a new one.
    QWidget *page = currentPage(window);
    QTRY_VERIFY_WITH_TIMEOUT(buttonReading(page, u"Get a new code"_s), kPageMs);
    QTRY_COMPARE_WITH_TIMEOUT(app->state(), Client::State::SignedOut, kPageMs); // polling ended
    auto *countdown = page->findChild<QLabel *>(u"countdown"_s);
    QCOMPARE(countdown->text(),
             u"The code expired before it was approved. Start again to get a new code."_s);
    QCOMPARE(currentPage(window), page);
    screenshots(window, u"e2e-device-expired"_s);

    QTest::mouseClick(buttonReading(page, u"Get a new code"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!buttonReading(page, u"Get a new code"_s), kPageMs);
    QString second;
    address.clear();
    readDevicePage(window, &address, &second);
    QVERIFY2(second != first, qPrintable(second));
    QCOMPARE(app->state(), Client::State::SigningIn);
    QVERIFY(keyringSessionEntries(m_service).isEmpty());
    QVERIFY(QApplication::focusWidget()); // the page has the keyboard focus
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(app->state(), Client::State::SignedOut, kPageMs);
}

void TestDeviceEndToEnd::slowDownStillSignsIn()
{
    // Polls less than 3 s apart get slow_down; the poller waits 1 + 5 s before the next.
    startProvider({u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s,
                   u"LATCHKEY_TEST_OIDC_DEVICE_SLOW_DOWN_BELOW=3"_s});
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    openDevicePage(window);
    if (QTest::currentTestFailed())
        return;
    QString address;
    QString code;
    readDevicePage(window, &address, &code);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(providerLog().contains(u"device poll slow_down"_s), kPageMs);
    QCOMPARE(currentPage(window)->objectName(), u"devicePage"_s); // not an error to show

    const QJsonObject landed = otherDevice(address, code);
    QCOMPARE(landed.value(u"heading"_s).toString(), u"Sign-in Success"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::ProfilePage *>(currentPage(window)), kPageMs);
    QCOMPARE(currentPage(window)->findChild<QLabel *>(u"email"_s)->text(), kEmail);
    QCOMPARE(keyringSessionEntries(m_service).size(), 1);
}

void TestDeviceEndToEnd::cancelStopsPollingTheCode()
{
    startProvider({u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s});
    auto app = makeClient(config());
    gui::MainWindow window(*app);
    openDevicePage(window);
    if (QTest::currentTestFailed())
        return;
    QString address;
    QString code;
    readDevicePage(window, &address, &code);
    if (QTest::currentTestFailed())
        return;

    // The Cancel button: back to the sign-in page, no error, and no poll after it.
    QWidget *signIn = signInPage(window, u"signInPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(polls() > 0, kPageMs);
    QTest::mouseClick(buttonReading(currentPage(window), u"Cancel"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, kPageMs);
    QVERIFY(!signIn->findChild<QLabel *>(u"errorLabel"_s)->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(app->state(), Client::State::SignedOut, kPageMs);
    const int pollsAtCancel = polls();
    QTest::qWait(2500); // more than two polling intervals
    QCOMPARE(polls(), pollsAtCancel);

    // Esc on a second code (by keyboard from start to end).
    QPushButton *link = buttonReading(signIn, u"Sign in on another device"_s);
    QVERIFY(link);
    link->setFocus();
    QTest::keyClick(link, Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window)->objectName(), u"devicePage"_s, kPageMs);
    QString second;
    address.clear();
    readDevicePage(window, &address, &second);
    QVERIFY(second != code);
    QTRY_VERIFY_WITH_TIMEOUT(polls() > pollsAtCancel, kPageMs);
    QVERIFY(QApplication::focusWidget()); // the page has the keyboard focus
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, kPageMs);
    QTRY_COMPARE_WITH_TIMEOUT(app->state(), Client::State::SignedOut, kPageMs);
    const int pollsAtEscape = polls();

    // Approving the code afterwards signs nobody in: nobody polls it any more.
    const QJsonObject landed = otherDevice(address, second);
    QCOMPARE(landed.value(u"heading"_s).toString(), u"Sign-in Success"_s);
    QTest::qWait(1500); // more than a polling interval after the approval
    QCOMPARE(polls(), pollsAtEscape);
    QVERIFY2(!providerLog().contains(u"grant.success"_s), "a cancelled code was redeemed");
    QCOMPARE(currentPage(window), signIn);
    QCOMPARE(app->state(), Client::State::SignedOut);
    QVERIFY(keyringSessionEntries(m_service).isEmpty());
}

// Only with LATCHKEY_SCREENSHOT_DIR: the device page as a Korean user sees it. The language is
// chosen before the window is made, as the app does at start-up.
void TestDeviceEndToEnd::koreanScreenshots()
{
    if (qEnvironmentVariableIsEmpty("LATCHKEY_SCREENSHOT_DIR"))
        QSKIP("screenshots only (LATCHKEY_SCREENSHOT_DIR)");
    startProvider({u"LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1"_s});
    QVERIFY(installTranslations(QLocale(QLocale::Korean)));
    auto app = makeClient(config());
    {
        gui::MainWindow window(*app);
        window.resize(720, 640);
        window.show();
        window.start(gui::View::Profile);
        QWidget *signIn = signInPage(window, u"signInPage"_s);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), signIn, kPageMs);
        auto *link = signIn->findChild<QPushButton *>(u"deviceSignInButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(link->isVisible(), kPageMs);
        link->click();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window)->objectName(), u"devicePage"_s, kPageMs);
        screenshots(window, u"e2e-device-code-ko"_s);
    }
    installTranslations(QLocale(QLocale::English));
}

QTEST_MAIN(TestDeviceEndToEnd)
#include "tst_device_e2e.moc"
