// The tokens a browser sign-in yields, used afterwards against the real oidc-provider:
// TokenRefreshCoordinator makes one request for concurrent callers and persists the rotated
// refresh token before anyone sees the new access token; a revoked refresh token (RFC 7009) gets
// invalid_grant, which is reported once and never retried.
//
// Signing-key rotation is tested in tst_keyrotation.cpp (the provider restarted with
// --key-generation 2 on the same port).

#include "core/clock.h"
#include "fakesecretstore.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/revocationjob.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenrefreshcoordinator.h"
#include "tst_oidcsigninflow_support.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

const QString kRefreshKey = u"tok/test/1/refresh"_s;

/// What one caller of the coordinator received.
struct Delivery
{
    std::optional<Error> error;
    QString accessToken;
    QByteArray storedWhenDelivered; ///< the keychain's refresh token at that moment
};

} // namespace

class TestOidcSignInFlowRefresh : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void concurrentCallersShareOneRefresh_data();
    void concurrentCallersShareOneRefresh();
    void revokedRefreshTokenIsInvalidGrant();

private:
    oidc::ProviderMetadata metadata();
    oidc::TokenRefreshCoordinator::PersistFunction persistToKeychain();
    void ask(oidc::TokenRefreshCoordinator &coordinator, const oidc::RefreshParameters &parameters,
             QList<Delivery> &out);
    int userinfoStatus(const oidc::ProviderMetadata &metadata, const QString &accessToken);

    QString m_issuer;
    SystemClock m_clock;
    std::unique_ptr<RecordingNetworkAccessManager> m_network;
    std::unique_ptr<FakeSecretStore> m_keychain;
    int m_persists = 0;
};

void TestOidcSignInFlowRefresh::initTestCase()
{
    m_issuer = qEnvironmentVariable("LATCHKEY_TEST_OIDC_ISSUER");
    if (m_issuer.isEmpty() || qEnvironmentVariableIsEmpty("LATCHKEY_TEST_BROWSER"))
        QFAIL("run this test inside tests/harness/with-services (no OIDC issuer or browser)");
}

void TestOidcSignInFlowRefresh::init()
{
    m_network = std::make_unique<RecordingNetworkAccessManager>();
    m_keychain = std::make_unique<FakeSecretStore>();
    m_persists = 0;
}

void TestOidcSignInFlowRefresh::cleanup()
{
    m_keychain.reset();
    m_network.reset();
}

oidc::ProviderMetadata TestOidcSignInFlowRefresh::metadata()
{
    oidc::DiscoveryCache discovery(oidc::networkDocumentFetcher(m_network.get()), m_clock);
    std::optional<Result<oidc::ProviderMetadata>> found;
    discovery.metadata(m_issuer, oidc::MetadataOptions{true, {}}, this,
                       [&found](Result<oidc::ProviderMetadata> r) { found = r; });
    if (!QTest::qWaitFor([&found]() { return found.has_value(); }, 10000) || !found->ok())
        return {};
    return found->value();
}

oidc::TokenRefreshCoordinator::PersistFunction TestOidcSignInFlowRefresh::persistToKeychain()
{
    // Like the app: the rotated refresh token goes to the (asynchronous) keychain first.
    return [this](const QString &, const oidc::TokenResponse &tokens,
                  oidc::TokenRefreshCoordinator::PersistDone done) {
        ++m_persists;
        m_keychain->write(kRefreshKey, tokens.refreshToken.toUtf8(), this,
                          [done](Status status) { done(status); });
    };
}

void TestOidcSignInFlowRefresh::ask(oidc::TokenRefreshCoordinator &coordinator,
                                    const oidc::RefreshParameters &parameters, QList<Delivery> &out)
{
    coordinator.refresh(parameters, this, [this, &out](const Result<oidc::TokenResponse> &result) {
        Delivery delivery;
        delivery.storedWhenDelivered = m_keychain->value(kRefreshKey);
        if (result.ok())
            delivery.accessToken = result->accessToken;
        else
            delivery.error = result.error();
        out.append(delivery);
    });
}

int TestOidcSignInFlowRefresh::userinfoStatus(const oidc::ProviderMetadata &metadata,
                                              const QString &accessToken)
{
    QNetworkRequest request(metadata.userinfoEndpoint);
    request.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    std::unique_ptr<QNetworkReply> reply(m_network->get(request));
    if (!QTest::qWaitFor([&reply]() { return reply->isFinished(); }, 10000))
        return 0;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestOidcSignInFlowRefresh::concurrentCallersShareOneRefresh_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("rotates");
    // oidc-provider rotates a public client's refresh token at every use; the desktop client's is
    // kept (RFC 6749 §6: the old token stays valid when no new one is sent).
    QTest::newRow("public client, rotated") << u"latchkey-public"_s << QString() << true;
    QTest::newRow("desktop client, kept")
            << u"latchkey-desktop"_s << u"desktop-not-secret"_s << false;
}

void TestOidcSignInFlowRefresh::concurrentCallersShareOneRefresh()
{
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(bool, rotates);
    const oidc::ProviderMetadata meta = metadata();
    QVERIFY(meta.tokenEndpoint.isValid());
    const oidc::ClientAuthentication client{clientId, secret,
                                            secret.isEmpty()
                                                    ? oidc::ClientAuthMethod::None
                                                    : oidc::ClientAuthMethod::ClientSecretPost};
    auto tokens = signInByHand(*m_network, m_clock, meta, client, u"/callback/test"_s, u"dave"_s);
    QVERIFY2(tokens.ok(), tokens.ok() ? "" : qPrintable(tokens.error().message));
    const QString original = tokens->refreshToken;
    QVERIFY2(!original.isEmpty(), "no refresh token (offline_access) from the provider");
    m_keychain->seed(kRefreshKey, original.toUtf8());

    oidc::TokenRefreshCoordinator coordinator(*m_network, m_clock, persistToKeychain());
    QSignalSpy revoked(&coordinator, &oidc::TokenRefreshCoordinator::grantRevoked);
    const oidc::RefreshParameters parameters{u"dave"_s, meta.tokenEndpoint, original, {}, client};
    const qsizetype before = m_network->tokenRequests().size();
    QList<Delivery> deliveries;
    for (int i = 0; i < 3; ++i)
        ask(coordinator, parameters, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 3, 15000);
    QCOMPARE(m_network->tokenRequests().size(), before + 1); // one request for three callers
    QCOMPARE(m_persists, 1);
    QCOMPARE(revoked.count(), 0);

    const QByteArray stored = m_keychain->value(kRefreshKey);
    QVERIFY(!stored.isEmpty());
    QCOMPARE(stored != original.toUtf8(), rotates);
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY2(!delivery.error, delivery.error ? qPrintable(delivery.error->message) : "");
        QCOMPARE(delivery.accessToken, deliveries.first().accessToken);
        // Stored before use: the caller saw the access token only after the keychain write.
        QCOMPARE(delivery.storedWhenDelivered, stored);
    }
    QVERIFY(deliveries.first().accessToken != tokens->accessToken);
    QCOMPARE(userinfoStatus(meta, deliveries.first().accessToken), 200);

    // The persisted refresh token is the one that works next time.
    QList<Delivery> next;
    ask(coordinator, {u"dave"_s, meta.tokenEndpoint, QString::fromUtf8(stored), {}, client}, next);
    QTRY_COMPARE_WITH_TIMEOUT(next.size(), 1, 15000);
    QVERIFY2(!next.first().error,
             next.first().error ? qPrintable(next.first().error->message) : "");
    QCOMPARE(m_network->tokenRequests().size(), before + 2);
}

void TestOidcSignInFlowRefresh::revokedRefreshTokenIsInvalidGrant()
{
    const oidc::ProviderMetadata meta = metadata();
    QVERIFY(meta.revocationEndpoint.isValid());
    const oidc::ClientAuthentication client{u"latchkey-public"_s, {}, oidc::ClientAuthMethod::None};
    auto tokens = signInByHand(*m_network, m_clock, meta, client, u"/callback/test"_s, u"erin"_s);
    QVERIFY2(tokens.ok(), tokens.ok() ? "" : qPrintable(tokens.error().message));
    QVERIFY(!tokens->refreshToken.isEmpty());
    m_keychain->seed(kRefreshKey, tokens->refreshToken.toUtf8());

    // Sign-out's revocation (RFC 7009 §2.1).
    oidc::RevocationJob revocation(*m_network, meta.revocationEndpoint, tokens->refreshToken,
                                   u"refresh_token"_s, client);
    QSignalSpy revokedAtProvider(&revocation, &oidc::RevocationJob::finished);
    revocation.start();
    QTRY_COMPARE_WITH_TIMEOUT(revokedAtProvider.count(), 1, 10000);
    QVERIFY(static_cast<const Status *>(revokedAtProvider.first().first().constData())->ok());

    oidc::TokenRefreshCoordinator coordinator(*m_network, m_clock, persistToKeychain());
    QSignalSpy grantRevoked(&coordinator, &oidc::TokenRefreshCoordinator::grantRevoked);
    const qsizetype before = m_network->tokenRequests().size();
    QList<Delivery> deliveries;
    ask(coordinator, {u"erin"_s, meta.tokenEndpoint, tokens->refreshToken, {}, client}, deliveries);
    ask(coordinator, {u"erin"_s, meta.tokenEndpoint, tokens->refreshToken, {}, client}, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 2, 15000);
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY(delivery.error);
        QVERIFY2(oidc::isInvalidGrant(*delivery.error), qPrintable(delivery.error->message));
    }
    QCOMPARE(grantRevoked.count(), 1);
    QCOMPARE(grantRevoked.first().first().toString(), u"erin"_s);
    QCOMPARE(m_persists, 0); // nothing new stored
    QTest::qWait(300);
    QCOMPARE(m_network->tokenRequests().size(), before + 1); // never retried
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestOidcSignInFlowRefresh)
#include "tst_oidcsigninflow_refresh.moc"
