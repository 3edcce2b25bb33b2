// ID-token signing key rotation against the real oidc-provider: the test runs its own provider
// (tests/harness/oidc/provider.mjs --key-generation N) and restarts it on the same port with a new
// key and `kid`, as a provider publishes after rotating its keys (OIDC Core §10.1.1). One JwksCache
// serves every sign-in, as in the app. Its clock is a FakeClock (set to the real time) so the test
// decides when the one-minute refetch limit has passed; everything else uses the real clock because
// the provider's tokens carry the real time.
//
// Needs tests/harness/with-services (the browser driver), node on PATH and LATCHKEY_SOURCE_DIR.

#include "auth/oidcsigninflow.h"
#include "keychain/keychainpolicy.h"

#include "../email/emailtest.h"
#include "auth/accountlinker.h"
#include "auth/providertokens.h"
#include "core/clock.h"
#include "fakeclock.h"
#include "fakesecretstore.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "session/sessionmanager.h"
#include "tst_oidcsigninflow_support.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kProviderStartMs = 20000;
// A bound for a hang, not a speed check (a loaded CI machine with sanitizers took over 30 s).
constexpr int kBrowserMs = 60000;

/// A port nothing listens on right now (the kernel's choice for an ephemeral bind).
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

class TestKeyRotation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void rotatedKeysAreFetchedWithinTheRefetchLimit();

private:
    bool startProvider(int generation);
    void stopProvider();
    Result<Session> signIn(const QString &login);
    qsizetype jwksGets() const;
    QString kid(int generation) const;

    QString m_providerScript;
    QString m_node;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_provider;
    QTemporaryDir m_dir;
    SystemClock m_clock; // the provider's tokens carry the real time
    std::unique_ptr<FakeClock> m_jwksClock; // only the JWKS cache's refetch limit reads it
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RecordingNetworkAccessManager> m_network;
    std::unique_ptr<oidc::DiscoveryCache> m_discovery;
    std::unique_ptr<oidc::JwksCache> m_jwks;
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<FakeSecretStore> m_memory;
    std::unique_ptr<KeychainPolicy> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    Config m_appConfig; // ProviderTokens::store() needs no provider from it
    std::unique_ptr<ProviderTokens> m_tokens;
    std::unique_ptr<OidcProviderConfig> m_config; // the flow keeps a reference
};

void TestKeyRotation::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("LATCHKEY_TEST_BROWSER"))
        QFAIL("run this test inside tests/harness/with-services (no browser driver)");
    m_providerScript =
            qEnvironmentVariable("LATCHKEY_SOURCE_DIR") + u"/tests/harness/oidc/provider.mjs"_s;
    QVERIFY2(QFile::exists(m_providerScript),
             "LATCHKEY_SOURCE_DIR does not point at the source tree (CTest sets it)");
    m_node = QStandardPaths::findExecutable(u"node"_s);
    QVERIFY2(!m_node.isEmpty(), "node is not on PATH (scripts/install-deps)");
}

void TestKeyRotation::init()
{
    m_port = freeLoopbackPort();
    QVERIFY(m_port != 0);
    m_jwksClock = std::make_unique<FakeClock>(QDateTime::currentDateTimeUtc());
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
            ProviderTokensDeps{m_appConfig, *m_db, *m_keychain, *m_network, *m_discovery, m_clock,
                               [this](const oidc::ProviderMetadata &) -> oidc::JwksCache & {
                                   return *m_jwks; // made by the sign-in that stored the tokens
                               }});
    m_config = std::make_unique<OidcProviderConfig>();
    m_config->id = u"test"_s;
    m_config->label = u"TEST"_s;
    m_config->issuer = QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
    m_config->clientId = u"latchkey-public"_s;
    m_config->scopes = {u"openid"_s, u"email"_s, u"profile"_s, u"offline_access"_s};
}

void TestKeyRotation::cleanup()
{
    stopProvider();
    m_tokens.reset();
    m_sessions.reset();
    m_memory.reset();
    m_keychain.reset();
    m_linker.reset();
    m_jwks.reset();
    m_discovery.reset();
    m_network.reset();
    m_db.reset();
    m_config.reset();
    m_jwksClock.reset();
}

bool TestKeyRotation::startProvider(int generation)
{
    m_provider = std::make_unique<QProcess>();
    m_provider->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_provider->start(m_node,
                      {m_providerScript, u"--port"_s, QString::number(m_port),
                       u"--key-generation"_s, QString::number(generation)});
    const QByteArray ready =
            "oidc-provider ready issuer=http://127.0.0.1:" + QByteArray::number(m_port) + ' ';
    QByteArray output;
    const bool up = QTest::qWaitFor(
            [this, &output, &ready]() {
                output += m_provider->readAllStandardOutput();
                return output.contains(ready) || m_provider->state() == QProcess::NotRunning;
            },
            kProviderStartMs);
    if (up && output.contains(ready))
        return true;
    qWarning("the provider (generation %d) did not start: %s", generation, output.constData());
    stopProvider();
    return false;
}

void TestKeyRotation::stopProvider()
{
    if (!m_provider)
        return;
    if (m_provider->state() != QProcess::NotRunning) {
        m_provider->terminate(); // provider.mjs closes its server and exits on SIGTERM
        if (!m_provider->waitForFinished(5000)) {
            m_provider->kill();
            m_provider->waitForFinished(2000);
        }
    }
    m_provider.reset();
}

Result<Session> TestKeyRotation::signIn(const QString &login)
{
    OidcSignInDeps deps{*m_config,
                        true,
                        *m_network,
                        *m_discovery,
                        [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                            // One cache for the issuer, shared by every sign-in (as in the app).
                            if (!m_jwks)
                                m_jwks = std::make_unique<oidc::JwksCache>(
                                        metadata.jwksUri,
                                        oidc::networkDocumentFetcher(m_network.get()),
                                        *m_jwksClock);
                            return *m_jwks;
                        },
                        nullptr,
                        *m_linker,
                        *m_sessions,
                        *m_tokens,
                        m_clock};
    OidcSignInFlow flow(std::move(deps));
    QSignalSpy finished(&flow, &OidcSignInFlow::finished);
    QSignalSpy ready(&flow, &OidcSignInFlow::authorizationUrlReady);
    flow.start();
    if (!ready.wait(10000) || ready.isEmpty())
        return Error::make(ErrorKind::Timeout, u"the flow did not announce an authorization URL"_s);
    auto browser = startBrowser(ready.first().first().toUrl(), {u"--login"_s, login});
    if (!QTest::qWaitFor([&finished]() { return !finished.isEmpty(); }, kBrowserMs))
        return Error::make(ErrorKind::Timeout, u"the sign-in did not finish"_s);
    (void)waitForExit(*browser);
    return *static_cast<const Result<Session> *>(finished.first().first().constData());
}

qsizetype TestKeyRotation::jwksGets() const
{
    if (!m_jwks)
        return 0;
    qsizetype count = 0;
    for (const SentRequest &request : m_network->sent()) {
        if (request.operation == QNetworkAccessManager::GetOperation &&
            request.url == m_jwks->jwksUri())
            ++count;
    }
    return count;
}

QString TestKeyRotation::kid(int generation) const
{
    return u"latchkey-test-%1-g%2"_s.arg(m_port).arg(generation);
}

void TestKeyRotation::rotatedKeysAreFetchedWithinTheRefetchLimit()
{
    QVERIFY(startProvider(1));
    const Result<Session> first = signIn(u"alice"_s);
    QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
    QCOMPARE(first->user.email, u"alice@example.com"_s);
    QVERIFY(m_jwks);
    QCOMPARE(m_jwks->keyIds(), QStringList{kid(1)});
    QCOMPARE(jwksGets(), 1);

    // The provider rotates right after our first fetch: same issuer and port, a new key under a
    // new kid. Its grants and sessions were in memory, so the browser logs in again. The first
    // fetch does not count against the refetch limit: one refetch, and the new key is accepted.
    stopProvider();
    QVERIFY(startProvider(2));
    const Result<Session> second = signIn(u"alice"_s);
    QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().message));
    QCOMPARE(second->user.id, first->user.id); // same (iss, sub), same user
    QCOMPARE(jwksGets(), 2);
    QCOMPARE(m_jwks->keyIds(), QStringList{kid(2)}); // verified with the new key

    // Another rotation within the minute of that refetch: the token's kid is refused without
    // asking the provider again (jwkscache.h), and the current session is untouched.
    stopProvider();
    QVERIFY(startProvider(3));
    const Result<Session> early = signIn(u"alice"_s);
    QVERIFY(!early.ok());
    QCOMPARE(early.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(early.error().reason, u"unknown_key"_s);
    QVERIFY2(early.error().message.contains(kid(3)), qPrintable(early.error().message));
    QCOMPARE(jwksGets(), 2);
    QVERIFY(m_sessions->current());
    QCOMPARE(m_sessions->current()->sessionId, second->sessionId);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 1);

    // A minute later the same cache refetches once and accepts the newest key.
    m_jwksClock->advance(oidc::JwksCache::kMinRefetchIntervalSecs + 1);
    const Result<Session> third = signIn(u"alice"_s);
    QVERIFY2(third.ok(), third.ok() ? "" : qPrintable(third.error().message));
    QCOMPARE(jwksGets(), 3);
    QCOMPARE(m_jwks->keyIds(), QStringList{kid(3)});
    QCOMPARE(m_sessions->current()->sessionId, third->sessionId);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 1);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestKeyRotation)
#include "tst_keyrotation.moc"
