#include "oidc/providermetadata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;

namespace {

const QString kIssuer = QStringLiteral("https://issuer.example");

QJsonObject document(const QString &issuer = kIssuer)
{
    return QJsonObject{
            {QStringLiteral("issuer"), issuer},
            {QStringLiteral("authorization_endpoint"), QString(issuer + u"/auth")},
            {QStringLiteral("token_endpoint"), QString(issuer + u"/token")},
            {QStringLiteral("userinfo_endpoint"), QString(issuer + u"/me")},
            {QStringLiteral("jwks_uri"), QString(issuer + u"/jwks")},
            {QStringLiteral("revocation_endpoint"), QString(issuer + u"/token/revocation")},
            {QStringLiteral("end_session_endpoint"), QString(issuer + u"/session/end")},
            {QStringLiteral("device_authorization_endpoint"), QString(issuer + u"/device/auth")},
            {QStringLiteral("scopes_supported"),
             QJsonArray{QStringLiteral("openid"), QStringLiteral("email")}},
            {QStringLiteral("response_types_supported"), QJsonArray{QStringLiteral("code")}},
            {QStringLiteral("code_challenge_methods_supported"),
             QJsonArray{QStringLiteral("S256")}},
            {QStringLiteral("id_token_signing_alg_values_supported"),
             QJsonArray{QStringLiteral("RS256"), QStringLiteral("ES256")}},
            {QStringLiteral("authorization_response_iss_parameter_supported"), true},
    };
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject with(QJsonObject object, const QString &name, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(name);
    else
        object[name] = value;
    return object;
}

} // namespace

class TestProviderMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidDocument();
    void acceptsLoopbackHttpWithFlag_data();
    void acceptsLoopbackHttpWithFlag();
    void rejects_data();
    void documentIssuerForATemplate();
    void rejects();
    void issuerMismatchMessage();
    void rejectionShowsNoControlCharacters_data();
    void rejectionShowsNoControlCharacters();
};

void TestProviderMetadata::parsesValidDocument()
{
    const auto result = ProviderMetadata::parse(json(document()), kIssuer);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->issuer, kIssuer);
    QCOMPARE(result->authorizationEndpoint, QUrl(kIssuer + u"/auth"));
    QCOMPARE(result->tokenEndpoint, QUrl(kIssuer + u"/token"));
    QCOMPARE(result->userinfoEndpoint, QUrl(kIssuer + u"/me"));
    QCOMPARE(result->jwksUri, QUrl(kIssuer + u"/jwks"));
    QCOMPARE(result->revocationEndpoint, QUrl(kIssuer + u"/token/revocation"));
    QCOMPARE(result->endSessionEndpoint, QUrl(kIssuer + u"/session/end"));
    QCOMPARE(result->deviceAuthorizationEndpoint, QUrl(kIssuer + u"/device/auth"));
    QCOMPARE(result->codeChallengeMethodsSupported, QStringList{QStringLiteral("S256")});
    QCOMPARE(result->idTokenSigningAlgValuesSupported,
             (QStringList{QStringLiteral("RS256"), QStringLiteral("ES256")}));
    QCOMPARE(result->scopesSupported.size(), 2);
    QVERIFY(result->authorizationResponseIssParameterSupported);

    // Optional members absent: empty URLs, no RFC 9207 iss, PKCE list not advertised is fine.
    QJsonObject minimal = document();
    for (const char16_t *name :
         {u"userinfo_endpoint", u"revocation_endpoint", u"end_session_endpoint",
          u"device_authorization_endpoint", u"code_challenge_methods_supported",
          u"authorization_response_iss_parameter_supported"})
        minimal.remove(QString::fromUtf16(name));
    const auto minimalResult = ProviderMetadata::parse(json(minimal), kIssuer);
    QVERIFY(minimalResult.ok());
    QVERIFY(minimalResult->revocationEndpoint.isEmpty());
    QVERIFY(minimalResult->deviceAuthorizationEndpoint.isEmpty()); // no device sign-in offered
    QVERIFY(!minimalResult->authorizationResponseIssParameterSupported);
}

void TestProviderMetadata::acceptsLoopbackHttpWithFlag_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::newRow("127.0.0.1") << QStringLiteral("http://127.0.0.1:8123");
    QTest::newRow("::1") << QStringLiteral("http://[::1]:8123");
}

void TestProviderMetadata::acceptsLoopbackHttpWithFlag()
{
    QFETCH(QString, issuer);
    const auto allowed =
            ProviderMetadata::parse(json(document(issuer)), issuer, MetadataOptions{true, {}});
    QVERIFY2(allowed.ok(), allowed.ok() ? "" : qPrintable(allowed.error().message));
    QCOMPARE(allowed->tokenEndpoint, QUrl(issuer + u"/token"));

    const auto refused = ProviderMetadata::parse(json(document(issuer)), issuer);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, ErrorKind::Config);
}

void TestProviderMetadata::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<bool>("allowLoopbackHttp");
    QTest::addColumn<ErrorKind>("kind");

    const QString iss = QStringLiteral("issuer");
    // OIDC Discovery §4.3: exact issuer match.
    QTest::newRow("document issuer has trailing slash")
            << json(with(document(), iss, QString(kIssuer + u'/'))) << kIssuer << false
            << ErrorKind::Config;
    QTest::newRow("configured issuer has trailing slash")
            << json(document()) << QString(kIssuer + u'/') << false << ErrorKind::Config;
    QTest::newRow("document issuer over http")
            << json(with(document(), iss, QStringLiteral("http://issuer.example"))) << kIssuer
            << false << ErrorKind::Config;
    QTest::newRow("document issuer other host")
            << json(with(document(), iss, QStringLiteral("https://evil.example"))) << kIssuer
            << false << ErrorKind::Config;
    QTest::newRow("document issuer other case")
            << json(with(document(), iss, QStringLiteral("https://ISSUER.example"))) << kIssuer
            << false << ErrorKind::Config;
    QTest::newRow("document issuer missing") << json(with(document(), iss, QJsonValue::Undefined))
                                             << kIssuer << false << ErrorKind::Protocol;
    // https required, loopback http only with the flag and only for IP literals.
    QTest::newRow("http issuer without flag")
            << json(document(QStringLiteral("http://127.0.0.1:8123")))
            << QStringLiteral("http://127.0.0.1:8123") << false << ErrorKind::Config;
    QTest::newRow("http localhost even with flag")
            << json(document(QStringLiteral("http://localhost:8123")))
            << QStringLiteral("http://localhost:8123") << true << ErrorKind::Config;
    QTest::newRow("http non-loopback with flag")
            << json(document(QStringLiteral("http://10.0.0.1")))
            << QStringLiteral("http://10.0.0.1") << true << ErrorKind::Config;
    QTest::newRow("http token endpoint")
            << json(with(document(), QStringLiteral("token_endpoint"),
                         QStringLiteral("http://issuer.example/token")))
            << kIssuer << false << ErrorKind::Config;
    QTest::newRow("http device_authorization_endpoint")
            << json(with(document(), QStringLiteral("device_authorization_endpoint"),
                         QStringLiteral("http://issuer.example/device/auth")))
            << kIssuer << false << ErrorKind::Config;
    QTest::newRow("non-string device_authorization_endpoint")
            << json(with(document(), QStringLiteral("device_authorization_endpoint"), 42))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("http jwks_uri") << json(with(document(), QStringLiteral("jwks_uri"),
                                                QStringLiteral("http://issuer.example/jwks")))
                                   << kIssuer << false << ErrorKind::Config;
    QTest::newRow("loopback http endpoint on https issuer, no flag")
            << json(with(document(), QStringLiteral("userinfo_endpoint"),
                         QStringLiteral("http://127.0.0.1/me")))
            << kIssuer << false << ErrorKind::Config;
    QTest::newRow("issuer with query") << json(document(kIssuer + u"?x=1"))
                                       << QString(kIssuer + u"?x=1") << false << ErrorKind::Config;
    // RFC 7636: never downgrade to plain.
    QTest::newRow("plain-only PKCE")
            << json(with(document(), QStringLiteral("code_challenge_methods_supported"),
                         QJsonArray{QStringLiteral("plain")}))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("empty PKCE list")
            << json(with(document(), QStringLiteral("code_challenge_methods_supported"),
                         QJsonArray{}))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("no code response type")
            << json(with(document(), QStringLiteral("response_types_supported"),
                         QJsonArray{QStringLiteral("id_token")}))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("missing jwks_uri")
            << json(with(document(), QStringLiteral("jwks_uri"), QJsonValue::Undefined)) << kIssuer
            << false << ErrorKind::Protocol;
    QTest::newRow("missing token_endpoint")
            << json(with(document(), QStringLiteral("token_endpoint"), QJsonValue::Undefined))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("endpoint not a string")
            << json(with(document(), QStringLiteral("authorization_endpoint"), 42)) << kIssuer
            << false << ErrorKind::Protocol;
    QTest::newRow("iss parameter flag not boolean")
            << json(with(document(),
                         QStringLiteral("authorization_response_iss_parameter_supported"),
                         QStringLiteral("true")))
            << kIssuer << false << ErrorKind::Protocol;
    QTest::newRow("not JSON") << QByteArray("<html>Not found</html>") << kIssuer << false
                              << ErrorKind::Protocol;
    QTest::newRow("JSON array") << QByteArray("[]") << kIssuer << false << ErrorKind::Protocol;
    QByteArray duplicate = json(document());
    duplicate.chop(1);
    duplicate += R"(,"issuer":"https://evil.example"})";
    QTest::newRow("duplicate issuer member")
            << duplicate << kIssuer << false << ErrorKind::Protocol;
}

void TestProviderMetadata::rejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, configured);
    QFETCH(bool, allowLoopbackHttp);
    QFETCH(ErrorKind, kind);
    const auto result =
            ProviderMetadata::parse(body, configured, MetadataOptions{allowLoopbackHttp, {}});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, kind);
    QVERIFY(!result.error().message.isEmpty());
}

// Microsoft's multi-tenant document names the issuer template, never the configured alias: it is
// accepted only when the caller says so, and then only that exact template.
void TestProviderMetadata::documentIssuerForATemplate()
{
    const QString configured = QStringLiteral("https://login.microsoftonline.com/common/v2.0");
    const QString templ = QStringLiteral("https://login.microsoftonline.com/{tenantid}/v2.0");
    QJsonObject doc = with(document(QStringLiteral("https://login.microsoftonline.com/common")),
                           QStringLiteral("issuer"), templ);
    const auto accepted =
            ProviderMetadata::parse(json(doc), configured, MetadataOptions{false, templ});
    QVERIFY2(accepted.ok(), accepted.ok() ? "" : qPrintable(accepted.error().message));
    QCOMPARE(accepted->issuer, configured);

    const auto plain = ProviderMetadata::parse(json(doc), configured);
    QVERIFY(!plain.ok());
    QCOMPARE(plain.error().kind, ErrorKind::Config);

    doc[QStringLiteral("issuer")] = QStringLiteral(
            "https://login.microsoftonline.com/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/v2.0");
    QVERIFY(!ProviderMetadata::parse(json(doc), configured, MetadataOptions{false, templ}).ok());
}

void TestProviderMetadata::issuerMismatchMessage()
{
    const auto result = ProviderMetadata::parse(json(with(document(), QStringLiteral("issuer"),
                                                          QStringLiteral("https://evil.example"))),
                                                kIssuer);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message,
             QStringLiteral("The provider at https://issuer.example says its issuer is "
                            "https://evil.example; check the issuer URL in the configuration."));
}

// Found by fuzz_providermetadata: the message quoted the document's values and the JSON parser's
// text as they came, controls and bidi overrides included.
void TestProviderMetadata::rejectionShowsNoControlCharacters_data()
{
    QTest::addColumn<QByteArray>("body");
    const QString hostile = QStringLiteral("https://evil.example/\u202e\r\nSigned in\u0007");
    QByteArray controlByte = json(document());
    controlByte.replace("\"jwks_uri\":\"", "\"jwks_uri\":\x1e");
    QTest::newRow("control byte in the JSON") << controlByte;
    QTest::newRow("hostile issuer") << json(with(document(), QStringLiteral("issuer"), hostile));
    QTest::newRow("hostile endpoint")
            << json(with(document(), QStringLiteral("token_endpoint"), hostile));
}

void TestProviderMetadata::rejectionShowsNoControlCharacters()
{
    QFETCH(QByteArray, body);
    const auto result = ProviderMetadata::parse(body, kIssuer);
    QVERIFY(!result.ok());
    for (const QChar c : result.error().message) {
        QVERIFY2(c.category() != QChar::Other_Control && c.category() != QChar::Other_Format,
                 qPrintable(result.error().message));
    }
}

QTEST_GUILESS_MAIN(TestProviderMetadata)
#include "tst_providermetadata.moc"
