#include "core/module.h"
#include "fakeclock.h"
#include "oidc/jwkscache.h"
#include "tst_josesupport.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::FakeClock;
using latchkey::test::FakeFetcher;
using latchkey::test::TestKey;

namespace {

const QUrl kJwksUri(QStringLiteral("https://issuer.example/jwks"));

} // namespace

/// The JWKS kept across runs (docs/architecture.md, oidc/): a second cache over the same data
/// dir — the next run — finds the key without fetching, and still fetches when it must.
class TestJwksPersist : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void nextRunFindsKeyWithoutFetching();
    void unknownKidRefetches();
    void expiredSetRefetches();
    void corruptFileIsIgnored();
    void fileHoldsPublicKeysOnlyOwnerOnly();

private:
    Result<JwksCache::Key> find(JwksCache &cache, const QString &kid);
    QString storeFile() const { return m_dir->filePath(QStringLiteral("jwks.json")); }
    /// A first run: fetches the set once and keeps it.
    void firstRun(FakeFetcher &fetcher, FakeClock &clock);

    TestKey m_rsa;
    TestKey m_rsa2;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestJwksPersist::initTestCase()
{
    m_rsa = TestKey::rsa(QStringLiteral("r1"));
    m_rsa2 = TestKey::rsa(QStringLiteral("r2"));
    QVERIFY(!m_rsa.isNull() && !m_rsa2.isNull());
}

void TestJwksPersist::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Result<JwksCache::Key> TestJwksPersist::find(JwksCache &cache, const QString &kid)
{
    std::optional<Result<JwksCache::Key>> out;
    cache.findKey(kid, QStringLiteral("RS256"), this,
                  [&out](Result<JwksCache::Key> key) { out = std::move(key); });
    static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
    if (!out)
        return Error::make(ErrorKind::Timeout, QStringLiteral("no answer"));
    return *out;
}

void TestJwksPersist::firstRun(FakeFetcher &fetcher, FakeClock &clock)
{
    fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk()}));
    JwksCache cache(kJwksUri, fetcher.fetcher(), clock);
    cache.setStoreFile(storeFile());
    QVERIFY(find(cache, QStringLiteral("r1")).ok());
    QCOMPARE(fetcher.count(kJwksUri), 1);
    QVERIFY(QFile::exists(storeFile()));
    QVERIFY(module::isLoaded("jose")); // parsing the set loaded it, on first use
}

void TestJwksPersist::nextRunFindsKeyWithoutFetching()
{
    FakeFetcher fetcher;
    FakeClock clock;
    firstRun(fetcher, clock);

    clock.advance(3600);
    JwksCache next(kJwksUri, fetcher.fetcher(), clock);
    next.setStoreFile(storeFile());
    const auto key = find(next, QStringLiteral("r1"));
    QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
    QCOMPARE(key->kid, QStringLiteral("r1"));
    QCOMPARE(fetcher.count(kJwksUri), 1); // no fetch in the second run
    QCOMPARE(next.fetchCount(), 0);

    // Another issuer's cache over the same file has nothing stored: it fetches.
    const QUrl other(QStringLiteral("https://other.example/jwks"));
    fetcher.serve(other, test::jwksDocument({m_rsa2.publicJwk()}));
    JwksCache otherCache(other, fetcher.fetcher(), clock);
    otherCache.setStoreFile(storeFile());
    QVERIFY(find(otherCache, QStringLiteral("r2")).ok());
    QCOMPARE(fetcher.count(other), 1);
    // …and both sets are kept side by side.
    JwksCache third(kJwksUri, fetcher.fetcher(), clock);
    third.setStoreFile(storeFile());
    QVERIFY(find(third, QStringLiteral("r1")).ok());
    QCOMPARE(fetcher.count(kJwksUri), 1);
}

void TestJwksPersist::unknownKidRefetches()
{
    FakeFetcher fetcher;
    FakeClock clock;
    firstRun(fetcher, clock);

    // The provider rotated in r2 since.
    fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk(), m_rsa2.publicJwk()}));
    JwksCache next(kJwksUri, fetcher.fetcher(), clock);
    next.setStoreFile(storeFile());
    const auto key = find(next, QStringLiteral("r2"));
    QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
    QCOMPARE(fetcher.count(kJwksUri), 2);

    // The refetched set is what the run after finds.
    JwksCache after(kJwksUri, fetcher.fetcher(), clock);
    after.setStoreFile(storeFile());
    QVERIFY(find(after, QStringLiteral("r2")).ok());
    QCOMPARE(fetcher.count(kJwksUri), 2);
}

void TestJwksPersist::expiredSetRefetches()
{
    FakeFetcher fetcher;
    FakeClock clock;
    firstRun(fetcher, clock);

    clock.advance(JwksCache::kDefaultMaxAgeSecs - 1);
    {
        JwksCache fresh(kJwksUri, fetcher.fetcher(), clock);
        fresh.setStoreFile(storeFile());
        QVERIFY(find(fresh, QStringLiteral("r1")).ok());
        QCOMPARE(fetcher.count(kJwksUri), 1);
    }
    clock.advance(1);
    JwksCache expired(kJwksUri, fetcher.fetcher(), clock);
    expired.setStoreFile(storeFile());
    QVERIFY(find(expired, QStringLiteral("r1")).ok());
    QCOMPARE(fetcher.count(kJwksUri), 2);
}

void TestJwksPersist::corruptFileIsIgnored()
{
    FakeFetcher fetcher;
    FakeClock clock;
    firstRun(fetcher, clock);

    const QList<QByteArray> corrupt{
            QByteArray("{\"https://issuer.example/jwks\": {\"docum"),
            QByteArray("[1, 2, 3]"),
            // A set someone edited to carry a symmetric key: parsed with every rule, so skipped.
            QJsonDocument(
                    QJsonObject{{kJwksUri.toString(),
                                 QJsonObject{{QStringLiteral("document"),
                                              QStringLiteral(R"({"keys":[{"kty":"oct",)"
                                                             R"("kid":"r1","k":"c2VjcmV0"}]})")},
                                             {QStringLiteral("fetchedAt"),
                                              clock.now().toSecsSinceEpoch()},
                                             {QStringLiteral("maxAgeSecs"), 86400}}}})
                    .toJson(),
    };
    for (const QByteArray &contents : corrupt) {
        QFile file(storeFile());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(contents);
        file.close();
        const int before = fetcher.count(kJwksUri);
        JwksCache cache(kJwksUri, fetcher.fetcher(), clock);
        cache.setStoreFile(storeFile());
        const auto key = find(cache, QStringLiteral("r1"));
        QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
        QCOMPARE(key->kty, QStringLiteral("RSA"));
        QCOMPARE(fetcher.count(kJwksUri), before + 1);
    }
}

void TestJwksPersist::fileHoldsPublicKeysOnlyOwnerOnly()
{
    FakeFetcher fetcher;
    FakeClock clock;
    // A provider that publishes a private member by mistake: that key is skipped, never written.
    char *privateJson = cjose_jwk_to_json(m_rsa2.jwk(), true, nullptr);
    const QJsonObject privateKey = QJsonDocument::fromJson(QByteArray(privateJson)).object();
    cjose_get_dealloc()(privateJson);
    QVERIFY(privateKey.contains(QStringLiteral("d")));
    fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk(), privateKey}));
    JwksCache cache(kJwksUri, fetcher.fetcher(), clock);
    cache.setStoreFile(storeFile());
    QVERIFY(find(cache, QStringLiteral("r1")).ok());

    QFile file(storeFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    // Read the key set as the store holds it, not as text: a random modulus can spell "r2".
    const QJsonArray keys = QJsonDocument::fromJson(QJsonDocument::fromJson(file.readAll())
                                                            .object()
                                                            .value(kJwksUri.toString())
                                                            .toObject()
                                                            .value(QStringLiteral("document"))
                                                            .toString()
                                                            .toUtf8())
                                    .object()
                                    .value(QStringLiteral("keys"))
                                    .toArray();
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.first().toObject().value(QStringLiteral("kid")).toString(), QStringLiteral("r1"));
    QVERIFY(!keys.first().toObject().contains(QStringLiteral("d")));
    QCOMPARE(file.permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QTEST_GUILESS_MAIN(TestJwksPersist)
#include "tst_jwks_persist.moc"
