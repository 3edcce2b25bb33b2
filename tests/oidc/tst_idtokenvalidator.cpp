#include "fakeclock.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/jwkscache.h"
#include "tst_josesupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::b64url;
using latchkey::test::TestKey;

namespace {

const QString kIssuer = QStringLiteral("https://issuer.example");
const QString kClientId = QStringLiteral("client-1");
const QString kNonce = QStringLiteral("n-0S6_WzA2Mj-0123456789ab");
const QUrl kJwksUri(QStringLiteral("https://issuer.example/jwks"));

/// One validation environment: a fresh fake JWKS endpoint, cache, clock and validator.
struct Env
{
    test::FakeClock clock;
    test::FakeFetcher fetcher;
    JwksCache jwks{kJwksUri, fetcher.fetcher(), clock};
    IdTokenValidator validator{jwks, clock};

    Result<IdToken> validate(const QByteArray &token, const IdTokenExpectations &expected)
    {
        std::optional<Result<IdToken>> out;
        QObject context;
        validator.validate(token, expected, &context,
                           [&out](Result<IdToken> result) { out = std::move(result); });
        if (out.has_value()) // must never finish synchronously
            return Error::make(ErrorKind::Protocol, QStringLiteral("finished synchronously"));
        static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
        if (!out)
            return Error::make(ErrorKind::Timeout, QStringLiteral("no callback"));
        return *out;
    }
};

IdTokenExpectations expectations()
{
    IdTokenExpectations e;
    e.issuer = kIssuer;
    e.clientId = kClientId;
    e.nonce = kNonce;
    return e;
}

} // namespace

class TestIdTokenValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void acceptsValidTokens_data();
    void acceptsValidTokens();
    void acceptsTheLongestSubject();
    void microsoftTenants_data();
    void microsoftTenants();
    void rejectsClaims_data();
    void rejectsClaims();
    void rejectsHostileTokens_data();
    void rejectsHostileTokens();
    void rejectionShowsNoControlCharacters_data();
    void rejectionShowsNoControlCharacters();
    void neverFetchesHeaderUrls();
    void unknownKidRefetchesAtMostOncePerMinute();
    void unknownKidRightAfterFirstFetchRefetchesOnce();
    void keySetUnreachableIsNotAForgery();
    void requiresExpectations();
    void dropsCallbackOfDestroyedContext();
    void deviceGrantNeedsNoNonce_data();
    void deviceGrantNeedsNoNonce();

private:
    QJsonObject claims(qint64 expOffset = 3600) const;
    QByteArray sign(const TestKey &key, const QJsonObject &payload,
                    const QString &alg = QStringLiteral("RS256"),
                    const QJsonObject &extraHeader = {}) const;
    void serveProviderKeys(Env &env) const;

    TestKey m_rsa; // the provider's RS256 key "k1"
    TestKey m_ec; // the provider's ES256 key "e1"
    TestKey m_otherIssuer; // another provider's key, also called "k1"
    TestKey m_attacker; // the attacker's key "att"
    test::FakeClock m_clock;
};

void TestIdTokenValidator::initTestCase()
{
    m_rsa = TestKey::rsa(QStringLiteral("k1"));
    m_ec = TestKey::ec(QStringLiteral("e1"));
    m_otherIssuer = TestKey::rsa(QStringLiteral("k1"));
    m_attacker = TestKey::rsa(QStringLiteral("att"));
    QVERIFY(!m_rsa.isNull() && !m_ec.isNull() && !m_otherIssuer.isNull() && !m_attacker.isNull());
}

QJsonObject TestIdTokenValidator::claims(qint64 expOffset) const
{
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    return QJsonObject{
            {QStringLiteral("iss"), kIssuer},
            {QStringLiteral("sub"), QStringLiteral("alice")},
            {QStringLiteral("aud"), kClientId},
            {QStringLiteral("exp"), now + expOffset},
            {QStringLiteral("iat"), now},
            {QStringLiteral("nonce"), kNonce},
            {QStringLiteral("email"), QStringLiteral("alice@example.com")},
            {QStringLiteral("email_verified"), true},
            {QStringLiteral("name"), QStringLiteral("Alice")},
    };
}

QByteArray TestIdTokenValidator::sign(const TestKey &key, const QJsonObject &payload,
                                      const QString &alg, const QJsonObject &extraHeader) const
{
    QJsonObject header{{QStringLiteral("alg"), alg}, {QStringLiteral("kid"), key.kid()}};
    for (auto it = extraHeader.begin(); it != extraHeader.end(); ++it)
        header.insert(it.key(), it.value());
    return test::signJws(key.jwk(), header, QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

void TestIdTokenValidator::serveProviderKeys(Env &env) const
{
    env.fetcher.serve(
            kJwksUri,
            test::jwksDocument({m_rsa.publicJwk({{QStringLiteral("use"), QStringLiteral("sig")},
                                                 {QStringLiteral("alg"), QStringLiteral("RS256")}}),
                                m_ec.publicJwk()}));
}

void TestIdTokenValidator::acceptsValidTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("allowEs256");
    QTest::addColumn<bool>("googleQuirk");
    QTest::addColumn<QString>("issuer");

    const qint64 now = m_clock.now().toSecsSinceEpoch();
    QTest::newRow("RS256") << sign(m_rsa, claims()) << false << false << kIssuer;
    QTest::newRow("ES256 when allowed")
            << sign(m_ec, claims(), QStringLiteral("ES256")) << true << false << kIssuer;
    QTest::newRow("expired 60 s ago, within leeway")
            << sign(m_rsa, claims(-60)) << false << false << kIssuer;
    QJsonObject c = claims();
    c[QStringLiteral("iat")] = now + 100;
    c[QStringLiteral("nbf")] = now + 100;
    QTest::newRow("iat and nbf 100 s ahead, within leeway")
            << sign(m_rsa, c) << false << false << kIssuer;
    c = claims();
    c[QStringLiteral("aud")] = QJsonArray{kClientId};
    c[QStringLiteral("azp")] = kClientId;
    QTest::newRow("aud list with azp") << sign(m_rsa, c) << false << false << kIssuer;
    c = claims();
    c[QStringLiteral("iss")] = QStringLiteral("accounts.google.com");
    QTest::newRow("Google schemeless iss with quirk")
            << sign(m_rsa, c) << false << true << QStringLiteral("https://accounts.google.com");
    c[QStringLiteral("iss")] = QStringLiteral("https://accounts.google.com");
    QTest::newRow("Google https iss with quirk")
            << sign(m_rsa, c) << false << true << QStringLiteral("https://accounts.google.com");
    // Proves the raw signer used for the duplicate-header row makes valid signatures.
    QTest::newRow("raw-signed header")
            << test::signRawRs256(m_rsa, R"({"alg":"RS256","kid":"k1"})",
                                  QJsonDocument(claims()).toJson(QJsonDocument::Compact))
            << false << false << kIssuer;
    QTest::newRow("explicit typ JWT") << sign(m_rsa, claims(), QStringLiteral("RS256"),
                                              {{QStringLiteral("typ"), QStringLiteral("JWT")}})
                                      << false << false << kIssuer;
}

void TestIdTokenValidator::acceptsValidTokens()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, allowEs256);
    QFETCH(bool, googleQuirk);
    QFETCH(QString, issuer);
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.issuer = issuer;
    e.googleIssuerQuirk = googleQuirk;
    if (allowEs256)
        e.allowedAlgorithms.append(QStringLiteral("ES256"));

    const Result<IdToken> result = env.validate(token, e);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->issuer, issuer);
    QCOMPARE(result->subject, QStringLiteral("alice"));
    QCOMPARE(result->audience, QStringList{kClientId});
    QCOMPARE(result->nonce, kNonce);
    QCOMPARE(result->email, QStringLiteral("alice@example.com"));
    QVERIFY(result->emailVerified);
    QCOMPARE(result->name, QStringLiteral("Alice"));
    QCOMPARE(result->claims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
    QVERIFY(result->expiresAt.isValid());
    QCOMPARE(env.fetcher.count(kJwksUri), 1);
}

void TestIdTokenValidator::acceptsTheLongestSubject()
{
    // OIDC Core §2: up to 255 ASCII characters, every printable one allowed.
    const QString subject = QString(254, u'x') + u'~';
    QJsonObject c = claims();
    c[QStringLiteral("sub")] = subject;
    Env env;
    serveProviderKeys(env);
    const Result<IdToken> result = env.validate(sign(m_rsa, c), expectations());
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->subject, subject);
}

// Entra ID's multi-tenant issuer: the directory comes from `tid`, and `iss` must be exactly the
// issuer of that directory; any other issuer of the same shape is a token of another tenant.
void TestIdTokenValidator::microsoftTenants_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QJsonValue>("tid");
    QTest::addColumn<QString>("iss");
    QTest::addColumn<QString>("refreshOf"); ///< the stored issuer for a refresh; empty: sign-in
    QTest::addColumn<QString>("code"); ///< the rejection reason; empty: accepted

    const QString work = QStringLiteral("72f988bf-86f1-41af-91ab-2d7cd011db47");
    const QString other = QStringLiteral("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
    const QString consumers = QStringLiteral("9188040d-6c67-4c5b-b112-36a304b66dad");
    const auto issuerOf = [](const QString &tid) {
        return QStringLiteral("https://login.microsoftonline.com/%1/v2.0").arg(tid);
    };
    const QString common = QStringLiteral("common");
    QTest::newRow("common, work account")
            << common << QJsonValue(work) << issuerOf(work) << QString() << QString();
    QTest::newRow("common, personal account")
            << common << QJsonValue(consumers) << issuerOf(consumers) << QString() << QString();
    QTest::newRow("issuer of another tenant than tid")
            << common << QJsonValue(work) << issuerOf(other) << QString()
            << QStringLiteral("iss_mismatch");
    QTest::newRow("the issuer template itself")
            << common << QJsonValue(work) << issuerOf(QStringLiteral("{tenantid}")) << QString()
            << QStringLiteral("iss_mismatch");
    QTest::newRow("tid missing") << common << QJsonValue(QJsonValue::Undefined) << issuerOf(work)
                                 << QString() << QStringLiteral("tid_missing");
    QTest::newRow("tid not a GUID")
            << common << QJsonValue(QStringLiteral("common")) << issuerOf(QStringLiteral("common"))
            << QString() << QStringLiteral("tid_missing");
    QTest::newRow("tid upper case")
            << common << QJsonValue(work.toUpper()) << issuerOf(work.toUpper()) << QString()
            << QStringLiteral("tid_missing");
    QTest::newRow("single tenant, right tid")
            << work << QJsonValue(work) << issuerOf(work) << QString() << QString();
    QTest::newRow("single tenant, wrong tid") << work << QJsonValue(other) << issuerOf(other)
                                              << QString() << QStringLiteral("tid_not_allowed");
    QTest::newRow("organizations refuse a personal account")
            << QStringLiteral("organizations") << QJsonValue(consumers) << issuerOf(consumers)
            << QString() << QStringLiteral("tid_not_allowed");
    QTest::newRow("organizations, work account")
            << QStringLiteral("organizations") << QJsonValue(work) << issuerOf(work) << QString()
            << QString();
    QTest::newRow("consumers refuse a work account")
            << QStringLiteral("consumers") << QJsonValue(work) << issuerOf(work) << QString()
            << QStringLiteral("tid_not_allowed");
    QTest::newRow("refresh in the same directory")
            << common << QJsonValue(work) << issuerOf(work) << issuerOf(work) << QString();
    QTest::newRow("refresh from another directory")
            << common << QJsonValue(other) << issuerOf(other) << issuerOf(work)
            << QStringLiteral("iss_mismatch");
}

void TestIdTokenValidator::microsoftTenants()
{
    QFETCH(QString, tenant);
    QFETCH(QJsonValue, tid);
    QFETCH(QString, iss);
    QFETCH(QString, refreshOf);
    QFETCH(QString, code);
    QJsonObject c = claims();
    c[QStringLiteral("iss")] = iss;
    if (!tid.isUndefined())
        c[QStringLiteral("tid")] = tid;
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.issuer = QStringLiteral("https://login.microsoftonline.com/%1/v2.0").arg(tenant);
    e.microsoftTenant = tenant;
    if (!refreshOf.isEmpty()) {
        c.remove(QStringLiteral("nonce"));
        e.issuer = refreshOf;
        e.fromRefresh = true;
        e.subject = QStringLiteral("alice");
    }

    const Result<IdToken> result = env.validate(sign(m_rsa, c), e);
    if (code.isEmpty()) {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result->issuer, iss); // the account is (directory's issuer, sub)
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(result.error().reason, code);
}

void TestIdTokenValidator::rejectsClaims_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<bool>("googleQuirk");
    QTest::addColumn<QString>("code");

    const qint64 now = m_clock.now().toSecsSinceEpoch();
    const auto with = [this](const QString &name, const QJsonValue &value) {
        QJsonObject c = claims();
        if (value.isUndefined())
            c.remove(name);
        else
            c[name] = value;
        return c;
    };
    const QString google = QStringLiteral("https://accounts.google.com");
    const QString iss = QStringLiteral("iss");
    QTest::newRow("iss with trailing slash") << with(iss, QString(kIssuer + u'/')) << kIssuer
                                             << false << QStringLiteral("iss_mismatch");
    QTest::newRow("iss over http") << with(iss, QStringLiteral("http://issuer.example")) << kIssuer
                                   << false << QStringLiteral("iss_mismatch");
    QTest::newRow("iss look-alike host")
            << with(iss, QStringLiteral("https://issuer.example.evil.test")) << kIssuer << false
            << QStringLiteral("iss_mismatch");
    QTest::newRow("iss other case") << with(iss, QStringLiteral("https://Issuer.example"))
                                    << kIssuer << false << QStringLiteral("iss_mismatch");
    QTest::newRow("iss missing") << with(iss, QJsonValue::Undefined) << kIssuer << false
                                 << QStringLiteral("iss_mismatch");
    QTest::newRow("Google schemeless iss without quirk")
            << with(iss, QStringLiteral("accounts.google.com")) << google << false
            << QStringLiteral("iss_mismatch");
    QTest::newRow("schemeless iss with quirk, not Google")
            << with(iss, QStringLiteral("issuer.example")) << kIssuer << true
            << QStringLiteral("iss_mismatch");
    QTest::newRow("Google quirk does not accept http")
            << with(iss, QStringLiteral("http://accounts.google.com")) << google << true
            << QStringLiteral("iss_mismatch");
    QTest::newRow("aud missing the client")
            << with(QStringLiteral("aud"), QStringLiteral("client-2")) << kIssuer << false
            << QStringLiteral("aud_mismatch");
    QTest::newRow("aud absent") << with(QStringLiteral("aud"), QJsonValue::Undefined) << kIssuer
                                << false << QStringLiteral("aud_mismatch");
    QJsonObject c = with(QStringLiteral("aud"), QJsonArray{kClientId, QStringLiteral("evil-app")});
    c[QStringLiteral("azp")] = kClientId;
    QTest::newRow("extra untrusted audience")
            << c << kIssuer << false << QStringLiteral("aud_untrusted");
    QTest::newRow("multiple aud without azp")
            << with(QStringLiteral("aud"), QJsonArray{kClientId, QStringLiteral("evil-app")})
            << kIssuer << false << QStringLiteral("azp_missing");
    QTest::newRow("wrong azp") << with(QStringLiteral("azp"), QStringLiteral("evil-app")) << kIssuer
                               << false << QStringLiteral("azp_mismatch");
    QTest::newRow("wrong nonce") << with(QStringLiteral("nonce"), QStringLiteral("other-nonce"))
                                 << kIssuer << false << QStringLiteral("nonce_mismatch");
    QTest::newRow("missing nonce") << with(QStringLiteral("nonce"), QJsonValue::Undefined)
                                   << kIssuer << false << QStringLiteral("nonce_missing");
    QTest::newRow("expired beyond leeway") << with(QStringLiteral("exp"), now - 121) << kIssuer
                                           << false << QStringLiteral("expired");
    QTest::newRow("exp missing") << with(QStringLiteral("exp"), QJsonValue::Undefined) << kIssuer
                                 << false << QStringLiteral("missing_exp");
    QTest::newRow("exp as string") << with(QStringLiteral("exp"), QString::number(now + 3600))
                                   << kIssuer << false << QStringLiteral("bad_date");
    QTest::newRow("iat in the future") << with(QStringLiteral("iat"), now + 121) << kIssuer << false
                                       << QStringLiteral("iat_future");
    QTest::newRow("iat missing") << with(QStringLiteral("iat"), QJsonValue::Undefined) << kIssuer
                                 << false << QStringLiteral("missing_iat");
    QTest::newRow("nbf in the future") << with(QStringLiteral("nbf"), now + 121) << kIssuer << false
                                       << QStringLiteral("nbf_future");
    QTest::newRow("sub missing") << with(QStringLiteral("sub"), QJsonValue::Undefined) << kIssuer
                                 << false << QStringLiteral("missing_sub");
    QTest::newRow("sub empty") << with(QStringLiteral("sub"), QString()) << kIssuer << false
                               << QStringLiteral("missing_sub");
    // OIDC Core §2: at most 255 ASCII characters; nothing that forges a log line or reorders text.
    QTest::newRow("sub of 256 characters") << with(QStringLiteral("sub"), QString(256, u'7'))
                                           << kIssuer << false << QStringLiteral("invalid_sub");
    QTest::newRow("sub with a newline")
            << with(QStringLiteral("sub"), QStringLiteral("123\nsignIn admin")) << kIssuer << false
            << QStringLiteral("invalid_sub");
    QTest::newRow("sub with U+202E")
            << with(QStringLiteral("sub"), QStringLiteral("123\u202Egpj.exe")) << kIssuer << false
            << QStringLiteral("invalid_sub");
    QTest::newRow("sub not ASCII") << with(QStringLiteral("sub"), QStringLiteral("usér")) << kIssuer
                                   << false << QStringLiteral("invalid_sub");
    QTest::newRow("sub a number") << with(QStringLiteral("sub"), 12345) << kIssuer << false
                                  << QStringLiteral("missing_sub");
    QTest::newRow("email not a string") << with(QStringLiteral("email"), 42) << kIssuer << false
                                        << QStringLiteral("bad_claim_type");
}

void TestIdTokenValidator::rejectsClaims()
{
    QFETCH(QJsonObject, payload);
    QFETCH(QString, issuer);
    QFETCH(bool, googleQuirk);
    QFETCH(QString, code);
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.issuer = issuer;
    e.googleIssuerQuirk = googleQuirk;

    const Result<IdToken> result = env.validate(sign(m_rsa, payload), e);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(result.error().reason, code);
    QVERIFY(result.error().message.contains(issuer));
    const bool clockRule = code == u"expired" || code == u"iat_future" || code == u"nbf_future";
    QCOMPARE(result.error().message.contains(QStringLiteral("clock may be wrong")), clockRule);
}

// Found by fuzz_idtokenclaims: the rejection message quoted claim values and the JSON parser's
// text as they came, controls and bidi overrides included.
void TestIdTokenValidator::rejectionShowsNoControlCharacters_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("code");
    const auto with = [this](const QString &name, const QJsonValue &value) {
        QJsonObject c = claims();
        c[name] = value;
        return QJsonDocument(c).toJson(QJsonDocument::Compact);
    };
    const QString hostile = QStringLiteral("evil\u202e\r\nSigned in\u0007");
    QTest::newRow("control byte in the JSON")
            << QByteArray("{\"iss\":\"x\",\"sub\"\x1a\"alice\"}") << QString();
    QTest::newRow("hostile iss") << with(QStringLiteral("iss"), hostile)
                                 << QStringLiteral("iss_mismatch");
    QTest::newRow("hostile aud") << with(QStringLiteral("aud"), hostile)
                                 << QStringLiteral("aud_mismatch");
    QTest::newRow("hostile azp") << with(QStringLiteral("azp"), hostile)
                                 << QStringLiteral("azp_mismatch");
    QJsonObject twoAudiences = claims();
    twoAudiences[QStringLiteral("aud")] = QJsonArray{kClientId, hostile};
    twoAudiences[QStringLiteral("azp")] = kClientId;
    QTest::newRow("hostile second audience")
            << QJsonDocument(twoAudiences).toJson(QJsonDocument::Compact)
            << QStringLiteral("aud_untrusted");
}

void TestIdTokenValidator::rejectionShowsNoControlCharacters()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, code);
    Env env;
    serveProviderKeys(env);
    const QByteArray token = test::signRawRs256(m_rsa, R"({"alg":"RS256","kid":"k1"})", payload);
    const Result<IdToken> result = env.validate(token, expectations());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    if (!code.isEmpty())
        QCOMPARE(result.error().reason, code);
    for (const QChar c : result.error().message) {
        QVERIFY2(c.category() != QChar::Other_Control && c.category() != QChar::Other_Format,
                 qPrintable(result.error().message));
    }
}

void TestIdTokenValidator::rejectsHostileTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<QString>("code");

    const QStringList rs256{QStringLiteral("RS256")};
    const QByteArray payload = QJsonDocument(claims()).toJson(QJsonDocument::Compact);

    QTest::newRow("alg none, empty signature")
            << test::rawToken(R"({"alg":"none","kid":"k1"})", payload) << rs256
            << QStringLiteral("alg_forbidden");
    QTest::newRow("alg None, junk signature")
            << test::rawToken(R"({"alg":"None","kid":"k1"})", payload, "AAAA") << rs256
            << QStringLiteral("alg_forbidden");
    QTest::newRow("alg none even when allowlisted")
            << test::rawToken(R"({"alg":"none","kid":"k1"})", payload)
            << QStringList{QStringLiteral("none"), QStringLiteral("RS256")}
            << QStringLiteral("alg_forbidden");

    // RFC 8725 §2.1: the provider's public key bytes used as an HMAC secret.
    const QByteArray publicBytes = QJsonDocument(m_rsa.publicJwk()).toJson(QJsonDocument::Compact);
    cjose_jwk_t *hmacKey =
            cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t *>(publicBytes.constData()),
                                      static_cast<size_t>(publicBytes.size()), nullptr);
    const QByteArray hs256 =
            test::signJws(hmacKey,
                          QJsonObject{{QStringLiteral("alg"), QStringLiteral("HS256")},
                                      {QStringLiteral("kid"), QStringLiteral("k1")}},
                          payload);
    cjose_jwk_release(hmacKey);
    QTest::newRow("HS256 with the public key as secret")
            << hs256 << rs256 << QStringLiteral("alg_forbidden");
    QTest::newRow("HS256 even when allowlisted")
            << hs256 << QStringList{QStringLiteral("HS256"), QStringLiteral("RS256")}
            << QStringLiteral("alg_forbidden");
    QTest::newRow("ES256 not allowed by default") << sign(m_ec, claims(), QStringLiteral("ES256"))
                                                  << rs256 << QStringLiteral("alg_not_allowed");
    QTest::newRow("RS512 not supported")
            << sign(m_rsa, claims(), QStringLiteral("RS512"))
            << QStringList{QStringLiteral("RS512"), QStringLiteral("RS256")}
            << QStringLiteral("alg_not_allowed");
    QTest::newRow("key of another issuer, same kid")
            << sign(m_otherIssuer, claims()) << rs256 << QStringLiteral("bad_signature");

    QJsonObject attackerAsK1 = m_attacker.publicJwk();
    attackerAsK1[QStringLiteral("kid")] = QStringLiteral("k1");
    QJsonObject header{{QStringLiteral("alg"), QStringLiteral("RS256")},
                       {QStringLiteral("kid"), QStringLiteral("k1")},
                       {QStringLiteral("jwk"), attackerAsK1}};
    QTest::newRow("embedded jwk header, provider kid")
            << test::signJws(m_attacker.jwk(), header, payload) << rs256
            << QStringLiteral("bad_signature");
    header[QStringLiteral("kid")] = QStringLiteral("att");
    header[QStringLiteral("jwk")] = m_attacker.publicJwk();
    QTest::newRow("embedded jwk header, own kid")
            << test::signJws(m_attacker.jwk(), header, payload) << rs256
            << QStringLiteral("unknown_key");

    const QByteArray valid = sign(m_rsa, claims());
    const QList<QByteArray> parts = valid.split('.');
    QJsonObject tampered = claims();
    tampered[QStringLiteral("sub")] = QStringLiteral("mallory");
    QTest::newRow("payload swapped after signing")
            << QByteArray(parts[0] + '.' +
                          b64url(QJsonDocument(tampered).toJson(QJsonDocument::Compact)) + '.' +
                          parts[2])
            << rs256 << QStringLiteral("bad_signature");
    QTest::newRow("5-part JWE") << QByteArray(
                                           "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")
                                << rs256 << QStringLiteral("jwe");
    QTest::newRow("garbage") << QByteArray("not a token") << rs256 << QStringLiteral("malformed");
    QTest::newRow("empty") << QByteArray() << rs256 << QStringLiteral("malformed");
    QTest::newRow("2 parts") << QByteArray(parts[0] + '.' + parts[1]) << rs256
                             << QStringLiteral("malformed");
    QTest::newRow("4 parts") << QByteArray(valid + ".AAAA") << rs256 << QStringLiteral("malformed");
    QTest::newRow("bad base64 in header")
            << QByteArray("*" + valid) << rs256 << QStringLiteral("malformed");
    QTest::newRow("bad base64 in signature")
            << QByteArray(valid + "!") << rs256 << QStringLiteral("malformed");
    QTest::newRow("padded base64") << QByteArray(parts[0] + "=." + parts[1] + '.' + parts[2])
                                   << rs256 << QStringLiteral("malformed");
    QTest::newRow("header not JSON") << test::rawToken("{alg:RS256}", payload, "AAAA") << rs256
                                     << QStringLiteral("bad_header");
    QTest::newRow("header not an object") << test::rawToken("[\"RS256\"]", payload, "AAAA") << rs256
                                          << QStringLiteral("bad_header");

    // Validly signed by the provider's key: the only reason to reject is the rule under test.
    const QByteArray dupClaims = payload.left(payload.size() - 1) + R"(,"sub":"mallory"})";
    QTest::newRow("duplicate claim names")
            << test::signJws(m_rsa.jwk(),
                             QJsonObject{{QStringLiteral("alg"), QStringLiteral("RS256")},
                                         {QStringLiteral("kid"), QStringLiteral("k1")}},
                             dupClaims)
            << rs256 << QStringLiteral("bad_payload");
    QTest::newRow("duplicate header names")
            << test::signRawRs256(m_rsa, R"({"alg":"RS256","kid":"zz","kid":"k1"})", payload)
            << rs256 << QStringLiteral("bad_header");
    QTest::newRow("crit header") << sign(m_rsa, claims(), QStringLiteral("RS256"),
                                         {{QStringLiteral("crit"),
                                           QJsonArray{QStringLiteral("exp")}}})
                                 << rs256 << QStringLiteral("crit");
    QTest::newRow("access token typ") << sign(m_rsa, claims(), QStringLiteral("RS256"),
                                              {{QStringLiteral("typ"), QStringLiteral("at+jwt")}})
                                      << rs256 << QStringLiteral("typ");
    QTest::newRow("payload not JSON")
            << test::signJws(m_rsa.jwk(),
                             QJsonObject{{QStringLiteral("alg"), QStringLiteral("RS256")},
                                         {QStringLiteral("kid"), QStringLiteral("k1")}},
                             "hello")
            << rs256 << QStringLiteral("bad_payload");
}

void TestIdTokenValidator::rejectsHostileTokens()
{
    QFETCH(QByteArray, token);
    QFETCH(QStringList, allowed);
    QFETCH(QString, code);
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.allowedAlgorithms = allowed;

    const Result<IdToken> result = env.validate(token, e);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(result.error().reason, code);
    QVERIFY(!result.error().message.isEmpty());
}

void TestIdTokenValidator::neverFetchesHeaderUrls()
{
    Env env;
    serveProviderKeys(env);
    const QUrl attackerKeys(QStringLiteral("https://attacker.example/jwks"));
    env.fetcher.serve(attackerKeys, test::jwksDocument({m_attacker.publicJwk()}));
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("RS256")},
                             {QStringLiteral("kid"), QStringLiteral("att")},
                             {QStringLiteral("jku"), attackerKeys.toString()},
                             {QStringLiteral("x5u"), attackerKeys.toString()}};
    const QByteArray token = test::signJws(m_attacker.jwk(), header,
                                           QJsonDocument(claims()).toJson(QJsonDocument::Compact));

    const Result<IdToken> result = env.validate(token, expectations());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().reason, QStringLiteral("unknown_key"));
    QCOMPARE(env.fetcher.count(attackerKeys), 0);
    QCOMPARE(env.fetcher.count(kJwksUri), 1);
}

void TestIdTokenValidator::unknownKidRefetchesAtMostOncePerMinute()
{
    Env env;
    serveProviderKeys(env);
    const TestKey rotated = TestKey::rsa(QStringLiteral("k2"));
    const TestKey rotated2 = TestKey::rsa(QStringLiteral("k3"));

    QVERIFY(env.validate(sign(m_rsa, claims()), expectations()).ok()); // primes the cache
    QCOMPARE(env.fetcher.count(kJwksUri), 1);
    QVERIFY(env.validate(sign(m_rsa, claims()), expectations()).ok());
    QCOMPARE(env.fetcher.count(kJwksUri), 1); // known kid: served from memory

    env.clock.advance(61);
    Result<IdToken> result = env.validate(sign(rotated, claims()), expectations());
    QCOMPARE(result.error().reason, QStringLiteral("unknown_key"));
    QCOMPARE(env.fetcher.count(kJwksUri), 2); // exactly one refetch, then rejected

    env.clock.advance(30);
    result = env.validate(sign(rotated2, claims()), expectations());
    QCOMPARE(result.error().reason, QStringLiteral("unknown_key"));
    QCOMPARE(env.fetcher.count(kJwksUri), 2); // second unknown kid within a minute: no refetch

    // The provider rotates to k2; a minute after the last fetch the new key is picked up.
    env.fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk(), rotated.publicJwk()}));
    result = env.validate(sign(rotated, claims()), expectations());
    QCOMPARE(result.error().reason, QStringLiteral("unknown_key"));
    QCOMPARE(env.fetcher.count(kJwksUri), 2);
    env.clock.advance(31);
    result = env.validate(sign(rotated, claims()), expectations());
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->keyId, QStringLiteral("k2"));
    QCOMPARE(env.fetcher.count(kJwksUri), 3);
}

void TestIdTokenValidator::unknownKidRightAfterFirstFetchRefetchesOnce()
{
    // OIDC Core §10.1.1: the provider rotated in k2 just after we first fetched its set. The first
    // fetch is not a refetch, so the unknown kid triggers exactly one refetch and is accepted.
    Env env;
    serveProviderKeys(env);
    const TestKey rotated = TestKey::rsa(QStringLiteral("k2"));
    const TestKey forged = TestKey::rsa(QStringLiteral("k3"));
    QVERIFY(env.validate(sign(m_rsa, claims()), expectations()).ok());
    QCOMPARE(env.fetcher.count(kJwksUri), 1);

    env.fetcher.serve(kJwksUri, test::jwksDocument({m_rsa.publicJwk(), rotated.publicJwk()}));
    env.clock.advance(5);
    Result<IdToken> result = env.validate(sign(rotated, claims()), expectations());
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->keyId, QStringLiteral("k2"));
    QCOMPARE(env.fetcher.count(kJwksUri), 2);

    // Only further unknown kids within that minute are refused without a fetch.
    env.clock.advance(5);
    result = env.validate(sign(forged, claims()), expectations());
    QCOMPARE(result.error().reason, QStringLiteral("unknown_key"));
    QCOMPARE(env.fetcher.count(kJwksUri), 2);
}

void TestIdTokenValidator::keySetUnreachableIsNotAForgery()
{
    Env env;
    env.fetcher.fail(kJwksUri, Error::make(ErrorKind::Network, QStringLiteral("unreachable")));
    Result<IdToken> result = env.validate(sign(m_rsa, claims()), expectations());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Network);

    env.fetcher.serve(kJwksUri, "<html>oops</html>");
    env.clock.advance(61);
    result = env.validate(sign(m_rsa, claims()), expectations());
    QCOMPARE(result.error().kind, ErrorKind::Protocol);
}

void TestIdTokenValidator::requiresExpectations()
{
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.nonce.clear();
    const Result<IdToken> result = env.validate(sign(m_rsa, claims()), e);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(env.fetcher.total(), 0);
}

void TestIdTokenValidator::dropsCallbackOfDestroyedContext()
{
    Env env;
    serveProviderKeys(env);
    bool called = false;
    auto *context = new QObject;
    env.validator.validate(sign(m_rsa, claims()), expectations(), context,
                           [&called](const Result<IdToken> &) { called = true; });
    delete context;
    QTRY_COMPARE(env.fetcher.count(kJwksUri), 1);
    QTest::qWait(20);
    QVERIFY(!called);
}

void TestIdTokenValidator::deviceGrantNeedsNoNonce_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("deviceGrant");
    QTest::addColumn<QString>("nonce"); // the expected nonce
    QTest::addColumn<QString>("rejectedBecause"); // empty: accepted

    QJsonObject noNonce = claims();
    noNonce.remove(QStringLiteral("nonce"));
    QJsonObject otherAudience = noNonce;
    otherAudience[QStringLiteral("aud")] = QStringLiteral("someone-else");
    QJsonObject expired = noNonce;
    expired[QStringLiteral("exp")] = m_clock.now().toSecsSinceEpoch() - 3600;
    QJsonObject otherIssuer = noNonce;
    otherIssuer[QStringLiteral("iss")] = QStringLiteral("https://evil.example");

    QTest::newRow("device grant, no nonce")
            << sign(m_rsa, noNonce) << true << QString() << QString();
    QTest::newRow("device grant, a nonce of its own is not used")
            << sign(m_rsa, claims()) << true << QString() << QString();
    QTest::newRow("code flow, no nonce")
            << sign(m_rsa, noNonce) << false << kNonce << QStringLiteral("nonce_missing");
    QTest::newRow("code flow, wrong nonce")
            << sign(m_rsa, claims()) << false << QStringLiteral("other") << "nonce_mismatch";
    // Every other rule still holds in device mode.
    QTest::newRow("device grant, foreign audience")
            << sign(m_rsa, otherAudience) << true << QString() << QStringLiteral("aud");
    QTest::newRow("device grant, expired")
            << sign(m_rsa, expired) << true << QString() << QStringLiteral("exp");
    QTest::newRow("device grant, other issuer")
            << sign(m_rsa, otherIssuer) << true << QString() << QStringLiteral("iss");
    QTest::newRow("device grant, attacker's key")
            << sign(m_attacker, noNonce) << true << QString() << QStringLiteral("unknown_key");
    // A nonce in the expectations means a caller mixed the modes up.
    QTest::newRow("device grant with an expected nonce")
            << sign(m_rsa, noNonce) << true << kNonce << QStringLiteral("bad_expectations");
}

void TestIdTokenValidator::deviceGrantNeedsNoNonce()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, deviceGrant);
    QFETCH(QString, nonce);
    QFETCH(QString, rejectedBecause);
    Env env;
    serveProviderKeys(env);
    IdTokenExpectations e = expectations();
    e.nonce = nonce;
    e.fromDeviceGrant = deviceGrant;
    const Result<IdToken> result = env.validate(token, e);
    if (rejectedBecause.isEmpty()) {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result->subject, QStringLiteral("alice"));
        QVERIFY(result->nonce.isEmpty());
        return;
    }
    QVERIFY(!result.ok());
    QVERIFY2(result.error().reason.startsWith(rejectedBecause), qPrintable(result.error().reason));
}

QTEST_GUILESS_MAIN(TestIdTokenValidator)
#include "tst_idtokenvalidator.moc"
