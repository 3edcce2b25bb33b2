#include "oidc/authorizationrequest.h"
#include "oidc/pendingauthorization.h"

#include <QTest>
#include <QUrlQuery>

using namespace latchkey;
using namespace latchkey::oidc;

using Params = QList<QPair<QString, QString>>;

namespace {
AuthorizationRequest baseRequest()
{
    AuthorizationRequest request;
    request.authorizationEndpoint = QUrl(QStringLiteral("https://op.example/authorize"));
    request.clientId = QStringLiteral("client-1");
    request.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:4711/callback/google"));
    request.scopes = QStringList{QStringLiteral("openid"), QStringLiteral("email"),
                                 QStringLiteral("profile")};
    request.state = QStringLiteral("st");
    request.nonce = QStringLiteral("no");
    request.codeChallenge = QStringLiteral("ch");
    return request;
}
} // namespace

class TestAuthorizationRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildsUrl_data();
    void buildsUrl();
    void rejects_data();
    void rejects();
    void forFlowUsesTheFlowsValues();
};

void TestAuthorizationRequest::buildsUrl_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("state");
    QTest::addColumn<Params>("extra");
    QTest::addColumn<QString>("expected");

    const QString common =
            QStringLiteral("response_type=code&client_id=client-1"
                           "&redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcallback%2Fgoogle"
                           "&scope=openid%20email%20profile");
    const QString tail = QStringLiteral("&nonce=no&code_challenge=ch&code_challenge_method=S256");

    QTest::newRow("plain") << QStringLiteral("https://op.example/authorize") << QStringLiteral("st")
                           << Params{}
                           << QStringLiteral("https://op.example/authorize?") + common +
                    QStringLiteral("&state=st") + tail;
    QTest::newRow("google extras")
            << QStringLiteral("https://op.example/authorize") << QStringLiteral("st")
            << Params{{QStringLiteral("access_type"), QStringLiteral("offline")},
                      {QStringLiteral("prompt"), QStringLiteral("select_account consent")}}
            << QStringLiteral("https://op.example/authorize?") + common +
                    QStringLiteral("&state=st") + tail +
                    QStringLiteral("&access_type=offline&prompt=select_account%20consent");
    QTest::newRow("existing query kept first")
            << QStringLiteral("https://op.example/authorize?tenant=a%2Bb&x=1")
            << QStringLiteral("st") << Params{}
            << QStringLiteral("https://op.example/authorize?tenant=a%2Bb&x=1&") + common +
                    QStringLiteral("&state=st") + tail;
    QTest::newRow("reserved characters encoded")
            << QStringLiteral("https://op.example/authorize") << QStringLiteral("a+b&c=d e#f/é~")
            << Params{}
            << QStringLiteral("https://op.example/authorize?") + common +
                    QStringLiteral("&state=a%2Bb%26c%3Dd%20e%23f%2F%C3%A9~") + tail;
}

void TestAuthorizationRequest::buildsUrl()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, state);
    QFETCH(Params, extra);
    QFETCH(QString, expected);

    AuthorizationRequest request = baseRequest();
    request.authorizationEndpoint = QUrl(endpoint);
    request.state = state;
    request.extraParameters = extra;
    const Result<QUrl> url = request.build();
    QVERIFY2(url.ok(), url.ok() ? "" : qPrintable(url.error().message));
    QCOMPARE(url->toString(QUrl::FullyEncoded), expected);
    // A standard decoder gets the exact values back.
    const QUrlQuery query(url.value());
    QCOMPARE(query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), state);
    QCOMPARE(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
             QStringLiteral("http://127.0.0.1:4711/callback/google"));
}

void TestAuthorizationRequest::rejects_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<Params>("extra");

    const QString ok = QStringLiteral("https://op.example/authorize");
    const QStringList scopes{QStringLiteral("openid"), QStringLiteral("email")};
    QTest::newRow("no openid scope")
            << ok << QStringLiteral("c") << QStringList{QStringLiteral("email")} << Params{};
    QTest::newRow("empty client id") << ok << QString() << scopes << Params{};
    QTest::newRow("ftp endpoint") << QStringLiteral("ftp://op.example/authorize")
                                  << QStringLiteral("c") << scopes << Params{};
    QTest::newRow("relative endpoint")
            << QStringLiteral("/authorize") << QStringLiteral("c") << scopes << Params{};
    QTest::newRow("endpoint with fragment") << QStringLiteral("https://op.example/a#f")
                                            << QStringLiteral("c") << scopes << Params{};
    QTest::newRow("extra overrides state")
            << ok << QStringLiteral("c") << scopes
            << Params{{QStringLiteral("state"), QStringLiteral("evil")}};
    QTest::newRow("extra downgrades pkce")
            << ok << QStringLiteral("c") << scopes
            << Params{{QStringLiteral("code_challenge_method"), QStringLiteral("plain")}};
    QTest::newRow("endpoint query collides")
            << QStringLiteral("https://op.example/authorize?client_id=other") << QStringLiteral("c")
            << scopes << Params{};
    QTest::newRow("extra twice") << ok << QStringLiteral("c") << scopes
                                 << Params{{QStringLiteral("prompt"), QStringLiteral("a")},
                                           {QStringLiteral("prompt"), QStringLiteral("b")}};
}

void TestAuthorizationRequest::rejects()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, clientId);
    QFETCH(QStringList, scopes);
    QFETCH(Params, extra);

    AuthorizationRequest request = baseRequest();
    request.authorizationEndpoint = QUrl(endpoint);
    request.clientId = clientId;
    request.scopes = scopes;
    request.extraParameters = extra;
    const Result<QUrl> url = request.build();
    QVERIFY(!url.ok());
    QCOMPARE(url.error().kind, ErrorKind::Config);
    QVERIFY(!url.error().message.isEmpty());
}

void TestAuthorizationRequest::forFlowUsesTheFlowsValues()
{
    const PendingAuthorization flow = PendingAuthorization::create(
            QStringLiteral("google"), QStringLiteral("https://op.example"), QStringLiteral("cid"),
            QUrl(QStringLiteral("http://127.0.0.1:5000/callback/google")),
            QDateTime::currentDateTimeUtc());
    const AuthorizationRequest request = AuthorizationRequest::forFlow(
            QUrl(QStringLiteral("https://op.example/auth")), flow, {QStringLiteral("openid")});
    const Result<QUrl> url = request.build();
    QVERIFY(url.ok());
    const QUrlQuery query(url.value());
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("cid"));
    QCOMPARE(query.queryItemValue(QStringLiteral("state")), flow.state);
    QCOMPARE(query.queryItemValue(QStringLiteral("nonce")), flow.nonce);
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge")), flow.codeChallenge());
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QVERIFY(!url->toString().contains(flow.codeVerifier)); // the verifier never leaves the app
}

QTEST_GUILESS_MAIN(TestAuthorizationRequest)
#include "tst_authorizationrequest.moc"
