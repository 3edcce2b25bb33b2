// GitHub as a plain OAuth 2.0 provider: the token answer in both encodings and its errors in a
// 200, the /user + /user/emails mapping, and the authorization URL (no nonce, no openid).
#include "auth/providerquirks.h"
#include "github/githubapi.h"
#include "oidc/pendingauthorization.h"

#include <QTest>
#include <QUrlQuery>

using namespace latchkey;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(latchkey::ErrorKind)
Q_DECLARE_METATYPE(latchkey::ErrorCode)

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

Result<oidc::TokenResponse> parse(const QByteArray &type, const QByteArray &body, int status = 200)
{
    return github::parseTokenResponse(status, type, body, kNow, u"GitHub"_s);
}

} // namespace

class TestGitHubApi : public QObject
{
    Q_OBJECT

private slots:
    void tokenResponse_data();
    void tokenResponse();
    void tokenErrors_data();
    void tokenErrors();
    void malformedTokenResponses_data();
    void malformedTokenResponses();
    void user();
    void badUsers_data();
    void badUsers();
    void emails_data();
    void emails();
    void authorizationUrl();
    void noStepUp();
    void endpoints();
};

void TestGitHubApi::tokenResponse_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("json")
            << "application/json; charset=utf-8"_ba
            << R"({"access_token":"gho_a+b/c","token_type":"bearer","scope":"read:user,user:email"})"_ba;
    QTest::newRow("form")
            << "application/x-www-form-urlencoded"_ba
            << "access_token=gho_a%2Bb%2Fc&scope=read%3Auser%2Cuser%3Aemail&token_type=bearer"_ba;
    QTest::newRow("form, upper-case type")
            << "Application/X-WWW-Form-Urlencoded; charset=utf-8"_ba
            << "access_token=gho_a%2Bb%2Fc&scope=read%3Auser%2Cuser%3Aemail&token_type=Bearer"_ba;
}

void TestGitHubApi::tokenResponse()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, body);
    const auto tokens = parse(type, body);
    QVERIFY2(tokens.ok(), qPrintable(tokens.ok() ? QString() : tokens.error().message));
    QCOMPARE(tokens->accessToken, u"gho_a+b/c"_s);
    QCOMPARE(tokens->tokenType, u"Bearer"_s);
    QCOMPARE(tokens->scope, u"read:user user:email"_s); // GitHub's commas → RFC 6749 spaces
    QVERIFY(tokens->refreshToken.isEmpty());
    QVERIFY(!tokens->expiresAt.isValid()); // OAuth app tokens do not expire
    QVERIFY(tokens->idToken.isEmpty());
}

void TestGitHubApi::tokenErrors_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("reason");

    const QByteArray json = "application/json";
    const QByteArray form = "application/x-www-form-urlencoded";
    QTest::newRow("bad_verification_code json")
            << json
            << R"({"error":"bad_verification_code","error_description":"The code passed is incorrect or expired.","error_uri":"https://docs.github.com/"})"_ba
            << ErrorKind::OAuthToken << ErrorCode::AuthorizationCodeExpired
            << u"bad_verification_code"_s;
    QTest::newRow("bad_verification_code form")
            << form
            << "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2F"_ba
            << ErrorKind::OAuthToken << ErrorCode::AuthorizationCodeExpired
            << u"bad_verification_code"_s;
    QTest::newRow("incorrect_client_credentials")
            << form << "error=incorrect_client_credentials&error_description=x"_ba
            << ErrorKind::Config << ErrorCode::ConfigInvalid << u"incorrect_client_credentials"_s;
    QTest::newRow("redirect_uri_mismatch")
            << json << R"({"error":"redirect_uri_mismatch"})"_ba << ErrorKind::Config
            << ErrorCode::ConfigInvalid << u"redirect_uri_mismatch"_s;
    QTest::newRow("unverified_user_email")
            << json << R"({"error":"unverified_user_email","error_description":"x"})"_ba
            << ErrorKind::OAuthToken << ErrorCode::ProviderEmailUnverified
            << u"unverified_user_email"_s;
    QTest::newRow("other error") << form << "error=invalid_grant&access_token=gho_x"_ba
                                 << ErrorKind::OAuthToken << ErrorCode::InvalidGrant
                                 << u"invalid_grant"_s;
    QTest::newRow("server trouble")
            << json << "oops"_ba << ErrorKind::Network << ErrorCode::NetworkUnreachable << u"502"_s;
}

void TestGitHubApi::tokenErrors()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorCode, code);
    QFETCH(QString, reason);
    const int status = kind == ErrorKind::Network ? 502 : 200; // GitHub's errors come in a 200
    const auto tokens = parse(type, body, status);
    QVERIFY(!tokens.ok());
    QCOMPARE(tokens.error().kind, kind);
    QCOMPARE(tokens.error().code, code);
    QCOMPARE(tokens.error().reason, reason);
    if (code == ErrorCode::ConfigInvalid)
        QVERIFY2(tokens.error().subject.startsWith(u"GITHUB_"_s),
                 qPrintable(tokens.error().subject));
    if (code == ErrorCode::ProviderEmailUnverified)
        QCOMPARE(tokens.error().subject, u"GitHub"_s);
}

void TestGitHubApi::malformedTokenResponses_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("html") << "text/html"_ba
                          << "access_token=gho_x&token_type=bearer"_ba;
    QTest::newRow("no type") << QByteArray() << R"({"access_token":"x","token_type":"bearer"})"_ba;
    QTest::newRow("json in a form type") << "application/x-www-form-urlencoded"_ba
                                         << R"({"access_token":"x","token_type":"bearer"})"_ba;
    QTest::newRow("no access token") << "application/json"_ba
                                     << R"({"token_type":"bearer"})"_ba;
    QTest::newRow("empty access token") << "application/x-www-form-urlencoded"_ba
                                        << "access_token=&token_type=bearer"_ba;
    QTest::newRow("not bearer") << "application/json"_ba
                                << R"({"access_token":"x","token_type":"mac"})"_ba;
    QTest::newRow("duplicate json member")
            << "application/json"_ba
            << R"({"access_token":"x","access_token":"y","token_type":"bearer"})"_ba;
    QTest::newRow("duplicate form field") << "application/x-www-form-urlencoded"_ba
                                          << "access_token=x&access_token=y&token_type=bearer"_ba;
    QTest::newRow("numeric access token") << "application/json"_ba
                                          << R"({"access_token":5,"token_type":"bearer"})"_ba;
    QTest::newRow("negative expires_in")
            << "application/json"_ba
            << R"({"access_token":"x","token_type":"bearer","expires_in":-1})"_ba;
}

void TestGitHubApi::malformedTokenResponses()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, body);
    const auto tokens = parse(type, body);
    QVERIFY(!tokens.ok());
    QCOMPARE(tokens.error().kind, ErrorKind::Protocol);
}

void TestGitHubApi::user()
{
    auto profile = github::parseUser(
            200,
            R"({"login":"octocat","id":583231,"name":"The Octocat","email":null,"avatar_url":"https://avatars.githubusercontent.com/u/583231?v=4"})");
    QVERIFY2(profile.ok(), qPrintable(profile.ok() ? QString() : profile.error().message));
    QCOMPARE(profile->id, u"583231"_s); // the numeric id is the identity, not the login
    QCOMPARE(profile->login, u"octocat"_s);
    QCOMPARE(profile->name, u"The Octocat"_s);
    QCOMPARE(profile->avatarUrl, u"https://avatars.githubusercontent.com/u/583231?v=4"_s);

    profile = github::parseUser(200, R"({"login":"nameless","id":7,"name":null})");
    QVERIFY(profile.ok());
    QCOMPARE(profile->name, u"nameless"_s); // no name: the login
}

void TestGitHubApi::badUsers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("401") << 401 << R"({"message":"Bad credentials"})"_ba;
    QTest::newRow("id as string") << 200 << R"({"login":"a","id":"1"})"_ba;
    QTest::newRow("no id") << 200 << R"({"login":"a"})"_ba;
    QTest::newRow("zero id") << 200 << R"({"login":"a","id":0})"_ba;
    QTest::newRow("fractional id") << 200 << R"({"login":"a","id":1.5})"_ba;
    QTest::newRow("no login") << 200 << R"({"id":1})"_ba;
    QTest::newRow("duplicate id") << 200 << R"({"login":"a","id":1,"id":2})"_ba;
    QTest::newRow("not json") << 200 << "<html>"_ba;
}

void TestGitHubApi::badUsers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QVERIFY(!github::parseUser(status, body).ok());
}

void TestGitHubApi::emails_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("verified");

    QTest::newRow("verified primary")
            << R"([{"email":"Octo@Example.com","primary":true,"verified":true,"visibility":"public"}])"_ba
            << u"octo@example.com"_s << true;
    QTest::newRow("private primary, still verified")
            << R"([{"email":"octo@example.com","primary":true,"verified":true,"visibility":null}])"_ba
            << u"octo@example.com"_s << true;
    QTest::newRow("unverified primary, verified secondary")
            << R"([{"email":"bob@example.com","primary":true,"verified":false,"visibility":null},
                  {"email":"bob.verified@example.com","primary":false,"verified":true,"visibility":null}])"_ba
            << u"bob@example.com"_s << false;
    QTest::newRow("verified as a string is not verified")
            << R"([{"email":"bob@example.com","primary":true,"verified":"true"}])"_ba
            << u"bob@example.com"_s << false;
    QTest::newRow("no primary")
            << R"([{"email":"x@example.com","primary":false,"verified":true}])"_ba << QString()
            << false;
    QTest::newRow("no addresses") << "[]"_ba << QString() << false;
}

void TestGitHubApi::emails()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, email);
    QFETCH(bool, verified);
    github::Profile profile;
    profile.email = u"stale@example.com"_s;
    profile.emailVerified = true;
    QVERIFY(github::applyEmails(profile, body).ok());
    QCOMPARE(profile.email, email);
    QCOMPARE(profile.emailVerified, verified);

    QVERIFY(!github::applyEmails(profile, R"({"email":"x"})").ok());
    QVERIFY(!github::applyEmails(
                     profile,
                     R"([{"email":"a@example.com","primary":true,"verified":false,"verified":true}])")
                     .ok());
}

void TestGitHubApi::authorizationUrl()
{
    const ProviderOptions provider = presets::github(u"Ov23liTest"_s, u"secret"_s);
    const auto metadata = github::metadata(provider);
    const auto flow = oidc::PendingAuthorization::create(
            provider.id, metadata.issuer, provider.clientId,
            QUrl(u"http://127.0.0.1:5123/callback/github"_s), kNow);
    const auto url = providerquirks::authorizationUrl(provider, metadata.authorizationEndpoint,
                                                      flow, providerquirks::Purpose::SignIn);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
    QCOMPARE(url->adjusted(QUrl::RemoveQuery), QUrl(u"https://github.com/login/oauth/authorize"_s));
    const QUrlQuery query(url.value());
    QCOMPARE(query.queryItemValue(u"client_id"_s), u"Ov23liTest"_s);
    QCOMPARE(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded),
             u"http://127.0.0.1:5123/callback/github"_s);
    QCOMPARE(query.queryItemValue(u"scope"_s, QUrl::FullyDecoded), u"read:user user:email"_s);
    QCOMPARE(query.queryItemValue(u"state"_s), flow.state);
    QCOMPARE(query.queryItemValue(u"code_challenge"_s), flow.codeChallenge());
    QCOMPARE(query.queryItemValue(u"code_challenge_method"_s), u"S256"_s);
    QCOMPARE(query.queryItemValue(u"response_type"_s), u"code"_s);
    QVERIFY2(!query.hasQueryItem(u"nonce"_s), "no ID token: no nonce");
    QVERIFY(!query.queryItemValue(u"scope"_s, QUrl::FullyDecoded).contains(u"openid"_s));
    QVERIFY(!query.hasQueryItem(u"client_secret"_s));

    // The OpenID Connect presets still insist on "openid" and send a nonce.
    ProviderOptions oidc = presets::oidc(u"acme"_s, QUrl(u"https://id.acme.test"_s), u"c"_s);
    oidc.scopes = {u"email"_s};
    QVERIFY(!providerquirks::authorizationUrl(oidc, QUrl(u"https://id.acme.test/authorize"_s), flow,
                                              providerquirks::Purpose::SignIn)
                     .ok());
}

void TestGitHubApi::noStepUp()
{
    // GitHub cannot force a new sign-in nor say when one happened: a step-up is refused.
    const ProviderOptions provider = presets::github(u"Ov23liTest"_s, u"secret"_s);
    const auto metadata = github::metadata(provider);
    const auto flow = oidc::PendingAuthorization::create(
            provider.id, metadata.issuer, provider.clientId,
            QUrl(u"http://127.0.0.1:5123/callback/github"_s), kNow);
    const auto url = providerquirks::authorizationUrl(provider, metadata.authorizationEndpoint,
                                                      flow, providerquirks::Purpose::StepUp);
    QVERIFY(!url.ok());
    QCOMPARE(url.error().code, ErrorCode::StepUpUnavailable);
    QCOMPARE(url.error().subject, u"GitHub"_s);
}

void TestGitHubApi::endpoints()
{
    const ProviderOptions enterprise =
            presets::github(u"id"_s, u"s"_s, QUrl(u"https://ghe.example.com/"_s),
                            QUrl(u"https://ghe.example.com/api/v3"_s));
    const auto metadata = github::metadata(enterprise);
    QCOMPARE(metadata.issuer, u"https://ghe.example.com"_s);
    QCOMPARE(metadata.tokenEndpoint, QUrl(u"https://ghe.example.com/login/oauth/access_token"_s));
    QCOMPARE(metadata.deviceAuthorizationEndpoint,
             QUrl(u"https://ghe.example.com/login/device/code"_s));
    QCOMPARE(github::apiEndpoint(enterprise, u"/user/emails"_s),
             QUrl(u"https://ghe.example.com/api/v3/user/emails"_s));

    const auto form = github::tokenRequestForm(
            enterprise, u"code1"_s, QUrl(u"http://127.0.0.1:5/callback/github"_s), u"verifier"_s);
    QCOMPARE(form.size(), 5);
    QVERIFY(form.contains({u"client_secret"_s, u"s"_s}));
    QVERIFY(form.contains({u"code_verifier"_s, u"verifier"_s}));

    const auto api = github::apiOptions("Bearer t");
    QVERIFY(api.headers.contains({"X-GitHub-Api-Version", "2022-11-28"}));
    QVERIFY(api.headers.contains({"Accept", "application/vnd.github+json"}));
    QVERIFY(std::any_of(api.headers.cbegin(), api.headers.cend(),
                        [](const auto &header) { return header.first == "User-Agent"; }));
}

QTEST_GUILESS_MAIN(TestGitHubApi)
#include "tst_githubapi.moc"
