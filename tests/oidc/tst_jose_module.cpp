#include "core/module.h"
#include "core/sealedbox.h"
#include "fakeclock.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/tokenjson.h"
#include "session/jwtsession.h"
#include "tst_josesupport.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::FakeClock;
using latchkey::test::FakeFetcher;
using latchkey::test::TestKey;

namespace {

const QUrl kJwksUri(QStringLiteral("https://issuer.example/jwks"));
const QString kIssuer = QStringLiteral("https://issuer.example");

void verifyMissing(const Error &error)
{
    QCOMPARE(error.code, ErrorCode::ModuleMissing);
    QCOMPARE(error.kind, ErrorKind::Config);
    QVERIFY2(errorMessage(error).contains(u"liblatchkey-jose.so"), qPrintable(errorMessage(error)));
}

} // namespace

/// Without liblatchkey-jose.so (LATCHKEY_MODULE_DIR points at an empty directory, set before
/// anything loads it), whatever needs cjose, jansson or libcrypto fails with ModuleMissing: no
/// crash, and never a token accepted.
class TestJoseModule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void idTokenValidationFails();
    void jwtSessionTokenFails();
    void sealedBoxFails();
    void strictJsonFails();

private:
    QTemporaryDir m_empty;
    TestKey m_rsa;
};

void TestJoseModule::initTestCase()
{
    QVERIFY(m_empty.isValid());
    // The keys are made by the test's own cjose, not through the module.
    m_rsa = TestKey::rsa(QStringLiteral("r1"));
    QVERIFY(!m_rsa.isNull());
    qputenv("LATCHKEY_MODULE_DIR", QFile::encodeName(m_empty.path()));
    QVERIFY(!module::isLoaded("jose"));
}

void TestJoseModule::idTokenValidationFails()
{
    FakeClock clock;
    FakeFetcher fetcher;
    fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk()}));
    JwksCache jwks(kJwksUri, fetcher.fetcher(), clock);
    IdTokenValidator validator(jwks, clock);
    const qint64 now = clock.now().toSecsSinceEpoch();
    const QJsonObject claims{{QStringLiteral("iss"), kIssuer},
                             {QStringLiteral("aud"), QStringLiteral("client")},
                             {QStringLiteral("sub"), QStringLiteral("u1")},
                             {QStringLiteral("nonce"), QStringLiteral("n1")},
                             {QStringLiteral("iat"), now},
                             {QStringLiteral("exp"), now + 300}};
    const QByteArray token = test::signJws(m_rsa.jwk(),
                                           {{QStringLiteral("alg"), QStringLiteral("RS256")},
                                            {QStringLiteral("kid"), QStringLiteral("r1")}},
                                           QJsonDocument(claims).toJson(QJsonDocument::Compact));
    IdTokenExpectations expected;
    expected.issuer = kIssuer;
    expected.clientId = QStringLiteral("client");
    expected.nonce = QStringLiteral("n1");

    std::optional<Result<IdToken>> out;
    validator.validate(token, expected, this, [&out](Result<IdToken> r) { out = std::move(r); });
    QVERIFY(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
    QVERIFY(!out->ok());
    verifyMissing(out->error());
    QCOMPARE(fetcher.total(), 0); // nothing was fetched for a token that cannot be checked
    QVERIFY(!module::isLoaded("jose"));
}

void TestJoseModule::jwtSessionTokenFails()
{
    const QByteArray key(jwtsession::kKeyBytes, 'k');
    jwtsession::Claims claims;
    claims.userId = 1;
    claims.issuedAt = claims.authenticatedAt = QDateTime::currentDateTimeUtc();
    claims.expires = claims.issuedAt.addDays(1);
    const auto encoded = jwtsession::encode(claims, key);
    QVERIFY(!encoded.ok());
    verifyMissing(encoded.error());

    // A well-shaped token is not opened without the module.
    const QByteArray b64 = QByteArray(16, 'A');
    const QByteArray token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA." + b64 +
            ".AAAAAAAAAAAAAAAAAAAAAA";
    const auto decoded = jwtsession::decode(token, key);
    QVERIFY(!decoded.ok());
    verifyMissing(decoded.error());
}

void TestJoseModule::sealedBoxFails()
{
    const QByteArray key(sealedbox::kKeyBytes, 'k');
    const auto sealed = sealedbox::seal(key, "secret", "aad");
    QVERIFY(!sealed.ok());
    verifyMissing(sealed.error());
    const auto opened = sealedbox::open(key, QByteArray(40, 'x'), "aad");
    QVERIFY(!opened.ok());
    verifyMissing(opened.error());
}

void TestJoseModule::strictJsonFails()
{
    const auto parsed = parseStrictJsonObject(R"({"access_token":"a"})", QStringLiteral("token"));
    QVERIFY(!parsed.ok());
    verifyMissing(parsed.error());
    QVERIFY(!module::isLoaded("jose"));
}

QTEST_GUILESS_MAIN(TestJoseModule)
#include "tst_jose_module.moc"
