#include "oidc/clientauth.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenrequest.h"

#include <QJsonArray>

#include <QTest>

using namespace latchkey;
using namespace latchkey::oidc;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(latchkey::oidc::ClientAuthMethod)

namespace {
const QUrl kEndpoint(QStringLiteral("https://op.example/token"));
const QUrl kRedirect(QStringLiteral("http://127.0.0.1:4711/callback/google"));

QString fieldsToString(const FormFields &fields)
{
    QStringList out;
    for (const auto &[name, value] : fields)
        out << name + u'=' + value;
    return out.join(u'&');
}
} // namespace

class TestTokenRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formFields_data();
    void formFields();
    void basicHeader_data();
    void basicHeader();
    void methodFromName_data();
    void methodFromName();
    void check_data();
    void check();
    void choose_data();
    void choose();
};

void TestTokenRequest::formFields_data()
{
    QTest::addColumn<bool>("refresh");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<ClientAuthMethod>("method");
    QTest::addColumn<QString>("expected");

    const QString code = QStringLiteral("grant_type=authorization_code&code=4/0Ab+c"
                                        "&redirect_uri=http://127.0.0.1:4711/callback/google"
                                        "&code_verifier=ver");
    QTest::newRow("code, none") << false << QString() << ClientAuthMethod::None
                                << code + QStringLiteral("&client_id=cid");
    QTest::newRow("code, post") << false << QString() << ClientAuthMethod::ClientSecretPost
                                << code + QStringLiteral("&client_id=cid&client_secret=sec");
    QTest::newRow("code, basic") << false << QString() << ClientAuthMethod::ClientSecretBasic
                                 << code;
    QTest::newRow("refresh, none") << true << QString() << ClientAuthMethod::None
                                   << QStringLiteral("grant_type=refresh_token&refresh_token=rt"
                                                     "&client_id=cid");
    QTest::newRow("refresh with scope, post")
            << true << QStringLiteral("openid email") << ClientAuthMethod::ClientSecretPost
            << QStringLiteral("grant_type=refresh_token&refresh_token=rt&scope=openid email"
                              "&client_id=cid&client_secret=sec");
}

void TestTokenRequest::formFields()
{
    QFETCH(bool, refresh);
    QFETCH(QString, scope);
    QFETCH(ClientAuthMethod, method);
    QFETCH(QString, expected);

    const TokenRequest request = refresh
            ? TokenRequest::refresh(kEndpoint, QStringLiteral("rt"), scope)
            : TokenRequest::authorizationCode(kEndpoint, QStringLiteral("4/0Ab+c"), kRedirect,
                                              QStringLiteral("ver"));
    const ClientAuthentication client{QStringLiteral("cid"), QStringLiteral("sec"), method};
    QCOMPARE(fieldsToString(request.formFields(client)), expected);
    QVERIFY(request.check().ok());
}

void TestTokenRequest::basicHeader_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("credentials"); // before base64

    QTest::newRow("simple") << QStringLiteral("cid") << QStringLiteral("sec")
                            << QByteArray("cid:sec");
    // RFC 6749 §2.3.1: form-encode before Basic, so ':' in the id cannot split it.
    QTest::newRow("colon and plus")
            << QStringLiteral("a:b") << QStringLiteral("s+t/=") << QByteArray("a%3Ab:s%2Bt%2F%3D");
    QTest::newRow("space and unicode")
            << QStringLiteral("my app") << QStringLiteral("é~") << QByteArray("my+app:%C3%A9~");
}

void TestTokenRequest::basicHeader()
{
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(QByteArray, credentials);

    const ClientAuthentication basic{clientId, secret, ClientAuthMethod::ClientSecretBasic};
    QCOMPARE(basic.authorizationHeader(), QByteArray("Basic ") + credentials.toBase64());
    const ClientAuthentication post{clientId, secret, ClientAuthMethod::ClientSecretPost};
    QVERIFY(post.authorizationHeader().isEmpty());
    const ClientAuthentication none{clientId, QString(), ClientAuthMethod::None};
    QVERIFY(none.authorizationHeader().isEmpty());
}

void TestTokenRequest::methodFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<ClientAuthMethod>("method");
    QTest::newRow("none") << QStringLiteral("none") << true << ClientAuthMethod::None;
    QTest::newRow("post") << QStringLiteral("client_secret_post") << true
                          << ClientAuthMethod::ClientSecretPost;
    QTest::newRow("basic") << QStringLiteral("client_secret_basic") << true
                           << ClientAuthMethod::ClientSecretBasic;
    QTest::newRow("jwt unsupported")
            << QStringLiteral("private_key_jwt") << false << ClientAuthMethod::None;
    QTest::newRow("case matters") << QStringLiteral("None") << false << ClientAuthMethod::None;
}

void TestTokenRequest::methodFromName()
{
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QFETCH(ClientAuthMethod, method);
    const Result<ClientAuthMethod> parsed = ClientAuthentication::methodFromName(name);
    QCOMPARE(parsed.ok(), ok);
    if (ok)
        QCOMPARE(parsed.value(), method);
    else
        QCOMPARE(parsed.error().kind, ErrorKind::Config);
}

void TestTokenRequest::check_data()
{
    QTest::addColumn<TokenRequest>("request");
    QTest::addColumn<ClientAuthentication>("client");
    QTest::addColumn<bool>("ok");

    const ClientAuthentication none{QStringLiteral("cid"), QString(), ClientAuthMethod::None};
    QTest::newRow("code ok") << TokenRequest::authorizationCode(kEndpoint, QStringLiteral("c"),
                                                                kRedirect, QStringLiteral("v"))
                             << none << true;
    QTest::newRow("code without verifier")
            << TokenRequest::authorizationCode(kEndpoint, QStringLiteral("c"), kRedirect, QString())
            << none << false;
    QTest::newRow("empty code") << TokenRequest::authorizationCode(kEndpoint, QString(), kRedirect,
                                                                   QStringLiteral("v"))
                                << none << false;
    QTest::newRow("refresh without token")
            << TokenRequest::refresh(kEndpoint, QString()) << none << false;
    QTest::newRow("file endpoint")
            << TokenRequest::refresh(QUrl(QStringLiteral("file:///etc/passwd")),
                                     QStringLiteral("r"))
            << none << false;
    QTest::newRow("no client id") << TokenRequest::refresh(kEndpoint, QStringLiteral("r"))
                                  << ClientAuthentication{} << false;
    QTest::newRow("post without secret") << TokenRequest::refresh(kEndpoint, QStringLiteral("r"))
                                         << ClientAuthentication{QStringLiteral("cid"), QString(),
                                                                 ClientAuthMethod::ClientSecretPost}
                                         << false;
}

void TestTokenRequest::check()
{
    QFETCH(TokenRequest, request);
    QFETCH(ClientAuthentication, client);
    QFETCH(bool, ok);
    const bool valid = request.check().ok() && client.check().ok();
    QCOMPARE(valid, ok);
}

void TestTokenRequest::choose_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QStringList>("advertised"); // empty: the metadata has no list
    QTest::addColumn<ClientAuthMethod>("method");
    QTest::newRow("public client")
            << QString() << QStringList{u"client_secret_post"_s} << ClientAuthMethod::None;
    QTest::newRow("post when listed")
            << u"s"_s << QStringList{u"client_secret_basic"_s, u"client_secret_post"_s}
            << ClientAuthMethod::ClientSecretPost;
    QTest::newRow("basic when only it is listed") << u"s"_s << QStringList{u"client_secret_basic"_s}
                                                  << ClientAuthMethod::ClientSecretBasic;
    QTest::newRow("basic by default (OIDC Discovery 3)")
            << u"s"_s << QStringList() << ClientAuthMethod::ClientSecretBasic;
}

void TestTokenRequest::choose()
{
    QFETCH(QString, secret);
    QFETCH(QStringList, advertised);
    QFETCH(ClientAuthMethod, method);
    ProviderMetadata metadata;
    if (!advertised.isEmpty())
        metadata.raw.insert(u"token_endpoint_auth_methods_supported"_s,
                            QJsonArray::fromStringList(advertised));
    const auto client = ClientAuthentication::choose(u"cid"_s, secret, metadata);
    QCOMPARE(client.method, method);
    QCOMPARE(client.clientId, u"cid"_s);
    QCOMPARE(client.clientSecret, secret);
}

QTEST_GUILESS_MAIN(TestTokenRequest)
#include "tst_tokenrequest.moc"
