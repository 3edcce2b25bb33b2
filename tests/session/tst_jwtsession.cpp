#include "session/jwtsession.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

const QByteArray kKey(jwtsession::kKeyBytes, 'k');

jwtsession::Claims sample()
{
    jwtsession::Claims claims;
    claims.userId = 42;
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(1'790'000'000, Qt::UTC);
    claims.expires = claims.issuedAt.addDays(30);
    claims.authenticatedAt = claims.issuedAt.addSecs(-60);
    claims.method = u"google"_s;
    claims.generation = 3;
    return claims;
}

QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

/// `token` with part `index` (0 header … 4 tag) replaced by `value`.
QByteArray withPart(const QByteArray &token, int index, const QByteArray &value)
{
    QList<QByteArray> parts = token.split('.');
    parts[index] = value;
    return parts.join('.');
}

} // namespace

class TestJwtSession : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void eachTokenIsNew();
    void refusesWhatItDidNotMake_data();
    void refusesWhatItDidNotMake();
};

void TestJwtSession::roundTrip()
{
    const auto token = jwtsession::encode(sample(), kKey);
    QVERIFY(token.ok());
    const auto claims = jwtsession::decode(token.value(), kKey);
    QVERIFY2(claims.ok(), claims.ok() ? "" : qPrintable(claims.error().reason));
    QCOMPARE(claims->userId, 42);
    QCOMPARE(claims->issuedAt, sample().issuedAt);
    QCOMPARE(claims->expires, sample().expires);
    QCOMPARE(claims->authenticatedAt, sample().authenticatedAt);
    QCOMPARE(claims->method, u"google"_s);
    QCOMPARE(claims->generation, 3);
}

void TestJwtSession::eachTokenIsNew()
{
    // A fresh IV every time: the same claims never give the same token.
    QCOMPARE_NE(jwtsession::encode(sample(), kKey).value(),
                jwtsession::encode(sample(), kKey).value());
}

void TestJwtSession::refusesWhatItDidNotMake_data()
{
    const QByteArray token = jwtsession::encode(sample(), kKey).value();
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("reason");

    QByteArray flipped = token;
    const qsizetype inCiphertext = token.lastIndexOf('.') - 2;
    flipped[inCiphertext] = flipped[inCiphertext] == 'A' ? 'B' : 'A';
    QTest::newRow("a changed byte") << flipped << kKey << u"decrypt"_s;
    QTest::newRow("another key") << token << QByteArray(jwtsession::kKeyBytes, 'x') << u"decrypt"_s;
    QTest::newRow("no key") << token << QByteArray() << u"decrypt"_s;
    QTest::newRow("empty") << QByteArray() << kKey << u"malformed"_s;
    QTest::newRow("a JWS") << "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"_ba << kKey << u"malformed"_s;
    QTest::newRow("too long") << token + QByteArray(5000, 'A') << kKey << u"malformed"_s;
    QTest::newRow("another algorithm")
            << withPart(token, 0, b64(R"({"alg":"A256KW","enc":"A256GCM"})")) << kKey
            << u"algorithm"_s;
    QTest::newRow("another encryption")
            << withPart(token, 0, b64(R"({"alg":"dir","enc":"A128CBC-HS256"})")) << kKey
            << u"algorithm"_s;
    QTest::newRow("an extra header")
            << withPart(token, 0, b64(R"({"alg":"dir","enc":"A256GCM","zip":"DEF"})")) << kKey
            << u"algorithm"_s;
    QTest::newRow("an encrypted key with dir")
            << withPart(token, 1, b64("key")) << kKey << u"algorithm"_s;
    // fuzz_jwtsession found it: cjose reads 12 bytes of IV whatever the token holds.
    QTest::newRow("a short IV") << withPart(token, 2, b64("12345678")) << kKey << u"malformed"_s;
    // CVE-2023-37464: a one-byte tag would be guessed in 256 tries if its length were taken.
    QTest::newRow("a one-byte tag") << withPart(token, 4, b64("t")) << kKey << u"malformed"_s;
    QTest::newRow("not base64url") << withPart(token, 3, "not+base64/") << kKey << u"malformed"_s;

    jwtsession::Claims noUser = sample();
    noUser.userId = 0;
    QTest::newRow("no user") << jwtsession::encode(noUser, kKey).value() << kKey << u"claims"_s;
    jwtsession::Claims noGeneration = sample();
    noGeneration.generation = -1;
    QTest::newRow("no generation")
            << jwtsession::encode(noGeneration, kKey).value() << kKey << u"claims"_s;
}

void TestJwtSession::refusesWhatItDidNotMake()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, key);
    QFETCH(QString, reason);
    const auto claims = jwtsession::decode(token, key);
    QVERIFY(!claims.ok());
    QCOMPARE(claims.error().kind, ErrorKind::Unauthorized);
    QCOMPARE(claims.error().reason, reason);
    QVERIFY(!claims.error().message.contains(QString::fromLatin1(token.left(20))) ||
            token.isEmpty());
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestJwtSession)
#include "tst_jwtsession.moc"
