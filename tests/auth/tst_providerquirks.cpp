// Every preset's authorization request, discovery rule and ID token rule, checked against a table
// written from each provider's documentation (docs/library.md, "Providers").

#include "auth/providerquirks.h"
#include "fakeclock.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/microsoftissuer.h"
#include "oidc/pendingauthorization.h"

#include <QUrlQuery>
#include <QtTest>

using namespace latchkey;
using Purpose = providerquirks::Purpose;
using Parameters = QList<QPair<QString, QString>>;

Q_DECLARE_METATYPE(latchkey::ProviderOptions)
Q_DECLARE_METATYPE(Purpose)

namespace {

const QString kRedirect = QStringLiteral("http://127.0.0.1:49152/callback/%1");

/// The parameters every request starts with; `<state>` and the like stand for the flow's values.
Parameters standard(const QString &scope)
{
    return {{u"response_type"_qs, u"code"_qs},
            {u"client_id"_qs, u"app-1"_qs},
            {u"redirect_uri"_qs, u"<redirect>"_qs},
            {u"scope"_qs, scope},
            {u"state"_qs, u"<state>"_qs},
            {u"nonce"_qs, u"<nonce>"_qs},
            {u"code_challenge"_qs, u"<challenge>"_qs},
            {u"code_challenge_method"_qs, u"S256"_qs}};
}

ProviderOptions oauth2Forge()
{
    ProviderOptions forge =
            presets::oauth2(u"forge"_qs, QUrl(u"https://forge.test/oauth/authorize?tenant=7"_qs),
                            QUrl(u"https://forge.test/oauth/token"_qs),
                            QUrl(u"https://api.forge.test/me"_qs), u"app-1"_qs, u"not-secret"_qs);
    forge.revocationUrl = QUrl(u"https://forge.test/oauth/revoke"_qs);
    return forge;
}

} // namespace

class TestProviderQuirks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authorizationRequest_data();
    void authorizationRequest();
    void plainOAuthRefusesAStepUp_data();
    void plainOAuthRefusesAStepUp();
    void oauth2MetadataIsConfigured();
    void discoveryIssuer_data();
    void discoveryIssuer();
    void idTokenRules();
};

void TestProviderQuirks::authorizationRequest_data()
{
    QTest::addColumn<ProviderOptions>("provider");
    QTest::addColumn<Purpose>("purpose");
    QTest::addColumn<QUrl>("endpoint");
    QTest::addColumn<Parameters>("expected");

    const QString basic = QStringLiteral("openid email profile");
    const QUrl google(u"https://accounts.google.com/o/oauth2/v2/auth"_qs);
    ProviderOptions workspace = presets::google(u"app-1"_qs);
    workspace.hostedDomain = u"example.com"_qs;
    QTest::newRow("google") << presets::google(u"app-1"_qs, u"not-secret"_qs) << Purpose::SignIn
                            << google
                            << (standard(basic) << qMakePair(u"access_type"_qs, u"offline"_qs)
                                                << qMakePair(u"prompt"_qs, u"select_account"_qs));
    QTest::newRow("google, workspace domain")
            << workspace << Purpose::SignIn << google
            << (standard(basic) << qMakePair(u"access_type"_qs, u"offline"_qs)
                                << qMakePair(u"prompt"_qs, u"select_account"_qs)
                                << qMakePair(u"hd"_qs, u"example.com"_qs));
    QTest::newRow("google, step-up")
            << presets::google(u"app-1"_qs) << Purpose::StepUp << google
            << (standard(basic) << qMakePair(u"max_age"_qs, u"0"_qs)
                                << qMakePair(u"prompt"_qs, u"select_account"_qs)
                                << qMakePair(u"access_type"_qs, u"offline"_qs));

    const QUrl microsoft(u"https://login.microsoftonline.com/common/oauth2/v2.0/authorize"_qs);
    const QString withOffline = basic + u" offline_access"_qs;
    QTest::newRow("microsoft") << presets::microsoft(u"app-1"_qs) << Purpose::SignIn << microsoft
                               << (standard(withOffline)
                                   << qMakePair(u"prompt"_qs, u"select_account"_qs));
    QTest::newRow("microsoft, step-up")
            << presets::microsoft(u"app-1"_qs, u"organizations"_qs) << Purpose::StepUp << microsoft
            << (standard(withOffline)
                << qMakePair(u"max_age"_qs, u"0"_qs) << qMakePair(u"prompt"_qs, u"login"_qs));

    const QUrl gitlab(u"https://gitlab.com/oauth/authorize"_qs);
    QTest::newRow("gitlab") << presets::gitlab(u"app-1"_qs) << Purpose::SignIn << gitlab
                            << standard(basic);
    QTest::newRow("gitlab, step-up") << presets::gitlab(u"app-1"_qs) << Purpose::StepUp << gitlab
                                     << (standard(basic) << qMakePair(u"max_age"_qs, u"0"_qs)
                                                         << qMakePair(u"prompt"_qs, u"login"_qs));

    // GitHub speaks plain OAuth 2.0: no nonce, no "openid"; it cannot do a step-up at all.
    const QUrl github(u"https://github.com/login/oauth/authorize"_qs);
    Parameters plain = standard(u"read:user user:email"_qs);
    plain.removeAt(5); // the nonce
    QTest::newRow("github") << presets::github(u"app-1"_qs, u"not-secret"_qs) << Purpose::SignIn
                            << github << plain;

    // Any other plain OAuth 2.0 provider: the configured scopes only, no nonce, no "openid"
    // added; the endpoint's own query kept (RFC 6749 §3.1); no scope at all when none is set.
    const QUrl forgeEndpoint(u"https://forge.test/oauth/authorize?tenant=7"_qs);
    ProviderOptions forge = oauth2Forge();
    forge.scopes = {u"read"_qs, u"email"_qs};
    Parameters forgePlain = standard(u"read email"_qs);
    forgePlain.removeAt(5); // the nonce
    QTest::newRow("oauth2") << forge << Purpose::SignIn << forgeEndpoint
                            << (Parameters{{u"tenant"_qs, u"7"_qs}} + forgePlain);
    Parameters noScope = forgePlain;
    noScope.removeAt(3); // the scope
    QTest::newRow("oauth2, no scopes") << oauth2Forge() << Purpose::SignIn << forgeEndpoint
                                       << (Parameters{{u"tenant"_qs, u"7"_qs}} + noScope);

    const QUrl acme(u"https://id.acme.test/authorize?tenant=7"_qs);
    ProviderOptions offline =
            presets::oidc(u"acme"_qs, QUrl(u"https://id.acme.test"_qs), u"app-1"_qs);
    offline.scopes.append(u"offline_access"_qs);
    QTest::newRow("oidc") << presets::oidc(u"acme"_qs, QUrl(u"https://id.acme.test"_qs),
                                           u"app-1"_qs)
                          << Purpose::SignIn << acme
                          << (Parameters{{u"tenant"_qs, u"7"_qs}} + standard(basic));
    QTest::newRow("oidc, offline_access needs consent")
            << offline << Purpose::SignIn << acme
            << (Parameters{{u"tenant"_qs, u"7"_qs}} + standard(withOffline)
                << qMakePair(u"prompt"_qs, u"consent"_qs));
}

void TestProviderQuirks::authorizationRequest()
{
    QFETCH(ProviderOptions, provider);
    QFETCH(Purpose, purpose);
    QFETCH(QUrl, endpoint);
    QFETCH(Parameters, expected);
    const auto flow = oidc::PendingAuthorization::create(
            provider.id, provider.issuer.toString(), provider.clientId,
            QUrl(kRedirect.arg(provider.id)), QDateTime::currentDateTimeUtc());

    const auto url = providerquirks::authorizationUrl(provider, endpoint, flow, purpose);
    QVERIFY2(url.ok(), url.ok() ? "" : qPrintable(url.error().message));
    QCOMPARE(url->adjusted(QUrl::RemoveQuery), endpoint.adjusted(QUrl::RemoveQuery));
    Parameters sent = QUrlQuery(url.value()).queryItems(QUrl::FullyDecoded);
    for (auto &[name, value] : sent) {
        if (value == flow.state)
            value = u"<state>"_qs;
        else if (value == flow.nonce)
            value = u"<nonce>"_qs;
        else if (value == flow.codeChallenge())
            value = u"<challenge>"_qs;
        else if (value == flow.redirectUri.toString())
            value = u"<redirect>"_qs;
    }
    QCOMPARE(sent, expected);
    if (!provider.clientSecret.isEmpty()) // the secret never goes through the browser
        QVERIFY(!url->toString().contains(provider.clientSecret));
}

void TestProviderQuirks::plainOAuthRefusesAStepUp_data()
{
    QTest::addColumn<ProviderOptions>("provider");
    QTest::addColumn<QUrl>("endpoint");
    QTest::newRow("github") << presets::github(u"app-1"_qs, u"s"_qs)
                            << QUrl(u"https://github.com/login/oauth/authorize"_qs);
    QTest::newRow("oauth2") << oauth2Forge() << QUrl(u"https://forge.test/oauth/authorize"_qs);
}

void TestProviderQuirks::plainOAuthRefusesAStepUp()
{
    QFETCH(ProviderOptions, provider);
    QFETCH(QUrl, endpoint);
    const auto flow = oidc::PendingAuthorization::create(
            provider.id, provider.issuer.toString(), u"app-1"_qs, QUrl(kRedirect.arg(provider.id)),
            QDateTime::currentDateTimeUtc());
    const auto url = providerquirks::authorizationUrl(provider, endpoint, flow, Purpose::StepUp);
    QVERIFY(!url.ok());
    QCOMPARE(url.error().code, ErrorCode::StepUpUnavailable);
    QCOMPARE(url.error().subject, provider.label);
}

void TestProviderQuirks::oauth2MetadataIsConfigured()
{
    // No discovery document is fetched: the endpoints are the configured ones, and with no
    // device authorization endpoint there is no device sign-in.
    int fetches = 0;
    test::FakeClock clock;
    oidc::DiscoveryCache discovery(
            [&fetches](const QUrl &, QObject *, oidc::HttpCallback) { ++fetches; }, clock);
    std::optional<Result<oidc::ProviderMetadata>> answer;
    providerquirks::metadata(
            discovery, oauth2Forge(), false, this,
            [&answer](const Result<oidc::ProviderMetadata> &metadata) { answer = metadata; });
    QVERIFY(!answer); // never synchronously
    QTRY_VERIFY(answer.has_value());
    QVERIFY(answer->ok());
    const oidc::ProviderMetadata &metadata = answer->value();
    QCOMPARE(metadata.authorizationEndpoint,
             QUrl(u"https://forge.test/oauth/authorize?tenant=7"_qs));
    QCOMPARE(metadata.tokenEndpoint, QUrl(u"https://forge.test/oauth/token"_qs));
    QCOMPARE(metadata.userinfoEndpoint, QUrl(u"https://api.forge.test/me"_qs));
    QCOMPARE(metadata.revocationEndpoint, QUrl(u"https://forge.test/oauth/revoke"_qs));
    QCOMPARE(metadata.issuer, u"https://forge.test"_qs);
    QVERIFY(metadata.deviceAuthorizationEndpoint.isEmpty());
    QCOMPARE(fetches, 0);
    // With a secret: client_secret_basic unless the configuration says client_secret_post.
    QCOMPARE(oidc::ClientAuthentication::choose(u"app-1"_qs, u"s"_qs, metadata).method,
             oidc::ClientAuthMethod::ClientSecretBasic);
    ProviderOptions post = oauth2Forge();
    post.tokenAuthMethod = u"client_secret_post"_qs;
    answer.reset();
    providerquirks::metadata(
            discovery, post, false, this,
            [&answer](const Result<oidc::ProviderMetadata> &posting) { answer = posting; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(oidc::ClientAuthentication::choose(u"app-1"_qs, u"s"_qs, answer->value()).method,
             oidc::ClientAuthMethod::ClientSecretPost);

    // A provider built in code is held to the https rule a discovery document is.
    ProviderOptions plainHttp = oauth2Forge();
    plainHttp.tokenUrl = QUrl(u"http://forge.test/oauth/token"_qs);
    answer.reset();
    providerquirks::metadata(
            discovery, plainHttp, true, this,
            [&answer](const Result<oidc::ProviderMetadata> &refused) { answer = refused; });
    QTRY_VERIFY(answer.has_value());
    QVERIFY(!answer->ok());
    QCOMPARE(answer->error().code, ErrorCode::ConfigInvalid);
    QVERIFY(answer->error().message.contains(u"token endpoint"_qs));
}

void TestProviderQuirks::discoveryIssuer_data()
{
    QTest::addColumn<ProviderOptions>("provider");
    QTest::addColumn<QString>("documentIssuer");

    const QString templ = u"https://login.microsoftonline.com/{tenantid}/v2.0"_qs;
    const QString directory = u"72f988bf-86f1-41af-91ab-2d7cd011db47"_qs;
    QTest::newRow("microsoft common") << presets::microsoft(u"a"_qs) << templ;
    QTest::newRow("microsoft organizations")
            << presets::microsoft(u"a"_qs, u"organizations"_qs) << templ;
    QTest::newRow("microsoft consumers")
            << presets::microsoft(u"a"_qs, u"consumers"_qs)
            << u"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"_qs;
    QTest::newRow("microsoft, one directory")
            << presets::microsoft(u"a"_qs, directory)
            << u"https://login.microsoftonline.com/%1/v2.0"_qs.arg(directory);
    QTest::newRow("google") << presets::google(u"a"_qs) << QString();
    QTest::newRow("gitlab") << presets::gitlab(u"a"_qs) << QString();
}

void TestProviderQuirks::discoveryIssuer()
{
    QFETCH(ProviderOptions, provider);
    QFETCH(QString, documentIssuer);
    const auto options = providerquirks::metadataOptions(provider, false);
    QCOMPARE(options.documentIssuer, documentIssuer);
    QVERIFY(!options.allowLoopbackHttp);
    QVERIFY(providerquirks::metadataOptions(provider, true).allowLoopbackHttp);
}

void TestProviderQuirks::idTokenRules()
{
    oidc::IdTokenExpectations expected;
    providerquirks::applyIdTokenRules(expected, presets::google(u"a"_qs));
    QVERIFY(expected.googleIssuerQuirk);
    QVERIFY(expected.microsoftTenant.isEmpty());

    providerquirks::applyIdTokenRules(expected, presets::microsoft(u"a"_qs, u"Consumers"_qs));
    QVERIFY(!expected.googleIssuerQuirk);
    QCOMPARE(expected.microsoftTenant, u"consumers"_qs);

    ProviderOptions lookalike = presets::oidc(
            u"ms"_qs, QUrl(u"https://login.microsoftonline.com/common/v2.0"_qs), u"a"_qs);
    providerquirks::applyIdTokenRules(expected, lookalike);
    QVERIFY(expected.microsoftTenant.isEmpty()); // the tid rule is the preset's, not the URL's
}

QTEST_GUILESS_MAIN(TestProviderQuirks)
#include "tst_providerquirks.moc"
