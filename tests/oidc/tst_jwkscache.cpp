#include "fakeclock.h"
#include "oidc/jwkscache.h"
#include "tst_josesupport.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::TestKey;

namespace {

const QUrl kJwksUri(QStringLiteral("https://issuer.example/jwks"));

QJsonObject member(const QString &name, const QJsonValue &value)
{
    return QJsonObject{{name, value}};
}

} // namespace

class TestJwksCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parseKeepsOnlyPublicSignatureKeys();
    void parseRejectsMalformedSets_data();
    void parseRejectsMalformedSets();
    void parseSkipsValuesCjoseWouldAbortOn_data();
    void parseSkipsValuesCjoseWouldAbortOn();
    void selectsByKidAndType_data();
    void selectsByKidAndType();
    void staleKeysServeWhenRefetchFails();
    void refreshReportsOutcome();

private:
    Result<JwksCache::Key> find(JwksCache &cache, const QString &kid, const QString &alg);

    TestKey m_rsa;
    TestKey m_rsa2;
    TestKey m_ec;
    TestKey m_ec384;
};

void TestJwksCache::initTestCase()
{
    m_rsa = TestKey::rsa(QStringLiteral("r1"));
    m_rsa2 = TestKey::rsa(QStringLiteral("r2"));
    m_ec = TestKey::ec(QStringLiteral("e1"));
    m_ec384 = TestKey(cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_384, nullptr),
                      QStringLiteral("e384"));
    QVERIFY(!m_rsa.isNull() && !m_rsa2.isNull() && !m_ec.isNull() && !m_ec384.isNull());
}

Result<JwksCache::Key> TestJwksCache::find(JwksCache &cache, const QString &kid, const QString &alg)
{
    std::optional<Result<JwksCache::Key>> out;
    cache.findKey(kid, alg, this, [&out](Result<JwksCache::Key> key) { out = std::move(key); });
    if (out)
        return Error::make(ErrorKind::Protocol, QStringLiteral("answered synchronously"));
    static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
    if (!out)
        return Error::make(ErrorKind::Timeout, QStringLiteral("no answer"));
    return *out;
}

void TestJwksCache::parseKeepsOnlyPublicSignatureKeys()
{
    char *privateJson = cjose_jwk_to_json(m_rsa2.jwk(), true, nullptr);
    const QJsonObject privateKey = QJsonDocument::fromJson(QByteArray(privateJson)).object();
    cjose_get_dealloc()(privateJson);
    const QByteArray set = test::jwksDocument({
            m_rsa.publicJwk(member(QStringLiteral("use"), QStringLiteral("sig"))),
            m_ec.publicJwk(),
            QJsonObject{{QStringLiteral("kty"), QStringLiteral("oct")},
                        {QStringLiteral("kid"), QStringLiteral("hmac")},
                        {QStringLiteral("k"), QStringLiteral("c2VjcmV0")}},
            privateKey,
            m_rsa.publicJwk({{QStringLiteral("kid"), QStringLiteral("enc")},
                             {QStringLiteral("use"), QStringLiteral("enc")}}),
            QJsonObject{{QStringLiteral("kty"), QStringLiteral("RSA")},
                        {QStringLiteral("kid"), QStringLiteral("broken")},
                        {QStringLiteral("n"), QStringLiteral("!!")}},
    });
    const auto keys = JwksCache::parseKeySet(set);
    QVERIFY2(keys.ok(), keys.ok() ? "" : qPrintable(keys.error().message));
    QStringList kids;
    for (const auto &key : keys.value())
        kids.append(key.kid);
    QCOMPARE(kids, (QStringList{QStringLiteral("r1"), QStringLiteral("e1")}));
    QCOMPARE(keys->at(1).crv, QStringLiteral("P-256"));
}

void TestJwksCache::parseRejectsMalformedSets_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("<html/>");
    QTest::newRow("no keys") << QByteArray(R"({"key":[]})");
    QTest::newRow("keys not a list") << QByteArray(R"({"keys":{}})");
    QTest::newRow("duplicate keys member") << QByteArray(R"({"keys":[],"keys":[]})");
    // Found by fuzz_jwks: the message quoted the JSON parser's text, control bytes included.
    QTest::newRow("control byte in the JSON") << QByteArray("{\x05\"keys\":[]}", 12);
}

void TestJwksCache::parseRejectsMalformedSets()
{
    QFETCH(QByteArray, body);
    const auto keys = JwksCache::parseKeySet(body);
    QVERIFY(!keys.ok());
    QCOMPARE(keys.error().kind, ErrorKind::Protocol);
    for (const QChar c : keys.error().message)
        QVERIFY2(c.category() != QChar::Other_Control, qPrintable(keys.error().message));
}

// Found by fuzz_jwks: cjose's base64url decoder asserts (and so ends the program) on a value with
// a "=" after a length of 1 mod 4; one hostile key in a set must not take the app down.
void TestJwksCache::parseSkipsValuesCjoseWouldAbortOn_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QString>("value");
    const QString crash = QStringLiteral("qYVpnWnM0nQKwyv-v1FNQFRkw8XrL=RGQ5w");
    QTest::newRow("RSA n") << QStringLiteral("n") << crash;
    QTest::newRow("RSA e") << QStringLiteral("e") << QStringLiteral("AQABA=");
    QTest::newRow("RSA p, no d") << QStringLiteral("p") << crash;
    QTest::newRow("n not a string") << QStringLiteral("n") << QString();
}

void TestJwksCache::parseSkipsValuesCjoseWouldAbortOn()
{
    QFETCH(QString, member);
    QFETCH(QString, value);
    QJsonObject hostile = m_rsa.publicJwk({{QStringLiteral("kid"), QStringLiteral("hostile")}});
    hostile[member] = value.isNull() ? QJsonValue(42) : QJsonValue(value);
    const auto keys = JwksCache::parseKeySet(test::jwksDocument({hostile, m_ec.publicJwk()}));
    QVERIFY2(keys.ok(), keys.ok() ? "" : qPrintable(keys.error().message));
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->at(0).kid, QStringLiteral("e1"));
}

void TestJwksCache::selectsByKidAndType_data()
{
    QTest::addColumn<QString>("kid");
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("expected"); // empty: no key

    QTest::newRow("RSA by kid") << QStringLiteral("r1") << QStringLiteral("RS256")
                                << QStringLiteral("r1");
    QTest::newRow("second RSA by kid")
            << QStringLiteral("r2") << QStringLiteral("RS256") << QStringLiteral("r2");
    QTest::newRow("EC by kid") << QStringLiteral("e1") << QStringLiteral("ES256")
                               << QStringLiteral("e1");
    QTest::newRow("RSA kid with ES256")
            << QStringLiteral("r1") << QStringLiteral("ES256") << QString();
    QTest::newRow("EC kid with RS256")
            << QStringLiteral("e1") << QStringLiteral("RS256") << QString();
    QTest::newRow("P-384 key with ES256")
            << QStringLiteral("e384") << QStringLiteral("ES256") << QString();
    QTest::newRow("JWK alg RS384 with RS256")
            << QStringLiteral("r384") << QStringLiteral("RS256") << QString();
    QTest::newRow("unknown kid") << QStringLiteral("nope") << QStringLiteral("RS256") << QString();
    QTest::newRow("no kid, several RSA keys") << QString() << QStringLiteral("RS256") << QString();
    QTest::newRow("no kid, one EC P-256 key")
            << QString() << QStringLiteral("ES256") << QStringLiteral("e1");
    QTest::newRow("HS256 never") << QStringLiteral("r1") << QStringLiteral("HS256") << QString();
}

void TestJwksCache::selectsByKidAndType()
{
    QFETCH(QString, kid);
    QFETCH(QString, alg);
    QFETCH(QString, expected);
    const auto keys = JwksCache::parseKeySet(test::jwksDocument({
            m_rsa.publicJwk(),
            m_rsa2.publicJwk(),
            m_ec.publicJwk(),
            m_ec384.publicJwk(),
            m_rsa.publicJwk({{QStringLiteral("kid"), QStringLiteral("r384")},
                             {QStringLiteral("alg"), QStringLiteral("RS384")}}),
    }));
    QVERIFY(keys.ok());
    const auto key = JwksCache::select(keys.value(), kid, alg);
    QCOMPARE(key.has_value(), !expected.isEmpty());
    if (key)
        QCOMPARE(key->kid, expected);
}

void TestJwksCache::staleKeysServeWhenRefetchFails()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk()}));
    JwksCache cache(kJwksUri, fetcher.fetcher(), clock);
    QVERIFY(find(cache, QStringLiteral("r1"), QStringLiteral("RS256")).ok());
    QCOMPARE(cache.keyIds(), QStringList{QStringLiteral("r1")});

    clock.advance(JwksCache::kDefaultMaxAgeSecs);
    fetcher.fail(kJwksUri, Error::make(ErrorKind::Network, QStringLiteral("down")));
    const auto unknown = find(cache, QStringLiteral("r9"), QStringLiteral("RS256"));
    QCOMPARE(unknown.error().kind, ErrorKind::Network); // not "no such key": we could not look
    QCOMPARE(cache.fetchCount(), 2);
    QVERIFY(find(cache, QStringLiteral("r1"), QStringLiteral("RS256")).ok()); // old key serves
    QCOMPARE(cache.fetchCount(), 2); // and the failed refetch is not retried within a minute
}

void TestJwksCache::refreshReportsOutcome()
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    JwksCache cache(kJwksUri, fetcher.fetcher(), clock);
    std::optional<Status> status;
    cache.refresh(this, [&status](Status s) { status = s; });
    QTRY_VERIFY(status.has_value());
    QCOMPARE(status->error().kind, ErrorKind::Network);

    fetcher.serve(kJwksUri, test::jwksDocument({m_ec.publicJwk()}));
    status.reset();
    cache.refresh(this, [&status](Status s) { status = s; });
    QTRY_VERIFY(status.has_value());
    QVERIFY(status->ok());
    QCOMPARE(cache.keyIds(), QStringList{QStringLiteral("e1")});
}

QTEST_GUILESS_MAIN(TestJwksCache)
#include "tst_jwkscache.moc"
