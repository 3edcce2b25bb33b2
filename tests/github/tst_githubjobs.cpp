// GitHub's network steps against a canned HTTP server on 127.0.0.1: the code exchange and the
// two REST calls of GitHubIdentityJob (what is sent, what identity comes out), and the token
// revocation at sign-out (DELETE with Basic auth and a JSON body, and how each answer counts).
#include "../oidc/tst_flow_httpserver.h"
#include "auth/githubidentityjob.h"
#include "fakeclock.h"
#include "github/githubrevocation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace Qt::StringLiterals;
using latchkey::test::CannedHttpServer;

class TestGitHubJobs : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void signInSendsAndMaps();
    void unverifiedPrimaryIsNoVerifiedEmail();
    void emailsOutOfScopeMeansNoEmail();
    void tokenRefusalEndsTheJob();
    void revokes_data();
    void revokes();

private:
    std::optional<Result<GitHubSignIn>> run();

    std::unique_ptr<CannedHttpServer> m_server;
    QNetworkAccessManager m_network;
    latchkey::test::FakeClock m_clock;
    ProviderOptions m_provider;
};

void TestGitHubJobs::init()
{
    m_server = std::make_unique<CannedHttpServer>();
    QVERIFY(m_server->listen());
    m_provider = presets::github(u"Ov23liTest"_s, u"s3cret"_s, m_server->url(u""_s),
                                 m_server->url(u"/api/v3"_s));
}

std::optional<Result<GitHubSignIn>> TestGitHubJobs::run()
{
    std::optional<Result<GitHubSignIn>> result;
    GitHubIdentityJob job(m_network, m_provider, m_clock);
    connect(&job, &GitHubIdentityJob::finished, this,
            [&result](const Result<GitHubSignIn> &signIn) { result = signIn; });
    job.start(u"code-1"_s, QUrl(u"http://127.0.0.1:5000/callback/github"_s), u"verifier-1"_s);
    (void)QTest::qWaitFor([&result]() { return result.has_value(); }, 5000);
    return result;
}

void TestGitHubJobs::signInSendsAndMaps()
{
    CannedHttpServer::Reply token;
    token.contentType = "application/x-www-form-urlencoded; charset=utf-8";
    token.body = "access_token=gho_abc&scope=read%3Auser%2Cuser%3Aemail&token_type=bearer";
    m_server->enqueue(token);
    m_server->enqueue(
            200,
            R"({"login":"octocat","id":583231,"name":null,"avatar_url":"https://a.example/u/1"})");
    m_server->enqueue(200, R"([{"email":"other@example.com","primary":false,"verified":true},
                              {"email":"Octo@Example.com","primary":true,"verified":true}])");
    const auto result = run();
    QVERIFY(result.has_value());
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    const OidcIdentity &identity = result->value().identity;
    QCOMPARE(identity.provider, u"github"_s);
    QCOMPARE(identity.issuer, m_server->url(u""_s).toString());
    QCOMPARE(identity.subject, u"583231"_s);
    QCOMPARE(identity.email, u"octo@example.com"_s);
    QVERIFY(identity.emailVerified);
    QCOMPARE(identity.name, u"octocat"_s);
    QCOMPARE(identity.picture, u"https://a.example/u/1"_s);
    QCOMPARE(result->value().tokens.accessToken, u"gho_abc"_s);
    QCOMPARE(identity.scope, u"read:user user:email"_s);

    const auto &requests = m_server->requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests[0].method, "POST");
    QCOMPARE(requests[0].target, "/login/oauth/access_token");
    QCOMPARE(requests[0].headers.value("accept"), "application/json");
    const auto form = requests[0].form();
    for (const auto &field : {QPair{u"client_id"_s, u"Ov23liTest"_s},
                              QPair{u"client_secret"_s, u"s3cret"_s}, QPair{u"code"_s, u"code-1"_s},
                              QPair{u"redirect_uri"_s, u"http://127.0.0.1:5000/callback/github"_s},
                              QPair{u"code_verifier"_s, u"verifier-1"_s}})
        QVERIFY2(form.contains(field), qPrintable(field.first));
    QCOMPARE(requests[1].target, "/api/v3/user");
    QCOMPARE(requests[2].target, "/api/v3/user/emails");
    for (int i : {1, 2}) {
        QCOMPARE(requests[i].method, "GET");
        QCOMPARE(requests[i].headers.value("authorization"), "Bearer gho_abc");
        QCOMPARE(requests[i].headers.value("accept"), "application/vnd.github+json");
        QCOMPARE(requests[i].headers.value("x-github-api-version"), "2022-11-28");
        QVERIFY(requests[i].headers.value("user-agent").startsWith("Latchkey/"));
    }
}

void TestGitHubJobs::unverifiedPrimaryIsNoVerifiedEmail()
{
    m_server->enqueue(200, R"({"access_token":"gho_b","token_type":"bearer","scope":""})");
    m_server->enqueue(200, R"({"login":"unverified-bob","id":42,"name":"Bob"})");
    m_server->enqueue(200, R"([{"email":"bob@example.com","primary":true,"verified":false},
                              {"email":"bob2@example.com","primary":false,"verified":true}])");
    const auto result = run();
    QVERIFY(result.has_value() && result->ok());
    QCOMPARE(result->value().identity.email, u"bob@example.com"_s);
    QVERIFY(!result->value().identity.emailVerified); // never linked, never admitted by domain
}

void TestGitHubJobs::emailsOutOfScopeMeansNoEmail()
{
    m_server->enqueue(200, R"({"access_token":"gho_c","token_type":"bearer"})");
    m_server->enqueue(200, R"({"login":"private-eve","id":7,"name":"Eve"})");
    m_server->enqueue(404, R"({"message":"Not Found"})");
    const auto result = run();
    QVERIFY(result.has_value() && result->ok());
    QVERIFY(result->value().identity.email.isEmpty());
    QVERIFY(!result->value().identity.emailVerified);
}

void TestGitHubJobs::tokenRefusalEndsTheJob()
{
    m_server->enqueue(200, R"({"error":"bad_verification_code","error_description":"expired"})");
    const auto result = run();
    QVERIFY(result.has_value() && !result->ok());
    QCOMPARE(result->error().code, ErrorCode::AuthorizationCodeExpired);
    QCOMPARE(m_server->requests().size(), 1); // no API call with a token it does not have
}

void TestGitHubJobs::revokes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::newRow("204 revoked") << 204 << true << 0;
    QTest::newRow("404 already gone") << 404 << true << 0;
    QTest::newRow("503 try later") << 503 << false << int(ErrorKind::Network);
    QTest::newRow("422 final") << 422 << false << int(ErrorKind::Protocol);
}

void TestGitHubJobs::revokes()
{
    QFETCH(int, status);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    m_server->enqueue(status, status == 204 ? QByteArray() : R"({"message":"x"})"_ba);
    std::optional<Status> result;
    github::revokeToken(m_network, m_provider, u"gho_abc"_s, this,
                        [&result](const Status &revoked) { result = revoked; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->ok(), ok);
    if (!ok)
        QCOMPARE(int(result->error().kind), kind);

    const auto &request = m_server->requests().value(0);
    QCOMPARE(request.method, "DELETE");
    QCOMPARE(request.target, "/api/v3/applications/Ov23liTest/token");
    QCOMPARE(request.headers.value("authorization"),
             "Basic " + QByteArray("Ov23liTest:s3cret").toBase64());
    QVERIFY(request.headers.value("user-agent").startsWith("Latchkey/"));
    QCOMPARE(QJsonDocument::fromJson(request.body).object().value(u"access_token"_s).toString(),
             u"gho_abc"_s);
}

QTEST_GUILESS_MAIN(TestGitHubJobs)
#include "tst_githubjobs.moc"
