// SignInWidget's "Sign in on another device" over a Client with fakes (keychain, mailer, a clock
// at the real time: the countdown reads the system clock) and canned providers on 127.0.0.1:
// the link only for a provider with a device endpoint, the code page reached by keyboard (code,
// QR code, countdown), Cancel and Esc, and a denial.
#include "auth/clientadapters.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "oidc/tst_flow_httpserver.h"
#include "qrcode.h"

#include <latchkey/client.h>
#include <latchkey/widgets/signinwidget.h>

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;
const QString kDeviceCode = u"BCDF-GHJK"_s;

QByteArray discovery(const QString &issuer, bool device)
{
    return uR"({"issuer":"%1","authorization_endpoint":"%1/auth","token_endpoint":"%1/token",
        "jwks_uri":"%1/jwks","response_types_supported":["code"]%2})"_s
            .arg(issuer,
                 device ? uR"(,"device_authorization_endpoint":"%1/device/auth")"_s.arg(issuer)
                        : QString())
            .toUtf8();
}

QByteArray deviceAuthorization(const QString &issuer, int expiresIn = 600,
                               const QString &userCode = u"BCDF-GHJK"_s)
{
    return uR"({"device_code":"dc-secret","user_code":"%3",
        "verification_uri":"%1/device","verification_uri_complete":"%1/device?user_code=%3",
        "expires_in":%2,"interval":1})"_s.arg(issuer)
            .arg(expiresIn)
            .arg(userCode)
            .toUtf8();
}

ProviderOptions provider(const QString &id, const QString &label, const QString &issuer)
{
    ProviderOptions options;
    options.id = id;
    options.label = label;
    options.issuer = QUrl(issuer);
    options.clientId = u"latchkey-public"_s;
    options.scopes = {u"openid"_s, u"email"_s};
    return options;
}

} // namespace

class TestClientDeviceWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void linkOnlyForAProviderWithADeviceEndpoint();
    void noLinkWithoutADeviceEndpoint();
    void severalProvidersArePickedFromAMenu();
    void keyboardShowsCodeQrAndCountdownAndCancelStops();
    void escapeCancels();
    void anExpiredCodeOffersANewOne();
    void denialShowsTheErrorOnTheSignInPage();

private:
    std::unique_ptr<Client> makeClient(const QList<ProviderOptions> &providers);
    /// A widget over a client with "Plain ID" (no device endpoint) and "Test ID" (one); shown.
    void showWidget(bool withDevice, bool plainHasDevice = false);
    QPushButton *link() const;
    QWidget *currentPage() const;
    QLabel *label(const QString &name) const;
    void openDevicePageByKeyboard();
    void screenshots(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CannedHttpServer> m_device;
    std::unique_ptr<CannedHttpServer> m_plain;
    std::unique_ptr<Client> m_client;
    std::unique_ptr<SignInWidget> m_widget;
};

void TestClientDeviceWindow::initTestCase()
{
    QGuiApplication::setApplicationDisplayName(u"Latchkey"_s);
}

void TestClientDeviceWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_device = std::make_unique<CannedHttpServer>();
    m_plain = std::make_unique<CannedHttpServer>();
    QVERIFY(m_device->listen());
    QVERIFY(m_plain->listen());
}

void TestClientDeviceWindow::cleanup()
{
    m_widget.reset();
    m_client.reset();
    m_device.reset();
    m_plain.reset();
    m_dir.reset();
}

std::unique_ptr<Client> TestClientDeviceWindow::makeClient(const QList<ProviderOptions> &providers)
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.allowHttpLoopbackIssuer = true;
    options.providers = providers;
    auto adapters = std::make_unique<ClientAdapters>();
    adapters->clock = std::make_unique<FakeClock>(QDateTime::currentDateTimeUtc());
    adapters->keychain = std::make_unique<FakeSecretStore>();
    adapters->mailer = std::make_unique<FakeMailer>();
    auto client = std::make_unique<Client>(options, std::move(adapters));
    [&]() { QVERIFY(client->restore().ok()); }();
    return client;
}

void TestClientDeviceWindow::showWidget(bool withDevice, bool plainHasDevice)
{
    const QString plainIssuer = m_plain->url({}).toString();
    m_plain->enqueue(200, discovery(plainIssuer, plainHasDevice));
    QList<ProviderOptions> providers{provider(u"plain"_s, u"Plain ID"_s, plainIssuer)};
    if (withDevice) {
        const QString issuer = m_device->url({}).toString();
        m_device->enqueue(200, discovery(issuer, true));
        providers.append(provider(u"test"_s, u"Test ID"_s, issuer));
    }
    m_client = makeClient(providers);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
    m_widget = std::make_unique<SignInWidget>(*m_client);
    m_widget->resize(720, 560);
    m_widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
}

QPushButton *TestClientDeviceWindow::link() const
{
    return m_widget->findChild<QPushButton *>(u"deviceSignInButton"_s);
}

QWidget *TestClientDeviceWindow::currentPage() const
{
    return m_widget->findChild<QStackedWidget *>(u"signInStack"_s)->currentWidget();
}

QLabel *TestClientDeviceWindow::label(const QString &name) const
{
    return currentPage()->findChild<QLabel *>(name);
}

void TestClientDeviceWindow::openDevicePageByKeyboard()
{
    QVERIFY(link());
    QTRY_VERIFY_WITH_TIMEOUT(link()->isVisible(), kWaitMs);
    // Tab from the last provider button reaches the link; Space presses it.
    auto *last = m_widget->findChild<QPushButton *>(u"provider_test"_s);
    last->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), link());
    QTest::keyClick(link(), Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage()->objectName(), u"devicePage"_s, kWaitMs);
}

void TestClientDeviceWindow::screenshots(const QString &name)
{
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    const QPalette light = QApplication::palette();
    for (const QSize size : {QSize(720, 560), QSize(1100, 800)}) {
        const QString suffix = u"-%1x%2"_s.arg(size.width()).arg(size.height());
        m_widget->resize(size);
        QTest::qWait(50);
        QVERIFY(m_widget->grab().save(dir + u"/"_s + name + suffix + u".png"_s));
        QApplication::setPalette(QPalette(QColor(0x20, 0x21, 0x24))); // as a dark desktop does
        QTest::qWait(50);
        QVERIFY(m_widget->grab().save(dir + u"/"_s + name + suffix + u"-dark.png"_s));
        QApplication::setPalette(light);
    }
    m_widget->resize(720, 560);
}

void TestClientDeviceWindow::linkOnlyForAProviderWithADeviceEndpoint()
{
    showWidget(true);
    QVERIFY(link());
    QTRY_VERIFY_WITH_TIMEOUT(link()->isVisible(), kWaitMs);
    // Only "Test ID" offers it: the link starts its sign-in at once, without a menu to pick from.
    QVERIFY(!link()->menu());
    QCOMPARE(link()->text(), u"Sign in on another device"_s);
    screenshots(u"device-link"_s);
}

void TestClientDeviceWindow::noLinkWithoutADeviceEndpoint()
{
    showWidget(false);
    QTRY_COMPARE_WITH_TIMEOUT(m_plain->requests().size(), 1, kWaitMs);
    QTest::qWait(200); // the answer is delivered from the event loop
    QVERIFY(link());
    QVERIFY(!link()->isVisible());
}

void TestClientDeviceWindow::severalProvidersArePickedFromAMenu()
{
    showWidget(true, true);
    QVERIFY(link());
    QTRY_VERIFY_WITH_TIMEOUT(link()->isVisible(), kWaitMs);
    QMenu *menu = link()->menu();
    QVERIFY(menu);
    QStringList names;
    for (const QAction *action : menu->actions())
        names.append(action->text());
    QCOMPARE(names, (QStringList{u"With Plain ID"_s, u"With Test ID"_s}));
    const QString issuer = m_plain->url({}).toString();
    m_plain->enqueue(200, deviceAuthorization(issuer));
    m_plain->enqueue(400, R"({"error":"authorization_pending"})");
    menu->actions().first()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage()->objectName(), u"devicePage"_s, kWaitMs);
    QCOMPARE(label(u"title"_s)->text(), u"Sign in with Plain ID on another device"_s);
    QCOMPARE(m_device->requests().size(), 1); // Test ID's discovery document only
}

void TestClientDeviceWindow::keyboardShowsCodeQrAndCountdownAndCancelStops()
{
    showWidget(true);
    const QString issuer = m_device->url({}).toString();
    m_device->enqueue(200, deviceAuthorization(issuer));
    m_device->enqueue(400, R"({"error":"authorization_pending"})");
    openDevicePageByKeyboard();
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(label(u"userCode"_s)->text(), kDeviceCode);
    QVERIFY(!currentPage()->findChild<QPushButton *>(u"newCodeButton"_s)->isVisible());
    QVERIFY(label(u"instructions"_s)->text().contains(issuer + u"/device"_s));
    const QPixmap qr = label(u"qrCode"_s)->pixmap();
    QVERIFY(!qr.isNull());
    const int modules = QrCode::encode(issuer + u"/device?user_code=BCDF-GHJK"_s).size() + 8;
    QCOMPARE(qr.width(), qr.height());
    QCOMPARE(qr.width() % modules, 0);
    QVERIFY(qr.width() / modules >= 2);
    const QRegularExpression countdown(u"^Code expires in (10:00|09:5\\d)$"_s);
    QVERIFY2(countdown.match(label(u"countdown"_s)->text()).hasMatch(),
             qPrintable(label(u"countdown"_s)->text()));
    const QString first = label(u"countdown"_s)->text();
    QTRY_VERIFY_WITH_TIMEOUT(label(u"countdown"_s)->text() != first, 2500); // it ticks
    screenshots(u"device-code"_s);

    // Cancel: back to the sign-in page, and the polling stops.
    QTRY_COMPARE_WITH_TIMEOUT(m_device->requests().size(), 3, kWaitMs); // first poll
    currentPage()->findChild<QPushButton *>(u"cancelButton"_s)->click();
    QCOMPARE(currentPage()->objectName(), u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
    QTest::qWait(1500);
    QCOMPARE(m_device->requests().size(), 3);
    QVERIFY(!label(u"errorLabel"_s)->isVisible());
}

void TestClientDeviceWindow::escapeCancels()
{
    showWidget(true);
    const QString issuer = m_device->url({}).toString();
    m_device->enqueue(200, deviceAuthorization(issuer));
    m_device->enqueue(400, R"({"error":"authorization_pending"})");
    openDevicePageByKeyboard();
    if (QTest::currentTestFailed())
        return;
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(currentPage()->objectName(), u"signInPage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
}

void TestClientDeviceWindow::anExpiredCodeOffersANewOne()
{
    showWidget(true);
    const QString issuer = m_device->url({}).toString();
    m_device->enqueue(200, deviceAuthorization(issuer, 2));
    CannedHttpServer::Reply hang; // the first poll stays unanswered: no further polls meanwhile
    hang.hang = true;
    m_device->enqueue(hang);
    openDevicePageByKeyboard();
    if (QTest::currentTestFailed())
        return;
    // The held poll must be the first: the code may already show as expired (its two seconds
    // count from the client's clock, set before the window opened), and a new code asked for
    // before that poll would take the held reply meant for it.
    QTRY_COMPARE_WITH_TIMEOUT(m_device->requests().size(), 3, kWaitMs);
    auto *newCode = currentPage()->findChild<QPushButton *>(u"newCodeButton"_s);
    // The countdown reaches zero: the page says so and offers a new code.
    QTRY_COMPARE_WITH_TIMEOUT(label(u"countdown"_s)->text(), u"This code has expired."_s, kWaitMs);
    QVERIFY(newCode->isVisible());
    QVERIFY(!label(u"qrCode"_s)->isVisible());
    screenshots(u"device-expired"_s);

    m_device->enqueue(200, deviceAuthorization(issuer, 600, u"LMNP-QRST"_s));
    m_device->enqueue(400, R"({"error":"authorization_pending"})");
    newCode->click();
    QTRY_COMPARE_WITH_TIMEOUT(label(u"userCode"_s)->text(), u"LMNP-QRST"_s, kWaitMs);
    QCOMPARE(currentPage()->objectName(), u"devicePage"_s);
    QVERIFY(label(u"countdown"_s)->text().startsWith(u"Code expires in"_s));
    QVERIFY(label(u"qrCode"_s)->isVisible());
    QVERIFY(!newCode->isVisible());
    QCOMPARE(m_client->state(), Client::State::SigningIn);
}

void TestClientDeviceWindow::denialShowsTheErrorOnTheSignInPage()
{
    showWidget(true);
    const QString issuer = m_device->url({}).toString();
    m_device->enqueue(200, deviceAuthorization(issuer));
    m_device->enqueue(400, R"({"error":"access_denied"})");
    openDevicePageByKeyboard();
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(currentPage()->objectName(), u"signInPage"_s, kWaitMs);
    QLabel *error = label(u"errorLabel"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(),
             u"The sign-in was declined on the other device. Start again if that was a mistake."_s);
    QCOMPARE(m_client->state(), Client::State::SignedOut);
    screenshots(u"device-denied"_s);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestClientDeviceWindow)
#include "tst_client_device_window.moc"
