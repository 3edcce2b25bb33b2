// OidcSignInFlow under attack, against the real oidc-provider of tests/harness/with-services, with
// a real LoopbackListener, real SQLite and the harness browser (FakeSecretStore for the keychain).
// Every token request the flow makes is recorded by RecordingNetworkAccessManager, so "no token
// request" is observed, not assumed.

#include "auth/oidcsigninflow.h"
#include "keychain/keychainpolicy.h"

#include "../email/emailtest.h"
#include "../oidc/tst_flow_httpserver.h"
#include "auth/accountlinker.h"
#include "auth/providertokens.h"
#include "auth/signinpolicy.h"
#include "core/clock.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "session/sessionmanager.h"
#include "tst_oidcsigninflow_support.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <deque>
#include <vector>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

// A bound for a hang, not a speed check (a loaded CI machine with sanitizers took over 30 s).
constexpr int kBrowserMs = 60000;

const Result<Session> &resultAt(const QSignalSpy &spy, qsizetype index = 0)
{
    return *static_cast<const Result<Session> *>(spy.at(index).at(0).constData());
}

// The first bytes of a TLS 1.2 ClientHello (a browser trying https:// on the loopback port).
QByteArray tlsClientHello()
{
    QByteArray hello = QByteArray::fromHex("160301020001000"
                                           "1fc0303");
    hello += QByteArray(32, '\x5a'); // random
    hello += QByteArray::fromHex("00"
                                 "0020"
                                 "c02bc02fc02cc030cca9cca8c013c014009c009d002f0035"
                                 "000a0005"
                                 "0100");
    hello += QByteArray(400, '\0');
    return hello;
}

/// Hostile local clients: `count` connections to 127.0.0.1:`port` that send nothing, except every
/// tenth, which sends a request a byte every 100 ms. A connection the listener drops after it held
/// a slot for a second or more (its header deadline) is opened again at once, as a patient attacker
/// would; one dropped sooner (turned away or evicted) stays closed.
class IdleConnections
{
public:
    IdleConnections(quint16 port, int count) : m_port(port)
    {
        m_hogs.reserve(size_t(count));
        for (int i = 0; i < count; ++i) {
            m_hogs.push_back({std::make_unique<QTcpSocket>(), QElapsedTimer(), i % 10 == 9, 0});
            Hog &hog = m_hogs.back();
            QTcpSocket *socket = hog.socket.get();
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, &hog]() {
                if (hog.age.elapsed() < 1000)
                    return;
                ++m_reopened;
                QTimer::singleShot(0, hog.socket.get(), [this, &hog]() { dial(hog); });
            });
            dial(hog);
        }
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this]() { trickle(); });
        m_timer.start(100);
    }

    ~IdleConnections()
    {
        for (Hog &hog : m_hogs)
            hog.socket->disconnect(); // no reconnect while they are destroyed
    }
    IdleConnections(const IdleConnections &) = delete;
    IdleConnections &operator=(const IdleConnections &) = delete;

    /// Connections open now.
    int open() const
    {
        return int(std::count_if(m_hogs.cbegin(), m_hogs.cend(), [](const Hog &hog) {
            return hog.socket->state() == QAbstractSocket::ConnectedState;
        }));
    }
    /// Connections opened again after the listener dropped them at their deadline.
    int reopened() const { return m_reopened; }

private:
    struct Hog
    {
        std::unique_ptr<QTcpSocket> socket;
        QElapsedTimer age;
        bool slow = false;
        qsizetype sent = 0;
    };

    void dial(Hog &hog)
    {
        hog.socket->setProxy(QNetworkProxy::NoProxy);
        hog.socket->connectToHost(QHostAddress::LocalHost, m_port);
        hog.age.start();
        hog.sent = 0;
    }

    void trickle()
    {
        const QByteArray request = "GET /callback/test?code=hog&state=hog HTTP/1.1\r\nHost: "
                                   "127.0.0.1:" +
                QByteArray::number(m_port) + "\r\n\r\n";
        for (Hog &hog : m_hogs) {
            if (hog.slow && hog.socket->state() == QAbstractSocket::ConnectedState &&
                hog.sent < request.size())
                hog.socket->write(request.mid(hog.sent++, 1));
        }
    }

    quint16 m_port;
    std::vector<Hog> m_hogs; // reserved up front: the lambdas keep references to its elements
    QTimer m_timer;
    int m_reopened = 0;
};

} // namespace

/// One running sign-in and what it announced.
struct RunningFlow
{
    std::unique_ptr<OidcSignInFlow> flow;
    std::unique_ptr<QSignalSpy> finished;
    QUrl url; ///< the authorization URL
    quint16 port = 0;
    QString state;
    QString issuer;
};

class TestOidcSignInFlowIntegration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void refusedCallbacks_data();
    void refusedCallbacks();
    void garbageFirstThenTheRealBrowserSignsIn();
    void accessDeniedWithTheRightStateCancels();
    void listenerIsOnlyOnLoopback();
    void mixUpCodeIsRejectedAtTheOtherProvider();
    void idTokenFromAnotherFlowIsRejected();
    void forgedIdTokenShowsTheFailurePage();
    void signedInPageOnlyAfterTheExchange();
    void idleConnectionsDoNotKeepTheBrowserOut();
    void stepUpNeedsAFreshSignInAtTheProvider();
    void signInPolicyChecksHostedDomainAndEmailDomain();
    void userinfoOnlyForAMissingClaim();

private:
    const OidcProviderConfig &provider(const QString &id, const QString &issuer);
    /// A sign-in, or with `confirmUser` a step-up for that user; `clock` replaces the real one.
    RunningFlow startFlow(const OidcProviderConfig &provider,
                          std::optional<qint64> confirmUser = std::nullopt,
                          const Clock *clock = nullptr);
    QByteArray callbackPath(const RunningFlow &running, const QString &query) const;
    oidc::ProviderMetadata metadataOf(const QString &issuer);

    QString m_issuer;
    QString m_issuer2;
    QTemporaryDir m_dir;
    SystemClock m_clock; // the provider's tokens carry the real time
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RecordingNetworkAccessManager> m_network;
    std::unique_ptr<oidc::DiscoveryCache> m_discovery;
    std::map<QString, std::unique_ptr<oidc::JwksCache>> m_jwks;
    oidc::JwksCache &jwksFor(const oidc::ProviderMetadata &metadata);
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<FakeSecretStore> m_memory;
    std::unique_ptr<KeychainPolicy> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    Config m_config; // ProviderTokens::store() needs no provider from it
    std::unique_ptr<ProviderTokens> m_tokens;
    std::deque<OidcProviderConfig> m_providers; // stable addresses: the flow keeps a reference
};

void TestOidcSignInFlowIntegration::initTestCase()
{
    m_issuer = qEnvironmentVariable("LATCHKEY_TEST_OIDC_ISSUER");
    m_issuer2 = qEnvironmentVariable("LATCHKEY_TEST_OIDC2_ISSUER");
    if (m_issuer.isEmpty() || m_issuer2.isEmpty() ||
        qEnvironmentVariableIsEmpty("LATCHKEY_TEST_BROWSER"))
        QFAIL("run this test inside tests/harness/with-services (no OIDC issuers or browser)");
}

void TestOidcSignInFlowIntegration::init()
{
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_network = std::make_unique<RecordingNetworkAccessManager>();
    m_discovery = std::make_unique<oidc::DiscoveryCache>(
            oidc::networkDocumentFetcher(m_network.get()), m_clock);
    m_linker = std::make_unique<AccountLinker>(*m_db, m_clock);
    m_keychain = std::make_unique<FakeSecretStore>();
    m_memory = std::make_unique<FakeSecretStore>();
    m_secrets = std::make_unique<KeychainPolicy>(*m_keychain, *m_memory);
    m_sessions = std::make_unique<SessionManager>(*m_db, *m_secrets, m_clock, SessionPolicy{});
    m_tokens = std::make_unique<ProviderTokens>(
            ProviderTokensDeps{m_config, *m_db, *m_keychain, *m_network, *m_discovery, m_clock,
                               [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                                   return jwksFor(metadata);
                               }});
}

void TestOidcSignInFlowIntegration::cleanup()
{
    m_tokens.reset();
    m_sessions.reset();
    m_memory.reset();
    m_keychain.reset();
    m_linker.reset();
    m_jwks.clear();
    m_discovery.reset();
    m_network.reset();
    m_db.reset();
    m_providers.clear();
}

const OidcProviderConfig &TestOidcSignInFlowIntegration::provider(const QString &id,
                                                                  const QString &issuer)
{
    OidcProviderConfig config;
    config.id = id;
    config.label = id.toUpper();
    config.issuer = QUrl(issuer);
    config.clientId = u"latchkey-public"_s;
    config.scopes = {u"openid"_s, u"email"_s, u"profile"_s, u"offline_access"_s};
    m_providers.push_back(config);
    return m_providers.back();
}

oidc::JwksCache &TestOidcSignInFlowIntegration::jwksFor(const oidc::ProviderMetadata &metadata)
{
    auto &cache = m_jwks[metadata.jwksUri.toString()];
    if (!cache)
        cache = std::make_unique<oidc::JwksCache>(
                metadata.jwksUri, oidc::networkDocumentFetcher(m_network.get()), m_clock);
    return *cache;
}

RunningFlow TestOidcSignInFlowIntegration::startFlow(const OidcProviderConfig &config,
                                                     std::optional<qint64> confirmUser,
                                                     const Clock *clock)
{
    OidcSignInDeps deps{config,
                        true,
                        *m_network,
                        *m_discovery,
                        [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                            return jwksFor(metadata);
                        },
                        nullptr,
                        *m_linker,
                        *m_sessions,
                        *m_tokens,
                        clock ? *clock : m_clock};
    RunningFlow running;
    running.flow = std::make_unique<OidcSignInFlow>(std::move(deps));
    if (confirmUser)
        running.flow->setConfirmUser(*confirmUser);
    running.finished = std::make_unique<QSignalSpy>(running.flow.get(), &OidcSignInFlow::finished);
    QSignalSpy ready(running.flow.get(), &OidcSignInFlow::authorizationUrlReady);
    running.flow->start();
    if (!ready.wait(10000) || ready.isEmpty())
        return running;
    running.url = ready.first().first().toUrl();
    running.state = queryValue(running.url, u"state"_s);
    running.port = quint16(QUrl(queryValue(running.url, u"redirect_uri"_s)).port());
    running.issuer = config.issuer.toString();
    return running;
}

QByteArray TestOidcSignInFlowIntegration::callbackPath(const RunningFlow &running,
                                                       const QString &query) const
{
    QString path = query;
    path.replace(u"$STATE"_s, QString::fromLatin1(QUrl::toPercentEncoding(running.state)));
    path.replace(u"$ISS"_s, QString::fromLatin1(QUrl::toPercentEncoding(running.issuer)));
    return path.toUtf8();
}

oidc::ProviderMetadata TestOidcSignInFlowIntegration::metadataOf(const QString &issuer)
{
    std::optional<Result<oidc::ProviderMetadata>> metadata;
    m_discovery->metadata(issuer, oidc::MetadataOptions{true, {}}, this,
                          [&metadata](Result<oidc::ProviderMetadata> r) { metadata = r; });
    if (!QTest::qWaitFor([&metadata]() { return metadata.has_value(); }, 10000) || !metadata->ok())
        return {};
    return metadata->value();
}

void TestOidcSignInFlowIntegration::refusedCallbacks_data()
{
    // $STATE / $ISS: the flow's real values. Each request is refused and changes nothing.
    QTest::addColumn<QByteArray>("request"); // a raw request, or a GET path when it starts with '/'
    QTest::addColumn<int>("status"); // 0: dropped without an answer
    QTest::newRow("wrong state") << QByteArray("/callback/test?code=abc&state=forged&iss=$ISS")
                                 << 400;
    QTest::newRow("missing state") << QByteArray("/callback/test?code=abc&iss=$ISS") << 400;
    QTest::newRow("empty state") << QByteArray("/callback/test?code=abc&state=&iss=$ISS") << 400;
    QTest::newRow("duplicated state")
            << QByteArray("/callback/test?code=abc&state=$STATE&state=$STATE&iss=$ISS") << 400;
    QTest::newRow("access_denied, wrong state")
            << QByteArray("/callback/test?error=access_denied&state=forged&iss=$ISS") << 400;
    QTest::newRow("access_denied, no state")
            << QByteArray("/callback/test?error=access_denied&iss=$ISS") << 400;
    QTest::newRow("right state, iss of another issuer")
            << QByteArray("/callback/test?code=abc&state=$STATE&iss=http%3A%2F%2F127.0.0.1%3A1")
            << 400;
    QTest::newRow("right state, no iss (RFC 9207 advertised)")
            << QByteArray("/callback/test?code=abc&state=$STATE") << 400;
    QTest::newRow("other provider's path")
            << QByteArray("/callback/other?code=abc&state=$STATE&iss=$ISS") << 404;
    QTest::newRow("path prefix") << QByteArray("/callback/test/x?code=abc&state=$STATE") << 404;
    QTest::newRow("POST") << QByteArray("POST /callback/test?code=abc&state=$STATE&iss=$ISS "
                                        "HTTP/1.1\r\nHost: $HOST\r\nContent-Length: 0\r\n\r\n")
                          << 405;
    QTest::newRow("DNS rebinding Host")
            << QByteArray("GET /callback/test?code=abc&state=$STATE&iss=$ISS HTTP/1.1\r\n"
                          "Host: evil.example:$PORT\r\n\r\n")
            << 400;
    QTest::newRow("localhost Host")
            << QByteArray("GET /callback/test?code=abc&state=$STATE&iss=$ISS HTTP/1.1\r\n"
                          "Host: localhost:$PORT\r\n\r\n")
            << 400;
}

void TestOidcSignInFlowIntegration::refusedCallbacks()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY2(running.port != 0, "the flow did not announce an authorization URL");

    QByteArray bytes = callbackPath(running, QString::fromUtf8(request));
    bytes.replace("$HOST", QByteArray("127.0.0.1:" + QByteArray::number(running.port)));
    bytes.replace("$PORT", QByteArray::number(running.port));
    const RawAnswer answer = bytes.startsWith('/') ? callbackGet(running.port, bytes)
                                                   : rawExchange(running.port, bytes);
    QVERIFY(answer.connected);
    if (status == 405)
        QVERIFY2(answer.status == 405 || answer.status == 400,
                 qPrintable(QString::number(answer.status)));
    else
        QCOMPARE(answer.status, status);

    // Refused and ignored: the flow keeps waiting, nothing reached the token endpoint.
    QTest::qWait(100);
    QCOMPARE(running.finished->count(), 0);
    QVERIFY(m_network->tokenRequests().isEmpty());
    // The listener is still open for the real browser.
    QCOMPARE(callbackGet(running.port, "/callback/test?code=abc&state=wrong").status, 400);
    QCOMPARE(running.finished->count(), 0);
}

void TestOidcSignInFlowIntegration::garbageFirstThenTheRealBrowserSignsIn()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    const QByteArray host = "127.0.0.1:" + QByteArray::number(running.port);

    // Garbage first, as a hostile local process or web page would send it.
    QByteArray noise(4096, '\0');
    for (char &byte : noise)
        byte = char(QRandomGenerator::global()->bounded(256));
    QVERIFY(rawExchange(running.port, noise).connected);
    QVERIFY(rawExchange(running.port, tlsClientHello()).connected);
    QCOMPARE(rawExchange(running.port,
                         "GET /callback/test?" + QByteArray(9000, 'a') +
                                 " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                             .status /
                     100,
             4);
    // Two half requests that never finish stay open while the real browser comes back.
    QList<std::shared_ptr<QTcpSocket>> halfOpen;
    for (int i = 0; i < 2; ++i) {
        auto socket = std::make_shared<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, running.port);
        QVERIFY(socket->waitForConnected(3000));
        socket->write("GET /callback/test?code=half&state=" + running.state.toUtf8() +
                      " HTTP/1.1\r\nHost: " + host + "\r\n");
        socket->flush();
        halfOpen.append(socket);
    }
    QTest::qWait(200);
    QCOMPARE(running.finished->count(), 0);
    QVERIFY(m_network->tokenRequests().isEmpty());

    // The real browser: login and consent at the provider, back to the listener.
    auto browser = startBrowser(running.url, {u"--login"_s, u"alice"_s});
    QTRY_COMPARE_WITH_TIMEOUT(running.finished->count(), 1, kBrowserMs);
    QVERIFY(waitForExit(*browser));
    QCOMPARE(browser->exitCode(), 0);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->user.email, u"alice@example.com"_s);
    QCOMPARE(result->user.name, u"Alice"_s);
    QCOMPARE(m_network->tokenRequests().size(), 1);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 1);
    // The refresh token went to the keychain (right after the session), not to SQLite.
    const QString refreshKey =
            secretkeys::providerToken(u"test"_s, QString::number(result->accounts.first().id),
                                      secretkeys::TokenPurpose::Refresh);
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->contains(refreshKey), 5000);
    QVERIFY(!databaseBytes(*m_db).contains(m_keychain->value(refreshKey)));
    const QString accessKey =
            secretkeys::providerToken(u"test"_s, QString::number(result->accounts.first().id),
                                      secretkeys::TokenPurpose::Access);
    QVERIFY(m_keychain->contains(accessKey));
    // Only the access token's expiry is in SQLite (the provider's default lifetime is an hour).
    const QDateTime expiresAt = result->accounts.first().expiresAt;
    QVERIFY(expiresAt.isValid());
    QVERIFY(qAbs(m_clock.now().secsTo(expiresAt) - 3600) < 120);

    // The same callback again, rebuilt from what reached the token endpoint: the listener is
    // closed, and no second token request is made.
    const QUrlQuery sentForm(QString::fromUtf8(m_network->tokenRequests().first().body));
    const QString code = sentForm.queryItemValue(u"code"_s, QUrl::FullyDecoded);
    QVERIFY(!code.isEmpty());
    const QByteArray replay = "/callback/test?code=" + QUrl::toPercentEncoding(code) +
            "&state=" + QUrl::toPercentEncoding(running.state) +
            "&iss=" + QUrl::toPercentEncoding(running.issuer);
    const RawAnswer again = callbackGet(running.port, replay);
    QVERIFY2(!again.connected || again.status == 0, "the listener still answers after sign-in");
    QTest::qWait(200);
    QCOMPARE(m_network->tokenRequests().size(), 1);
    QCOMPARE(running.finished->count(), 1);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 1);
}

void TestOidcSignInFlowIntegration::accessDeniedWithTheRightStateCancels()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    const RawAnswer answer = callbackGet(
            running.port,
            callbackPath(running, u"/callback/test?error=access_denied&state=$STATE&iss=$ISS"_s));
    QCOMPARE(answer.status, 400);
    QTRY_COMPARE(running.finished->count(), 1);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::OAuthAuthorization);
    QVERIFY2(result.error().message.contains(u"cancelled"_s), qPrintable(result.error().message));
    QVERIFY(m_network->tokenRequests().isEmpty());
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 0);
    QVERIFY(!callbackGet(running.port, "/callback/test").connected); // the listener closed
}

void TestOidcSignInFlowIntegration::listenerIsOnlyOnLoopback()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    QCOMPARE(QUrl(queryValue(running.url, u"redirect_uri"_s)).host(), u"127.0.0.1"_s);
    int tried = 0;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.isLinkLocal())
            continue;
        ++tried;
        QTcpSocket socket;
        socket.setProxy(QNetworkProxy::NoProxy);
        socket.connectToHost(address, running.port);
        QVERIFY2(!socket.waitForConnected(2000),
                 qPrintable(u"the listener answers on "_s + address.toString()));
    }
    QVERIFY(callbackGet(running.port, "/callback/test").connected); // but it is up on 127.0.0.1
    // ::1 is loopback too, but the redirect URI names 127.0.0.1 only (RFC 8252 §8.3).
    QTcpSocket v6;
    v6.connectToHost(QHostAddress::LocalHostIPv6, running.port);
    QVERIFY(!v6.waitForConnected(2000));
    if (tried == 0)
        qWarning("this machine has no non-loopback address; only ::1 was tried");
}

void TestOidcSignInFlowIntegration::mixUpCodeIsRejectedAtTheOtherProvider()
{
    // Two configured providers, each its own issuer (RFC 9700 §4.4 mix-up).
    RunningFlow a = startFlow(provider(u"test"_s, m_issuer));
    RunningFlow b = startFlow(provider(u"other"_s, m_issuer2));
    QVERIFY(a.port != 0 && b.port != 0);

    // Provider A's real authorization response, caught before it reaches flow A.
    LoopbackListener catcher;
    std::optional<QList<QPair<QString, QString>>> caught;
    catcher.addRoute(u"/callback/test"_s, [&caught](const HttpRequest &request) {
        caught = request.query;
        return LoopbackResponse{};
    });
    QVERIFY(catcher.listen().ok());
    QUrl diverted = a.url;
    QUrlQuery query(diverted);
    query.removeQueryItem(u"redirect_uri"_s);
    query.addQueryItem(
            u"redirect_uri"_s,
            QString::fromLatin1(QUrl::toPercentEncoding(catcher.redirectUri(u"/callback/test"_s))));
    diverted.setQuery(query);
    auto browser = startBrowser(diverted, {u"--login"_s, u"mallory"_s});
    QTRY_VERIFY_WITH_TIMEOUT(caught.has_value(), kBrowserMs);
    QString code;
    QString iss;
    for (const auto &[name, value] : *caught) {
        if (name == u"code")
            code = value;
        if (name == u"iss")
            iss = value;
    }
    QVERIFY(!code.isEmpty());
    QCOMPARE(iss, m_issuer);
    const QByteArray c = QUrl::toPercentEncoding(code);
    const QByteArray issA = QUrl::toPercentEncoding(m_issuer);
    const QByteArray stateA = QUrl::toPercentEncoding(a.state);
    const QByteArray stateB = QUrl::toPercentEncoding(b.state);

    // A's code delivered to B: with A's state, with B's state but A's iss, with no iss.
    QCOMPARE(callbackGet(b.port, "/callback/other?code=" + c + "&state=" + stateA + "&iss=" + issA)
                     .status,
             400);
    QCOMPARE(callbackGet(b.port, "/callback/other?code=" + c + "&state=" + stateB + "&iss=" + issA)
                     .status,
             400);
    QCOMPARE(callbackGet(b.port, "/callback/other?code=" + c + "&state=" + stateB).status, 400);
    QCOMPARE(callbackGet(b.port, "/callback/test?code=" + c + "&state=" + stateA + "&iss=" + issA)
                     .status,
             404);
    QTest::qWait(200);
    QVERIFY2(m_network->tokenRequests().isEmpty(), "a token request was made with a mixed-up code");
    QCOMPARE(a.finished->count(), 0);
    QCOMPARE(b.finished->count(), 0);
    QCOMPARE(rowCount(*m_db, u"users"_s), 0);
    QVERIFY(waitForExit(*browser));
}

void TestOidcSignInFlowIntegration::idTokenFromAnotherFlowIsRejected()
{
    const OidcProviderConfig &config = provider(u"test"_s, m_issuer);
    const oidc::ProviderMetadata metadata = metadataOf(m_issuer);
    QVERIFY(metadata.tokenEndpoint.isValid());

    // A real, correctly signed ID token from another sign-in (its own nonce).
    auto other = signInByHand(*m_network, m_clock, metadata,
                              {u"latchkey-public"_s, {}, oidc::ClientAuthMethod::None},
                              u"/callback/acme"_s, u"alice"_s);
    QVERIFY2(other.ok(), other.ok() ? "" : qPrintable(other.error().message));
    QVERIFY(!other->idToken.isEmpty());

    // The flow's token request is answered with that other sign-in's tokens (a replay).
    CannedHttpServer replayer;
    QVERIFY(replayer.listen());
    const QJsonObject body{{u"access_token"_s, other->accessToken},
                           {u"token_type"_s, u"Bearer"_s},
                           {u"expires_in"_s, 3600},
                           {u"id_token"_s, other->idToken}};
    replayer.enqueue(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
    m_network->divert(metadata.tokenEndpoint, replayer.url(u"/token"_s));
    const qsizetype before = m_network->tokenRequests().size();

    RunningFlow running = startFlow(config);
    QVERIFY(running.port != 0);
    auto browser = startBrowser(running.url, {u"--login"_s, u"alice"_s});
    QTRY_COMPARE_WITH_TIMEOUT(running.finished->count(), 1, kBrowserMs);
    QCOMPARE(replayer.requests().size(), 1);
    QCOMPARE(m_network->tokenRequests().size(), before + 1);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid); // OIDC Core 3.1.3.7 rule 11
    QCOMPARE(rowCount(*m_db, u"users"_s), 0);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 0);
    QCOMPARE(m_keychain->size(), 0);
    QVERIFY(waitForExit(*browser));
}

// docs/security.md: the tab says "Signed in" only when it is true. The real provider signs this
// login's ID token with a key that is not in its JWKS.
void TestOidcSignInFlowIntegration::forgedIdTokenShowsTheFailurePage()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    auto browser = startBrowser(running.url, {u"--login"_s, u"forged-alice"_s});
    QTRY_COMPARE_WITH_TIMEOUT(running.finished->count(), 1, kBrowserMs);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(m_network->tokenRequests().size(), 1);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 0);

    QVERIFY(waitForExit(*browser));
    QCOMPARE(browser->exitCode(), 0);
    const QJsonObject page = browserPage(*browser);
    QCOMPARE(page.value(u"path"_s).toString(), u"/callback/test"_s);
    QCOMPARE(page.value(u"heading"_s).toString(), u"Sign-in did not complete"_s);
    QCOMPARE(page.value(u"status"_s).toInt(), 400);
}

// The real provider answers this login's token request 2 s late: the browser is answered only
// after the exchange, the ID token checks and the session.
void TestOidcSignInFlowIntegration::signedInPageOnlyAfterTheExchange()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    QSignalSpy returned(running.flow.get(), &OidcSignInFlow::callbackReceived);
    auto browser = startBrowser(running.url, {u"--login"_s, u"slow-alice"_s});
    QTRY_COMPARE_WITH_TIMEOUT(returned.count(), 1, kBrowserMs);

    // Until the browser shows its page, watch that the flow got there first.
    bool pageBeforeOutcome = false;
    QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const bool shown = !browserPage(*browser).isEmpty();
                pageBeforeOutcome = pageBeforeOutcome || (shown && running.finished->isEmpty());
                return shown || browser->state() == QProcess::NotRunning;
            }(),
            kBrowserMs);
    QVERIFY2(!pageBeforeOutcome, "the browser showed its page before the sign-in finished");
    QCOMPARE(running.finished->count(), 1);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->user.email, u"slow-alice@example.com"_s);
    const QJsonObject page = browserPage(*browser);
    QCOMPARE(page.value(u"heading"_s).toString(), u"Signed in"_s);
    QCOMPARE(page.value(u"status"_s).toInt(), 200);
    QVERIFY(waitForExit(*browser));
}

namespace {

/// The real time shifted by a fixed number of seconds.
class OffsetClock final : public Clock
{
public:
    explicit OffsetClock(qint64 secs) : m_secs(secs) { }
    QDateTime now() const override { return QDateTime::currentDateTimeUtc().addSecs(m_secs); }

private:
    qint64 m_secs;
};

} // namespace

// docs/security.md: a step-up asks the provider for a fresh sign-in (max_age=0, prompt=login) and
// counts only when the ID token's auth_time says it happened after the step-up began, for an
// account of the same user.
void TestOidcSignInFlowIntegration::stepUpNeedsAFreshSignInAtTheProvider()
{
    const OidcProviderConfig &test = provider(u"test"_s, m_issuer);
    RunningFlow first = startFlow(test);
    QVERIFY(first.port != 0);
    auto browser = startBrowser(first.url, {u"--login"_s, u"sam"_s});
    QTRY_COMPARE_WITH_TIMEOUT(first.finished->count(), 1, kBrowserMs);
    const Result<Session> signedIn = resultAt(*first.finished);
    QVERIFY2(signedIn.ok(), signedIn.ok() ? "" : qPrintable(signedIn.error().message));
    QVERIFY(waitForExit(*browser));
    const QDateTime before = signedIn->authenticatedAt;

    // The step-up's clock runs half an hour ahead, so the provider's auth_time is earlier than
    // the step-up began: as when a provider ignores max_age=0 and reuses an earlier login.
    const OffsetClock ahead(30 * 60);
    RunningFlow stale = startFlow(test, signedIn->user.id, &ahead);
    QVERIFY(stale.port != 0);
    QCOMPARE(queryValue(stale.url, u"max_age"_s), u"0"_s);
    QCOMPARE(queryValue(stale.url, u"prompt"_s), u"login"_s);
    browser = startBrowser(stale.url, {u"--login"_s, u"sam"_s});
    QTRY_COMPARE_WITH_TIMEOUT(stale.finished->count(), 1, kBrowserMs);
    const Result<Session> refused = resultAt(*stale.finished);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::IdTokenRejected);
    QCOMPARE(refused.error().reason, u"auth_time"_s);
    QVERIFY(waitForExit(*browser));
    QCOMPARE(m_sessions->validSession()->authenticatedAt, before);

    // Another person at the provider does not confirm this user.
    RunningFlow other = startFlow(test, signedIn->user.id);
    browser = startBrowser(other.url, {u"--login"_s, u"not-sam"_s});
    QTRY_COMPARE_WITH_TIMEOUT(other.finished->count(), 1, kBrowserMs);
    QCOMPARE(resultAt(*other.finished).error().code, ErrorCode::NotTheSamePerson);
    QVERIFY(waitForExit(*browser));

    // A fresh sign-in as the same person confirms the same session.
    QTest::qWait(1100); // authenticatedAt has whole seconds
    RunningFlow fresh = startFlow(test, signedIn->user.id);
    browser = startBrowser(fresh.url, {u"--login"_s, u"sam"_s});
    QTRY_COMPARE_WITH_TIMEOUT(fresh.finished->count(), 1, kBrowserMs);
    const Result<Session> confirmed = resultAt(*fresh.finished);
    QVERIFY2(confirmed.ok(), confirmed.ok() ? "" : qPrintable(confirmed.error().message));
    QCOMPARE(confirmed->sessionId, signedIn->sessionId);
    QVERIFY(confirmed->authenticatedAt > before);
    QVERIFY(waitForExit(*browser));
}

// The sign-in policy at a real provider: the `hd` claim is checked, not only requested, and the
// allowed email domains apply to the provider's verified address. A refusal creates nobody.
void TestOidcSignInFlowIntegration::signInPolicyChecksHostedDomainAndEmailDomain()
{
    OidcProviderConfig workspace = provider(u"test"_s, m_issuer);
    workspace.hostedDomain = u"example.com"_s;
    m_providers.push_back(workspace);
    Config policyConfig;
    policyConfig.providers = {workspace};
    const SignInPolicy policy(policyConfig);
    m_linker = std::make_unique<AccountLinker>(*m_db, m_clock, &policy);
    const auto users = [this]() {
        auto query = m_db->run(u"SELECT COUNT(*) FROM users"_s, {}, u"count"_s);
        return query && query.value().next() ? query.value().value(0).toInt() : -1;
    };

    // A consumer account (no `hd`): refused although the provider was asked for example.com.
    RunningFlow consumer = startFlow(m_providers.back());
    QVERIFY(consumer.port != 0);
    QCOMPARE(queryValue(consumer.url, u"hd"_s), u"example.com"_s);
    auto browser = startBrowser(consumer.url, {u"--login"_s, u"ann"_s});
    QTRY_COMPARE_WITH_TIMEOUT(consumer.finished->count(), 1, kBrowserMs);
    const Result<Session> refused = resultAt(*consumer.finished);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::SignInNotAllowed);
    QCOMPARE(refused.error().reason, u"hosted_domain"_s);
    QCOMPARE(refused.error().subject, u"example.com"_s);
    QVERIFY(waitForExit(*browser));
    QCOMPARE(users(), 0);
    QVERIFY(!m_sessions->validSession().ok());

    // An account of the domain signs in.
    RunningFlow member = startFlow(m_providers.back());
    browser = startBrowser(member.url, {u"--login"_s, u"ws-ann"_s});
    QTRY_COMPARE_WITH_TIMEOUT(member.finished->count(), 1, kBrowserMs);
    const Result<Session> admitted = resultAt(*member.finished);
    QVERIFY2(admitted.ok(), admitted.ok() ? "" : qPrintable(admitted.error().message));
    QCOMPARE(admitted->user.email, u"ws-ann@example.com"_s);
    QVERIFY(waitForExit(*browser));

    // Only example.org addresses now: the same kind of account is refused by its address.
    policyConfig.allowedEmailDomains = {u"example.org"_s};
    RunningFlow outside = startFlow(m_providers.back());
    browser = startBrowser(outside.url, {u"--login"_s, u"ws-bob"_s});
    QTRY_COMPARE_WITH_TIMEOUT(outside.finished->count(), 1, kBrowserMs);
    const Result<Session> notListed = resultAt(*outside.finished);
    QVERIFY(!notListed.ok());
    QCOMPARE(notListed.error().code, ErrorCode::SignInNotAllowed);
    QCOMPARE(notListed.error().reason, u"email_domain"_s);
    QVERIFY(waitForExit(*browser));
    QCOMPARE(users(), 1);
    m_linker.reset(); // before `policy` goes
}

// docs/security.md: a few dozen idle or slow local connections, re-opened whenever the listener
// drops them at their deadline, do not keep the real browser out.
void TestOidcSignInFlowIntegration::idleConnectionsDoNotKeepTheBrowserOut()
{
    RunningFlow running = startFlow(provider(u"test"_s, m_issuer));
    QVERIFY(running.port != 0);
    IdleConnections hogs(running.port, 40);
    QTest::qWait(300);
    QVERIFY(hogs.open() > 0);

    auto browser = startBrowser(running.url, {u"--login"_s, u"alice"_s});
    QTRY_COMPARE_WITH_TIMEOUT(running.finished->count(), 1, kBrowserMs);
    const Result<Session> &result = resultAt(*running.finished);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QVERIFY(waitForExit(*browser));
    QCOMPARE(browserPage(*browser).value(u"heading"_s).toString(), u"Signed in"_s);
    QVERIFY2(hogs.reopened() > 0 || hogs.open() > 0, "the hostile connections were not kept up");
}

void TestOidcSignInFlowIntegration::userinfoOnlyForAMissingClaim()
{
    // The harness puts name and email into the ID token; a "pic-" login has a picture too.
    const OidcProviderConfig &config = provider(u"test"_s, m_issuer);
    const QUrl userinfo = metadataOf(m_issuer).userinfoEndpoint;
    QVERIFY(userinfo.isValid());
    const auto userinfoRequests = [this, &userinfo]() {
        return std::count_if(m_network->sent().cbegin(), m_network->sent().cend(),
                             [&userinfo](const SentRequest &sent) { return sent.url == userinfo; });
    };
    const auto signIn = [&](const QString &login) -> Result<Session> {
        RunningFlow running = startFlow(config);
        if (running.url.isEmpty())
            return Error::make(ErrorKind::Network, ErrorCode::Unspecified, u"no URL"_s);
        auto browser = startBrowser(running.url, {u"--login"_s, login});
        if (!QTest::qWaitFor([&running]() { return running.finished->count() == 1; }, kBrowserMs))
            return Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut, u"no end"_s);
        (void)waitForExit(*browser);
        return resultAt(*running.finished);
    };

    const Result<Session> pictured = signIn(u"pic-ann"_s);
    QVERIFY2(pictured.ok(), pictured.ok() ? "" : qPrintable(pictured.error().message));
    QCOMPARE(pictured->user.name, u"Pic-ann"_s);
    QCOMPARE(pictured->user.image, u"https://pictures.example.com/pic-ann.png"_s);
    QCOMPARE(userinfoRequests(), 0); // everything the account needs was in the ID token

    const Result<Session> plain = signIn(u"bob"_s);
    QVERIFY2(plain.ok(), plain.ok() ? "" : qPrintable(plain.error().message));
    QCOMPARE(plain->user.email, u"bob@example.com"_s);
    QCOMPARE(userinfoRequests(), 1); // no picture in the ID token: userinfo is asked
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestOidcSignInFlowIntegration)
#include "tst_oidcsigninflow.moc"
