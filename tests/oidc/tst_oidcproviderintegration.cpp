// Integration: discovery and JWKS against the real OpenID provider started by
// tests/harness/with-services (LATCHKEY_TEST_OIDC_ISSUER, LATCHKEY_TEST_OIDC2_ISSUER).

#include "core/clock.h"
#include "oidc/discoverycache.h"
#include "oidc/discoveryjob.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"

#include <QNetworkAccessManager>
#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;

class TestOidcProviderIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void discoversRealProvider();
    void fetchesRealKeySet();
    void rejectsIssuerMismatch_data();
    void rejectsIssuerMismatch();
    void refusesHttpWithoutFlag();

private:
    Result<ProviderMetadata> discover(const QString &issuer, bool allowLoopbackHttp = true);

    QNetworkAccessManager m_manager;
    SystemClock m_clock;
    QString m_issuer;
    QString m_issuer2;
};

void TestOidcProviderIntegration::initTestCase()
{
    m_issuer = qEnvironmentVariable("LATCHKEY_TEST_OIDC_ISSUER");
    m_issuer2 = qEnvironmentVariable("LATCHKEY_TEST_OIDC2_ISSUER");
    if (m_issuer.isEmpty()) {
        QFAIL("LATCHKEY_TEST_OIDC_ISSUER is not set: run this test through "
              "tests/harness/with-services.");
    }
}

Result<ProviderMetadata> TestOidcProviderIntegration::discover(const QString &issuer,
                                                               bool allowLoopbackHttp)
{
    DiscoveryJob job(issuer, networkDocumentFetcher(&m_manager));
    job.setOptions(MetadataOptions{allowLoopbackHttp, {}});
    std::optional<Result<ProviderMetadata>> out;
    connect(&job, &DiscoveryJob::finished, this,
            [&out](const Result<ProviderMetadata> &result) { out = result; });
    job.start();
    static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 20000));
    if (!out)
        return Error::make(ErrorKind::Timeout, QStringLiteral("discovery did not finish"));
    return *out;
}

void TestOidcProviderIntegration::discoversRealProvider()
{
    const auto metadata = discover(m_issuer);
    QVERIFY2(metadata.ok(), metadata.ok() ? "" : qPrintable(metadata.error().message));
    QCOMPARE(metadata->issuer, m_issuer);
    QVERIFY(metadata->codeChallengeMethodsSupported.contains(QStringLiteral("S256")));
    QVERIFY(metadata->idTokenSigningAlgValuesSupported.contains(QStringLiteral("RS256")));
    QVERIFY(!metadata->revocationEndpoint.isEmpty());
    QVERIFY(metadata->authorizationResponseIssParameterSupported);
    QCOMPARE(metadata->jwksUri.host(), QUrl(m_issuer).host());
    QCOMPARE(metadata->jwksUri.port(), QUrl(m_issuer).port());
}

void TestOidcProviderIntegration::fetchesRealKeySet()
{
    DiscoveryCache discovery(networkDocumentFetcher(&m_manager), m_clock);
    std::optional<Result<ProviderMetadata>> metadata;
    discovery.metadata(m_issuer, MetadataOptions{true, {}}, this,
                       [&metadata](Result<ProviderMetadata> result) { metadata = result; });
    QTRY_VERIFY_WITH_TIMEOUT(metadata.has_value(), 20000);
    QVERIFY2(metadata->ok(), metadata->ok() ? "" : qPrintable(metadata->error().message));

    JwksCache jwks(metadata->value().jwksUri, networkDocumentFetcher(&m_manager), m_clock);
    std::optional<Status> status;
    jwks.refresh(this, [&status](Status s) { status = s; });
    QTRY_VERIFY_WITH_TIMEOUT(status.has_value(), 20000);
    QVERIFY2(status->ok(), status->ok() ? "" : qPrintable(status->error().message));
    QVERIFY(!jwks.keyIds().isEmpty());

    // Every published RSA key is selectable for RS256 by its kid, without another fetch.
    const int fetches = jwks.fetchCount();
    int found = 0;
    for (const QString &kid : jwks.keyIds()) {
        std::optional<Result<JwksCache::Key>> key;
        jwks.findKey(kid, QStringLiteral("RS256"), this,
                     [&key](Result<JwksCache::Key> k) { key = std::move(k); });
        QTRY_VERIFY(key.has_value());
        found += key->ok() ? 1 : 0;
    }
    QVERIFY(found >= 1);
    QCOMPARE(jwks.fetchCount(), fetches);

    if (!m_issuer2.isEmpty()) {
        // The second, independent provider validates under its own issuer and serves its own set.
        auto metadata2 = discover(m_issuer2);
        QVERIFY(metadata2.ok());
        JwksCache jwks2(metadata2->jwksUri, networkDocumentFetcher(&m_manager), m_clock);
        std::optional<Status> status2;
        jwks2.refresh(this, [&status2](Status s) { status2 = s; });
        QTRY_VERIFY_WITH_TIMEOUT(status2.has_value(), 20000);
        QVERIFY(status2->ok());
        QVERIFY(metadata2->jwksUri != metadata->value().jwksUri);
    }
}

void TestOidcProviderIntegration::rejectsIssuerMismatch_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("trailing slash") << QString(m_issuer + u'/') << ErrorKind::Config
                                    << QString(u"says its issuer is " + m_issuer + u';');
    QTest::newRow("unknown path") << QString(m_issuer + u"/tenant") << ErrorKind::Protocol
                                  << QStringLiteral("HTTP 404");
}

void TestOidcProviderIntegration::rejectsIssuerMismatch()
{
    QFETCH(QString, configured);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, messagePart);
    const auto metadata = discover(configured);
    QVERIFY(!metadata.ok());
    QCOMPARE(metadata.error().kind, kind);
    QVERIFY2(metadata.error().message.contains(messagePart), qPrintable(metadata.error().message));
}

void TestOidcProviderIntegration::refusesHttpWithoutFlag()
{
    const auto metadata = discover(m_issuer, false);
    QVERIFY(!metadata.ok());
    QCOMPARE(metadata.error().kind, ErrorKind::Config);
}

QTEST_GUILESS_MAIN(TestOidcProviderIntegration)
#include "tst_oidcproviderintegration.moc"
