// Client::signInOnAnotherDevice() over fakes (clock, keychain, mailer) and a canned provider on
// 127.0.0.1: the code it announces, a provider without device sign-in, a denial, and cancel().
#include "auth/clientadapters.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "oidc/tst_flow_httpserver.h"

#include <latchkey/client.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

struct Finished
{
    Finished(Client &client, QObject *context)
        : connection(QObject::connect(
                  &client, &Client::signInFinished, context,
                  [this](const Result<Session> &result) { results.append(result); }))
    { }
    ~Finished() { QObject::disconnect(connection); }
    qsizetype size() const { return results.size(); }
    QMetaObject::Connection connection;
    QList<Result<Session>> results;
};

QByteArray discovery(const QString &issuer, bool device)
{
    return uR"({"issuer":"%1","authorization_endpoint":"%1/auth","token_endpoint":"%1/token",
        "jwks_uri":"%1/jwks","response_types_supported":["code"]%2})"_s
            .arg(issuer,
                 device ? uR"(,"device_authorization_endpoint":"%1/device/auth")"_s.arg(issuer)
                        : QString())
            .toUtf8();
}

QByteArray deviceAuthorization(const QString &issuer)
{
    return uR"({"device_code":"dc-secret","user_code":"BCDF-GHJK",
        "verification_uri":"%1/device","verification_uri_complete":"%1/device?user_code=BCDF-GHJK",
        "expires_in":600,"interval":1})"_s.arg(issuer)
            .toUtf8();
}

} // namespace

class TestClientDevice : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void announcesTheCodeAndCancelStopsPolling();
    void providerWithoutDeviceSignIn();
    void denialOnTheOtherDevice();
    void tellsWhichProvidersSupportIt();
    void gitHubSignsInWithItsDeviceFlow();

private:
    std::unique_ptr<Client> makeClient(const QString &issuer);
    std::unique_ptr<Client> makeClient(const ProviderOptions &provider);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CannedHttpServer> m_provider;
    FakeClock *m_clock = nullptr;
};

void TestClientDevice::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_provider = std::make_unique<CannedHttpServer>();
    QVERIFY(m_provider->listen());
}

void TestClientDevice::cleanup()
{
    m_provider.reset();
    m_dir.reset();
}

std::unique_ptr<Client> TestClientDevice::makeClient(const QString &issuer)
{
    ProviderOptions provider;
    provider.id = u"test"_s;
    provider.label = u"Test ID"_s;
    provider.issuer = QUrl(issuer);
    provider.clientId = u"latchkey-public"_s;
    provider.scopes = {u"openid"_s, u"email"_s};
    return makeClient(provider);
}

std::unique_ptr<Client> TestClientDevice::makeClient(const ProviderOptions &provider)
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.allowHttpLoopbackIssuer = true;
    options.providers = {provider};
    auto adapters = std::make_unique<ClientAdapters>();
    auto clock = std::make_unique<FakeClock>();
    m_clock = clock.get();
    adapters->clock = std::move(clock);
    adapters->keychain = std::make_unique<FakeSecretStore>();
    adapters->mailer = std::make_unique<FakeMailer>();
    auto client = std::make_unique<Client>(options, std::move(adapters));
    [&]() { QVERIFY(client->restore().ok()); }();
    return client;
}

void TestClientDevice::announcesTheCodeAndCancelStopsPolling()
{
    const QString issuer = m_provider->url({}).toString();
    m_provider->enqueue(200, discovery(issuer, true));
    m_provider->enqueue(200, deviceAuthorization(issuer));
    m_provider->enqueue(400, R"({"error":"authorization_pending"})");
    auto client = makeClient(issuer);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);

    QSignalSpy ready(client.get(), &Client::deviceCodeReady);
    Finished finished(*client, this);
    client->signInOnAnotherDevice(u"test"_s);
    QVERIFY(ready.wait(kWaitMs));
    const auto code = ready.first().first().value<DeviceCode>();
    QCOMPARE(code.providerId, u"test"_s);
    QCOMPARE(code.userCode, u"BCDF-GHJK"_s);
    QCOMPARE(code.verificationUri, QUrl(issuer + u"/device"_s));
    QCOMPARE(code.verificationUriComplete, QUrl(issuer + u"/device?user_code=BCDF-GHJK"_s));
    QCOMPARE(code.expiresAt, m_clock->now().addSecs(600));
    QCOMPARE(client->state(), Client::State::SigningIn);
    const auto &requests = m_provider->requests();
    QCOMPARE(requests.at(1).target, QByteArray("/device/auth"));
    QCOMPARE(requests.at(1).form(),
             (QList<QPair<QString, QString>>{{u"client_id"_s, u"latchkey-public"_s},
                                             {u"scope"_s, u"openid email"_s}}));

    // The first poll (after the 1 s interval) is still pending; cancel() ends it, no poll follows.
    QTRY_COMPARE_WITH_TIMEOUT(m_provider->requests().size(), 3, kWaitMs);
    QCOMPARE(m_provider->requests().at(2).target, QByteArray("/token"));
    client->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.results.first().error().code, ErrorCode::Cancelled);
    QCOMPARE(client->state(), Client::State::SignedOut);
    QTest::qWait(1500);
    QCOMPARE(m_provider->requests().size(), 3);
    QCOMPARE(finished.size(), 1);
}

void TestClientDevice::providerWithoutDeviceSignIn()
{
    const QString issuer = m_provider->url({}).toString();
    m_provider->enqueue(200, discovery(issuer, false));
    auto client = makeClient(issuer);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QSignalSpy ready(client.get(), &Client::deviceCodeReady);
    Finished finished(*client, this);
    client->signInOnAnotherDevice(u"test"_s);
    QCOMPARE(finished.size(), 0); // never inside the call
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const Error error = finished.results.first().error();
    QCOMPARE(error.code, ErrorCode::DeviceSignInUnsupported);
    QCOMPARE(error.subject, u"Test ID"_s);
    QVERIFY(errorMessage(error).contains(u"Test ID"_s));
    QCOMPARE(ready.size(), 0);
    QCOMPARE(m_provider->requests().size(), 1); // the discovery document only
    QCOMPARE(client->state(), Client::State::SignedOut);
}

void TestClientDevice::denialOnTheOtherDevice()
{
    const QString issuer = m_provider->url({}).toString();
    m_provider->enqueue(200, discovery(issuer, true));
    m_provider->enqueue(200, deviceAuthorization(issuer));
    m_provider->enqueue(400, R"({"error":"access_denied"})");
    auto client = makeClient(issuer);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    Finished finished(*client, this);
    client->signInOnAnotherDevice(u"test"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const Error error = finished.results.first().error();
    QCOMPARE(error.code, ErrorCode::DeviceAccessDenied);
    QCOMPARE(errorMessage(error),
             u"The sign-in was declined on the other device. Start again if that was a mistake."_s);
    QVERIFY(!client->session());
    QCOMPARE(client->state(), Client::State::SignedOut);
}

void TestClientDevice::tellsWhichProvidersSupportIt()
{
    const QString issuer = m_provider->url({}).toString();
    m_provider->enqueue(200, discovery(issuer, false));
    auto client = makeClient(issuer);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    std::optional<bool> supported;
    client->supportsDeviceSignIn(u"test"_s, this, [&supported](bool yes) { supported = yes; });
    QVERIFY(!supported); // never inside the call
    QTRY_VERIFY_WITH_TIMEOUT(supported.has_value(), kWaitMs);
    QCOMPARE(*supported, false);
    std::optional<bool> unknown;
    client->supportsDeviceSignIn(u"nope"_s, this, [&unknown](bool yes) { unknown = yes; });
    QTRY_VERIFY_WITH_TIMEOUT(unknown.has_value(), kWaitMs);
    QCOMPARE(*unknown, false);

    // Another provider whose document lists the endpoint.
    CannedHttpServer other;
    QVERIFY(other.listen());
    const QString otherIssuer = other.url({}).toString();
    other.enqueue(200, discovery(otherIssuer, true));
    auto second = makeClient(otherIssuer);
    QTRY_COMPARE_WITH_TIMEOUT(second->state(), Client::State::SignedOut, kWaitMs);
    std::optional<bool> offered;
    second->supportsDeviceSignIn(u"test"_s, this, [&offered](bool yes) { offered = yes; });
    QTRY_VERIFY_WITH_TIMEOUT(offered.has_value(), kWaitMs);
    QCOMPARE(*offered, true);
}

void TestClientDevice::gitHubSignsInWithItsDeviceFlow()
{
    // GitHub publishes no discovery document: its device flow is offered from its documented
    // endpoints, sends the client id only, and the identity comes from its API.
    const QUrl web = m_provider->url({});
    auto client = makeClient(
            presets::github(u"Ov23liTest"_s, u"s3cret"_s, web, m_provider->url(u"/api/v3"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    std::optional<bool> supported;
    client->supportsDeviceSignIn(u"github"_s, this, [&supported](bool yes) { supported = yes; });
    QTRY_VERIFY_WITH_TIMEOUT(supported.has_value(), kWaitMs);
    QCOMPARE(*supported, true);
    QVERIFY(m_provider->requests().isEmpty()); // nothing fetched to know it

    m_provider->enqueue(200,
                        uR"({"device_code":"3584d83530557fdd1f46af8289938c8ef79f9dc5",
        "user_code":"WDJB-MJHT","verification_uri":"%1/login/device","expires_in":900,
        "interval":1})"_s.arg(web.toString())
                                .toUtf8());
    m_provider->enqueue(200,
                        R"({"access_token":"gho_dev","token_type":"bearer",)"
                        R"("scope":"read:user,user:email"})");
    m_provider->enqueue(200, R"({"login":"octocat","id":583231,"name":"The Octocat"})");
    m_provider->enqueue(200, R"([{"email":"octo@example.com","primary":true,"verified":true}])");
    QSignalSpy codes(client.get(), &Client::deviceCodeReady);
    Finished finished(*client, this);
    client->signInOnAnotherDevice(u"github"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QVERIFY2(
            finished.results[0].ok(),
            qPrintable(finished.results[0].ok() ? QString() : finished.results[0].error().message));
    QCOMPARE(codes.size(), 1);
    QCOMPARE(codes[0][0].value<DeviceCode>().userCode, u"WDJB-MJHT"_s);
    const Session session = finished.results[0].value();
    QCOMPARE(session.user.email, u"octo@example.com"_s);
    QCOMPARE(session.accounts.value(0).providerAccountId, u"583231"_s);

    const auto &requests = m_provider->requests();
    QCOMPARE(requests.size(), 4);
    QCOMPARE(requests[0].target, "/login/device/code");
    QCOMPARE(requests[1].target, "/login/oauth/access_token");
    for (int i : {0, 1}) {
        QVERIFY(!requests[i].headers.contains("authorization"));
        QCOMPARE(requests[i].headers.value("accept"), "application/json");
        QVERIFY(requests[i].form().contains(QPair{u"client_id"_s, u"Ov23liTest"_s}));
        for (const auto &field : requests[i].form())
            QVERIFY2(field.first != u"client_secret", "the device flow sends no secret");
    }
    QCOMPARE(requests[2].target, "/api/v3/user");
    QCOMPARE(requests[3].target, "/api/v3/user/emails");
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestClientDevice)
#include "tst_client_device.moc"
