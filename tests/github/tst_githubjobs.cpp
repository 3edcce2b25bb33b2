// GitHub's network steps against a canned HTTP server on 127.0.0.1: the code exchange and the
// two REST calls of GitHubIdentityJob (what is sent, what identity comes out), and the token
// revocation at sign-out (DELETE with Basic auth and a JSON body, and how each answer counts),
// and the device flow: the device code request, the polls with GitHub's errors-in-a-200 and the
// identity from tokens already obtained.
#include "../oidc/tst_flow_httpserver.h"
#include "auth/githubidentityjob.h"
#include "fakeclock.h"
#include "github/githubapi.h"
#include "github/githubrevocation.h"
#include "oidc/deviceauthorizationjob.h"
#include "oidc/devicetokenpoller.h"

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
    void deviceCodeRequest();
    void deviceCodeErrorsInA200_data();
    void deviceCodeErrorsInA200();
    void devicePollsUntilApproved();
    void deviceSlowDownHonoursInterval_data();
    void deviceSlowDownHonoursInterval();
    void devicePollEndsOn_data();
    void devicePollEndsOn();
    void identityFromDeviceTokens();

private:
    std::optional<Result<GitHubSignIn>> run();
    std::optional<Result<oidc::DeviceAuthorization>> requestDeviceCode();
    std::unique_ptr<oidc::DeviceTokenPoller> poller(int intervalSecs);
    std::optional<Result<oidc::TokenResponse>> m_polled;

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

std::optional<Result<oidc::DeviceAuthorization>> TestGitHubJobs::requestDeviceCode()
{
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = true;
    const QUrl endpoint = github::metadata(m_provider).deviceAuthorizationEndpoint;
    oidc::DeviceAuthorizationJob job(m_network, endpoint, m_provider.scopes,
                                     {m_provider.clientId, QString(), oidc::ClientAuthMethod::None},
                                     m_clock, options);
    job.setResponseParser([options](const oidc::HttpResponse &response, const QDateTime &now) {
        return github::parseDeviceAuthorization(response, now, options, u"GitHub"_s);
    });
    std::optional<Result<oidc::DeviceAuthorization>> result;
    connect(&job, &oidc::DeviceAuthorizationJob::finished, this,
            [&result](const Result<oidc::DeviceAuthorization> &r) { result = r; });
    job.start();
    (void)QTest::qWaitFor([&result]() { return result.has_value(); }, 5000);
    return result;
}

void TestGitHubJobs::deviceCodeRequest()
{
    // GitHub's answer to POST /login/device/code with Accept: application/json.
    m_server->enqueue(200,
                      R"({"device_code":"3584d83530557fdd1f46af8289938c8ef79f9dc5",)"
                      R"("user_code":"WDJB-MJHT","verification_uri":)"
                      R"("https://github.com/login/device","expires_in":900,"interval":5})");
    const auto result = requestDeviceCode();
    QVERIFY(result.has_value());
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    QCOMPARE(result->value().userCode, u"WDJB-MJHT"_s);
    QCOMPARE(result->value().verificationUri, QUrl(u"https://github.com/login/device"_s));
    QCOMPARE(result->value().intervalSecs, 5);
    QCOMPARE(result->value().expiresAt, m_clock.now().toUTC().addSecs(900));

    const auto &request = m_server->requests().value(0);
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.target, "/login/device/code");
    QCOMPARE(request.headers.value("accept"), "application/json");
    QVERIFY(!request.headers.contains("authorization")); // no secret in the device flow
    const QList<QPair<QString, QString>> expected{{u"client_id"_s, u"Ov23liTest"_s},
                                                  {u"scope"_s, u"read:user user:email"_s}};
    QCOMPARE(request.form(), expected);
}

void TestGitHubJobs::deviceCodeErrorsInA200_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("says");
    QTest::newRow("device_flow_disabled")
            << "application/json"_ba
            << R"({"error":"device_flow_disabled","error_description":"Device flow must be )"
               R"(explicitly enabled for this App"})"_ba
            << ErrorKind::Config << ErrorCode::DeviceFlowDisabled << u"Enable Device Flow"_s;
    QTest::newRow("device_flow_disabled, form-encoded")
            << "application/x-www-form-urlencoded"_ba
            << "error=device_flow_disabled"_ba << ErrorKind::Config << ErrorCode::DeviceFlowDisabled
            << u"Enable Device Flow"_s;
    QTest::newRow("incorrect_client_credentials")
            << "application/json"_ba
            << R"({"error":"incorrect_client_credentials"})"_ba << ErrorKind::Config
            << ErrorCode::ConfigInvalid << u"GITHUB_ID"_s;
}

void TestGitHubJobs::deviceCodeErrorsInA200()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorCode, code);
    QFETCH(QString, says);
    CannedHttpServer::Reply reply;
    reply.contentType = contentType;
    reply.body = body;
    m_server->enqueue(reply);
    const auto result = requestDeviceCode();
    QVERIFY(result.has_value() && !result->ok());
    QCOMPARE(result->error().kind, kind);
    QCOMPARE(result->error().code, code);
    const QString shown = errorMessage(result->error());
    QVERIFY2(shown.contains(says), qPrintable(shown));
    if (code == ErrorCode::DeviceFlowDisabled)
        QVERIFY2(shown.contains(u"GitHub"_s), qPrintable(shown));
}

std::unique_ptr<oidc::DeviceTokenPoller> TestGitHubJobs::poller(int intervalSecs)
{
    oidc::DeviceAuthorization authorization;
    authorization.deviceCode = u"3584d83530557fdd1f46af8289938c8ef79f9dc5"_s;
    authorization.userCode = u"WDJB-MJHT"_s;
    authorization.verificationUri = QUrl(u"https://github.com/login/device"_s);
    authorization.expiresAt = m_clock.now().addSecs(900);
    authorization.intervalSecs = intervalSecs;
    auto out = std::make_unique<oidc::DeviceTokenPoller>(
            m_network, github::metadata(m_provider).tokenEndpoint, authorization,
            oidc::ClientAuthentication{m_provider.clientId, QString(),
                                       oidc::ClientAuthMethod::None},
            m_clock);
    out->setIntervalUnit(std::chrono::milliseconds(20)); // one "second" is 20 ms
    out->setResponseParser([](const oidc::HttpResponse &response, const QDateTime &now) {
        return github::parseDeviceTokenResponse(response, now, u"GitHub"_s);
    });
    m_polled.reset();
    connect(out.get(), &oidc::DeviceTokenPoller::finished, this,
            [this](const Result<oidc::TokenResponse> &result) { m_polled = result; });
    return out;
}

void TestGitHubJobs::devicePollsUntilApproved()
{
    // GitHub answers every poll with HTTP 200; the error is in the body.
    m_server->enqueue(200,
                      R"({"error":"authorization_pending","error_description":"The )"
                      R"(authorization request is still pending."})");
    CannedHttpServer::Reply pendingForm;
    pendingForm.contentType = "application/x-www-form-urlencoded";
    pendingForm.body = "error=authorization_pending";
    m_server->enqueue(pendingForm);
    m_server->enqueue(200,
                      R"({"access_token":"gho_dev","token_type":"bearer",)"
                      R"("scope":"read:user,user:email"})");
    auto p = poller(1);
    p->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_polled.has_value(), 5000);
    QVERIFY2(m_polled->ok(), qPrintable(m_polled->ok() ? QString() : m_polled->error().message));
    QCOMPARE(m_polled->value().accessToken, u"gho_dev"_s);
    QCOMPARE(m_polled->value().scope, u"read:user user:email"_s);
    QCOMPARE(m_server->requests().size(), 3);
    const QList<QPair<QString, QString>> expected{
            {u"grant_type"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s},
            {u"device_code"_s, u"3584d83530557fdd1f46af8289938c8ef79f9dc5"_s},
            {u"client_id"_s, u"Ov23liTest"_s}};
    for (const auto &request : m_server->requests()) {
        QCOMPARE(request.target, "/login/oauth/access_token");
        QCOMPARE(request.headers.value("accept"), "application/json");
        QVERIFY(!request.headers.contains("authorization"));
        QCOMPARE(request.form(), expected); // no client_secret
    }
}

void TestGitHubJobs::deviceSlowDownHonoursInterval_data()
{
    QTest::addColumn<QByteArray>("slowDown");
    QTest::addColumn<int>("interval");
    // GitHub: "adds 5 seconds to the last interval" and sends the new one: a longer one is kept.
    QTest::newRow("new interval 12") << R"({"error":"slow_down","interval":12})"_ba << 12;
    // Never less than RFC 8628's +5 s, whatever the interval says.
    QTest::newRow("new interval 2") << R"({"error":"slow_down","interval":2})"_ba << 6;
    QTest::newRow("no interval") << R"({"error":"slow_down"})"_ba << 6;
}

void TestGitHubJobs::deviceSlowDownHonoursInterval()
{
    QFETCH(QByteArray, slowDown);
    QFETCH(int, interval);
    m_server->enqueue(200, slowDown);
    m_server->enqueue(200, R"({"error":"authorization_pending"})");
    m_server->enqueue(200, R"({"access_token":"gho_dev","token_type":"bearer","scope":""})");
    auto p = poller(1);
    p->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_polled.has_value(), 5000);
    QVERIFY(m_polled->ok());
    QCOMPARE(p->intervalSecs(), interval);
    const auto &requests = m_server->requests();
    QCOMPARE(requests.size(), 3);
    for (int i : {1, 2}) {
        const qint64 gap = requests[i].receivedAtMs - requests[i - 1].receivedAtMs;
        QVERIFY2(gap >= interval * 20 - 10, qPrintable(QString::number(gap)));
    }
}

void TestGitHubJobs::devicePollEndsOn_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("access_denied")
            << R"({"error":"access_denied"})"_ba << ErrorKind::OAuthAuthorization
            << ErrorCode::DeviceAccessDenied;
    QTest::newRow("expired_token") << R"({"error":"expired_token"})"_ba << ErrorKind::Timeout
                                   << ErrorCode::DeviceCodeExpired;
    QTest::newRow("device_flow_disabled") << R"({"error":"device_flow_disabled"})"_ba
                                          << ErrorKind::Config << ErrorCode::DeviceFlowDisabled;
    QTest::newRow("incorrect_client_credentials")
            << R"({"error":"incorrect_client_credentials"})"_ba << ErrorKind::Config
            << ErrorCode::ConfigInvalid;
    QTest::newRow("incorrect_device_code")
            << R"({"error":"incorrect_device_code"})"_ba << ErrorKind::OAuthToken
            << ErrorCode::DeviceCodeRejected;
    QTest::newRow("unsupported_grant_type")
            << R"({"error":"unsupported_grant_type"})"_ba << ErrorKind::Config
            << ErrorCode::DeviceSignInUnsupported;
}

void TestGitHubJobs::devicePollEndsOn()
{
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorCode, code);
    m_server->enqueue(200, R"({"error":"authorization_pending"})");
    m_server->enqueue(200, body);
    auto p = poller(1);
    p->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_polled.has_value(), 5000);
    QVERIFY(!m_polled->ok());
    QCOMPARE(m_polled->error().kind, kind);
    QCOMPARE(m_polled->error().code, code);
    QVERIFY(!errorMessage(m_polled->error()).isEmpty());
    QTest::qWait(120); // six intervals: nothing more is asked
    QCOMPARE(m_server->requests().size(), 2);
}

void TestGitHubJobs::identityFromDeviceTokens()
{
    m_server->enqueue(200, R"({"login":"octocat","id":583231,"name":"The Octocat"})");
    m_server->enqueue(200, R"([{"email":"octo@example.com","primary":true,"verified":false}])");
    oidc::TokenResponse tokens;
    tokens.accessToken = u"gho_dev"_s;
    tokens.tokenType = u"Bearer"_s;
    tokens.scope = u"read:user user:email"_s;
    std::optional<Result<GitHubSignIn>> result;
    GitHubIdentityJob job(m_network, m_provider, m_clock);
    connect(&job, &GitHubIdentityJob::finished, this,
            [&result](const Result<GitHubSignIn> &signIn) { result = signIn; });
    job.startWithTokens(tokens);
    QVERIFY(!result.has_value()); // never synchronous
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(result->ok());
    const OidcIdentity &identity = result->value().identity;
    QCOMPARE(identity.subject, u"583231"_s);
    QCOMPARE(identity.issuer, m_server->url(u""_s).toString());
    QCOMPARE(identity.email, u"octo@example.com"_s);
    QVERIFY(!identity.emailVerified);
    QCOMPARE(result->value().tokens.accessToken, u"gho_dev"_s);
    const auto &requests = m_server->requests();
    QCOMPARE(requests.size(), 2); // no token request: the device flow already has the token
    QCOMPARE(requests[0].target, "/api/v3/user");
    QCOMPARE(requests[0].headers.value("authorization"), "Bearer gho_dev");
    QCOMPARE(requests[1].target, "/api/v3/user/emails");
}

QTEST_GUILESS_MAIN(TestGitHubJobs)
#include "tst_githubjobs.moc"
