#include "fakeclock.h"
#include "oidc/discoverycache.h"
#include "oidc/discoveryjob.h"
#include "tst_josesupport.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;

namespace {

const QString kIssuer = QStringLiteral("https://issuer.example");

QByteArray document(const QString &issuer, const QString &tokenPath = QStringLiteral("/token"))
{
    return QStringLiteral(R"({"issuer":"%1","authorization_endpoint":"%1/auth",
        "token_endpoint":"%1%2","jwks_uri":"%1/jwks"})")
            .arg(issuer, tokenPath)
            .toUtf8();
}

} // namespace

class TestDiscoveryCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reusesFreshMetadata();
    void sharesConcurrentFetches();
    void doesNotCacheFailures();
    void separatesIssuersAndOptions();
    void separatesDocumentIssuers();

private:
    Result<ProviderMetadata> get(DiscoveryCache &cache, const QString &issuer,
                                 const MetadataOptions &options = {});
};

Result<ProviderMetadata> TestDiscoveryCache::get(DiscoveryCache &cache, const QString &issuer,
                                                 const MetadataOptions &options)
{
    std::optional<Result<ProviderMetadata>> out;
    cache.metadata(issuer, options, this,
                   [&out](Result<ProviderMetadata> result) { out = std::move(result); });
    if (out)
        return Error::make(ErrorKind::Protocol, QStringLiteral("answered synchronously"));
    static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
    if (!out)
        return Error::make(ErrorKind::Timeout, QStringLiteral("no answer"));
    return *out;
}

void TestDiscoveryCache::reusesFreshMetadata()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    const QUrl url = DiscoveryJob::discoveryUrl(kIssuer);
    fetcher.serve(url, document(kIssuer));
    DiscoveryCache cache(fetcher.fetcher(), clock);
    cache.setMaxAgeSeconds(600);

    QVERIFY(get(cache, kIssuer).ok());
    QVERIFY(cache.cached(kIssuer).has_value());
    clock.advance(599);
    fetcher.serve(url, document(kIssuer, QStringLiteral("/token2")));
    const auto second = get(cache, kIssuer);
    QCOMPARE(second->tokenEndpoint, QUrl(kIssuer + u"/token")); // from memory
    QCOMPARE(fetcher.count(url), 1);

    clock.advance(1); // max age reached
    QVERIFY(!cache.cached(kIssuer).has_value());
    const auto third = get(cache, kIssuer);
    QCOMPARE(third->tokenEndpoint, QUrl(kIssuer + u"/token2"));
    QCOMPARE(fetcher.count(url), 2);

    cache.clear();
    QVERIFY(get(cache, kIssuer).ok());
    QCOMPARE(fetcher.count(url), 3);
}

void TestDiscoveryCache::sharesConcurrentFetches()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    const QUrl url = DiscoveryJob::discoveryUrl(kIssuer);
    fetcher.serve(url, document(kIssuer));
    DiscoveryCache cache(fetcher.fetcher(), clock);

    int answers = 0;
    auto *gone = new QObject;
    bool goneCalled = false;
    for (int i = 0; i < 3; ++i) {
        cache.metadata(kIssuer, {}, this, [&answers](const Result<ProviderMetadata> &result) {
            answers += result.ok() ? 1 : 0;
        });
    }
    cache.metadata(kIssuer, {}, gone,
                   [&goneCalled](const Result<ProviderMetadata> &) { goneCalled = true; });
    delete gone;
    QTRY_COMPARE(answers, 3);
    QCOMPARE(fetcher.count(url), 1);
    QVERIFY(!goneCalled);
}

void TestDiscoveryCache::doesNotCacheFailures()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    const QUrl url = DiscoveryJob::discoveryUrl(kIssuer);
    DiscoveryCache cache(fetcher.fetcher(), clock);

    const auto first = get(cache, kIssuer);
    QCOMPARE(first.error().kind, ErrorKind::Network);
    fetcher.serve(url, document(kIssuer));
    QVERIFY(get(cache, kIssuer).ok());
    QCOMPARE(fetcher.count(url), 2);
}

void TestDiscoveryCache::separatesIssuersAndOptions()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    const QString loopback = QStringLiteral("http://127.0.0.1:4000");
    fetcher.serve(DiscoveryJob::discoveryUrl(loopback), document(loopback));
    DiscoveryCache cache(fetcher.fetcher(), clock);

    QVERIFY(get(cache, loopback, MetadataOptions{true, {}}).ok());
    // Metadata accepted under allowLoopbackHttp is never served to a strict caller.
    const auto strict = get(cache, loopback);
    QVERIFY(!strict.ok());
    QCOMPARE(strict.error().kind, ErrorKind::Config);
    QVERIFY(!cache.cached(kIssuer).has_value());
}

void TestDiscoveryCache::separatesDocumentIssuers()
{
    // Microsoft's multi-tenant document names a template as its issuer; metadata accepted for a
    // caller who expects that template is never served to a caller who does not.
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    const QString common = QStringLiteral("https://login.example/common/v2.0");
    const QString templ = QStringLiteral("https://login.example/{tenantid}/v2.0");
    const QUrl url = DiscoveryJob::discoveryUrl(common);
    fetcher.serve(url, R"({"issuer":"https://login.example/{tenantid}/v2.0",
        "authorization_endpoint":"https://login.example/common/auth",
        "token_endpoint":"https://login.example/common/token",
        "jwks_uri":"https://login.example/common/keys"})");
    DiscoveryCache cache(fetcher.fetcher(), clock);

    const auto forTemplate = get(cache, common, MetadataOptions{false, templ});
    QVERIFY2(forTemplate.ok(), forTemplate.ok() ? "" : qPrintable(forTemplate.error().message));
    const auto strict = get(cache, common);
    QVERIFY(!strict.ok());
    QCOMPARE(fetcher.count(url), 2);
    QVERIFY(get(cache, common, MetadataOptions{false, templ}).ok());
    QCOMPARE(fetcher.count(url), 2); // the template's answer is still cached
}

QTEST_GUILESS_MAIN(TestDiscoveryCache)
#include "tst_discoverycache.moc"
