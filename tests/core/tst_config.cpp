#include "core/config.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

QProcessEnvironment environment(const QTemporaryDir &dir, const QStringList &pairs)
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, dir.path());
    env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        env.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return env;
}

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void nextAuthNames();
    void precedence();
    void presets();
    void genericProviders();
    void github();
    void githubUrlsAloneConfigureNothing();
    void oauth2Providers();
    void signInPolicies();
    void limitsThatAreAllowed();
    void invalid_data();
    void invalid();
    void envFileSyntax();
    void missingEnvFileIsAnError();
    void envExampleWorksAsItIsAndUncommented();
    void dataFolderIsBesideTheDatabase();
};

void TestConfig::defaults()
{
    QTemporaryDir dir;
    const auto config = loadConfig({{}, {}, environment(dir, {})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->databasePath, dir.filePath(u"data/latchkey/latchkey.db"_s));
    QCOMPARE(config->outboxDir, dir.filePath(u"data/latchkey/outbox"_s));
    QVERIFY(config->providers.isEmpty());
    QVERIFY(config->usesOutbox());
    QCOMPARE(config->sessionMaxAgeSecs, 30 * 24 * 3600);
    QCOMPARE(config->sessionUpdateAgeSecs, 24 * 3600);
    QCOMPARE(config->keychainService, u"latchkey"_s);
}

void TestConfig::nextAuthNames()
{
    QTemporaryDir dir;
    const auto config =
            loadConfig({{},
                        {},
                        environment(dir,
                                    {u"GOOGLE_ID=123.apps.googleusercontent.com"_s,
                                     u"GOOGLE_SECRET=GOCSPX-x"_s,
                                     u"EMAIL_SERVER=smtp://mailer:p%40ss@smtp.example.com:587"_s,
                                     u"EMAIL_FROM=Latchkey <no-reply@example.com>"_s,
                                     u"DATABASE_URL=sqlite:///var/tmp/lk.db"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->providers.size(), 1);
    const auto &google = config->providers.first();
    QCOMPARE(google.id, u"google"_s);
    QCOMPARE(google.issuer, QUrl(u"https://accounts.google.com"_s));
    QCOMPARE(google.clientId, u"123.apps.googleusercontent.com"_s);
    QCOMPARE(google.clientSecret, u"GOCSPX-x"_s);
    QCOMPARE(google.preset, ProviderPreset::Google);
    QCOMPARE(config->email.server.host(), u"smtp.example.com"_s);
    QCOMPARE(config->email.server.port(), 587);
    QVERIFY2(config->email.server.userInfo().isEmpty(), "credentials are kept out of the URL");
    QCOMPARE(config->email.username, u"mailer"_s);
    QCOMPARE(config->email.password, u"p@ss"_s);
    QVERIFY(!config->usesOutbox());
    QCOMPARE(config->databasePath, u"/var/tmp/lk.db"_s);
}

void TestConfig::presets()
{
    QTemporaryDir dir;
    const auto config = loadConfig(
            {{},
             {},
             environment(dir,
                         {u"OIDC_PROVIDERS=acme"_s, u"OIDC_ACME_ISSUER=https://id.acme.test"_s,
                          u"OIDC_ACME_CLIENT_ID=acme-app"_s, u"GITLAB_ID=gl-app"_s,
                          u"GITLAB_ISSUER=https://git.example.org"_s, u"MICROSOFT_ID=ms-app"_s,
                          u"MICROSOFT_TENANT=Organizations"_s, u"GOOGLE_ID=g-app"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QStringList ids;
    for (const auto &provider : config->providers)
        ids.append(provider.id);
    // The presets in a fixed order, then the generic providers in the order listed.
    QCOMPARE(ids, (QStringList{u"google"_s, u"microsoft"_s, u"gitlab"_s, u"acme"_s}));

    const ProviderOptions *microsoft = config->provider(u"microsoft"_s);
    QCOMPARE(microsoft->preset, ProviderPreset::Microsoft);
    QCOMPARE(microsoft->label, u"Microsoft"_s);
    QCOMPARE(microsoft->issuer, QUrl(u"https://login.microsoftonline.com/organizations/v2.0"_s));
    QCOMPARE(microsoft->microsoftTenant(), u"organizations"_s);
    QVERIFY(microsoft->scopes.contains(u"offline_access"_s));
    QVERIFY(microsoft->clientSecret.isEmpty());

    const ProviderOptions *gitlab = config->provider(u"gitlab"_s);
    QCOMPARE(gitlab->preset, ProviderPreset::GitLab);
    QCOMPARE(gitlab->label, u"GitLab"_s);
    QCOMPARE(gitlab->issuer, QUrl(u"https://git.example.org"_s));

    const auto defaults = loadConfig(
            {{}, {}, environment(dir, {u"MICROSOFT_ID=ms-app"_s, u"GITLAB_ID=gl-app"_s})});
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->provider(u"microsoft"_s)->microsoftTenant(), u"common"_s);
    QCOMPARE(defaults->provider(u"gitlab"_s)->issuer, QUrl(u"https://gitlab.com"_s));
}

void TestConfig::precedence()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(u"config/latchkey/latchkey.conf"_s),
              "[latchkey]\nLATCHKEY_SESSION_MAX_AGE = 7d\nLATCHKEY_LANGUAGE = ko\n"
              "LATCHKEY_KEYCHAIN_SERVICE = from-ini\n");
    writeFile(dir.filePath(u".env.local"_s),
              "# dotenv\nexport "
              "LATCHKEY_SESSION_MAX_AGE=\"14d\"\nLATCHKEY_KEYCHAIN_SERVICE=from-env-file\n"
              "NEXTAUTH_URL=http://localhost:3000\n");
    const auto config = loadConfig({{},
                                    dir.filePath(u".env.local"_s),
                                    environment(dir, {u"LATCHKEY_KEYCHAIN_SERVICE=from-env"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->language, u"ko"_s); // only in the INI
    QCOMPARE(config->sessionMaxAgeSecs, 14 * 86400); // env file beats INI
    QCOMPARE(config->keychainService, u"from-env"_s); // environment beats both
}

void TestConfig::genericProviders()
{
    QTemporaryDir dir;
    const auto config = loadConfig(
            {{},
             {},
             environment(dir,
                         {u"OIDC_PROVIDERS=acme, my-corp"_s,
                          u"OIDC_ACME_ISSUER=https://id.acme.test"_s,
                          u"OIDC_ACME_CLIENT_ID=acme-app"_s,
                          u"OIDC_MY_CORP_ISSUER=http://127.0.0.1:9000"_s,
                          u"OIDC_MY_CORP_CLIENT_ID=corp"_s, u"OIDC_MY_CORP_LABEL=Corp SSO"_s,
                          u"OIDC_MY_CORP_SCOPES=openid email offline_access"_s,
                          u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->providers.size(), 2);
    QCOMPARE(config->providers[0].label, u"Acme"_s);
    QCOMPARE(config->providers[0].scopes, QStringList({u"openid"_s, u"email"_s, u"profile"_s}));
    QVERIFY(config->providers[0].clientSecret.isEmpty());
    QCOMPARE(config->providers[1].id, u"my-corp"_s);
    QCOMPARE(config->providers[1].label, u"Corp SSO"_s);
    QVERIFY(config->providers[1].scopes.contains(u"offline_access"_s));
    QCOMPARE(config->providers[1].preset, ProviderPreset::Oidc);
    QVERIFY(config->provider(u"my-corp"_s));
    QVERIFY(!config->provider(u"nope"_s));
}

void TestConfig::github()
{
    QTemporaryDir dir;
    auto config = loadConfig(
            {{}, {}, environment(dir, {u"GITHUB_ID=Ov23liAbc"_s, u"GITHUB_SECRET=s3cr3t"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->providers.size(), 1);
    const ProviderOptions github = config->providers.first();
    QCOMPARE(github.id, u"github"_s);
    QCOMPARE(github.label, u"GitHub"_s);
    QCOMPARE(github.preset, ProviderPreset::GitHub);
    QCOMPARE(github.clientId, u"Ov23liAbc"_s);
    QCOMPARE(github.clientSecret, u"s3cr3t"_s);
    QCOMPARE(github.issuer, QUrl(u"https://github.com"_s));
    QCOMPARE(github.apiUrl, QUrl(u"https://api.github.com"_s));
    QCOMPARE(github.scopes, QStringList({u"read:user"_s, u"user:email"_s}));

    // GitHub Enterprise Server, or the test stand-in on loopback.
    config = loadConfig({{},
                         {},
                         environment(dir,
                                     {u"GITHUB_ID=Ov23liAbc"_s, u"GITHUB_SECRET=s"_s,
                                      u"GITHUB_URL=http://127.0.0.1:4000"_s,
                                      u"GITHUB_API_URL=http://127.0.0.1:4001"_s,
                                      u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->providers.first().issuer, QUrl(u"http://127.0.0.1:4000"_s));
    QCOMPARE(config->providers.first().apiUrl, QUrl(u"http://127.0.0.1:4001"_s));

    // GitHub OAuth apps need the secret at the token endpoint: the message says so.
    config = loadConfig({{}, {}, environment(dir, {u"GITHUB_ID=Ov23liAbc"_s})});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().subject, u"GITHUB_SECRET"_s);
    QVERIFY2(config.error().message.contains(u"requires the client secret"_s),
             qPrintable(config.error().message));

    const ProviderOptions preset = presets::github(u"id"_s, u"secret"_s);
    QCOMPARE(preset.issuer, QUrl(u"https://github.com"_s));
    QCOMPARE(preset.apiUrl, QUrl(u"https://api.github.com"_s));
    QVERIFY(!preset.scopes.contains(u"openid"_s));
}

void TestConfig::githubUrlsAloneConfigureNothing()
{
    // GitHub Actions exports GITHUB_API_URL in every job: no GitHub provider, and no error.
    QTemporaryDir dir;
    const auto config =
            loadConfig({{}, {}, environment(dir, {u"GITHUB_API_URL=https://api.github.com"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QVERIFY(config->providers.isEmpty());
}

void TestConfig::oauth2Providers()
{
    QTemporaryDir dir;
    const QStringList keys = {
            u"OIDC_PROVIDERS=acme"_s,
            u"OIDC_ACME_ISSUER=https://id.acme.test"_s,
            u"OIDC_ACME_CLIENT_ID=acme-app"_s,
            u"OAUTH2_PROVIDERS=forge, my-wiki"_s,
            u"OAUTH2_FORGE_ID=forge-app"_s,
            u"OAUTH2_FORGE_SECRET=forge-secret"_s,
            u"OAUTH2_FORGE_NAME=Forge Cloud"_s,
            u"OAUTH2_FORGE_AUTHORIZATION_URL=https://forge.test/oauth/authorize"_s,
            u"OAUTH2_FORGE_TOKEN_URL=https://forge.test/oauth/token"_s,
            u"OAUTH2_FORGE_USERINFO_URL=https://api.forge.test/v1/me"_s,
            u"OAUTH2_FORGE_SCOPES=read:user email"_s,
            u"OAUTH2_FORGE_ACCOUNT_ID=user_id"_s,
            u"OAUTH2_FORGE_REVOCATION_URL=https://forge.test/oauth/revoke"_s,
            u"OAUTH2_FORGE_TOKEN_AUTH_METHOD=client_secret_post"_s,
            u"OAUTH2_MY_WIKI_ID=wiki"_s,
            u"OAUTH2_MY_WIKI_AUTHORIZATION_URL=http://127.0.0.1:9000/auth"_s,
            u"OAUTH2_MY_WIKI_TOKEN_URL=http://127.0.0.1:9000/token"_s,
            u"OAUTH2_MY_WIKI_USERINFO_URL=http://127.0.0.1:9000/me"_s,
            u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"_s};
    const auto config = loadConfig({{}, {}, environment(dir, keys)});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    // The buttons: OIDC_PROVIDERS' first, then OAUTH2_PROVIDERS' in their order.
    QCOMPARE(config->providers.size(), 3);
    QCOMPARE(config->providers[0].id, u"acme"_s);
    const ProviderOptions forge = config->providers[1];
    QCOMPARE(forge.id, u"forge"_s);
    QCOMPARE(forge.preset, ProviderPreset::OAuth2);
    QCOMPARE(forge.label, u"Forge Cloud"_s);
    QCOMPARE(forge.clientId, u"forge-app"_s);
    QCOMPARE(forge.clientSecret, u"forge-secret"_s);
    QCOMPARE(forge.authorizationUrl, QUrl(u"https://forge.test/oauth/authorize"_s));
    QCOMPARE(forge.tokenUrl, QUrl(u"https://forge.test/oauth/token"_s));
    QCOMPARE(forge.userinfoUrl, QUrl(u"https://api.forge.test/v1/me"_s));
    QCOMPARE(forge.revocationUrl, QUrl(u"https://forge.test/oauth/revoke"_s));
    QCOMPARE(forge.scopes, QStringList({u"read:user"_s, u"email"_s}));
    QCOMPARE(forge.accountIdField, u"user_id"_s);
    QCOMPARE(forge.issuer, QUrl(u"https://forge.test"_s));
    QCOMPARE(forge.tokenAuthMethod, u"client_secret_post"_s);
    const ProviderOptions wiki = config->providers[2];
    QCOMPARE(wiki.id, u"my-wiki"_s);
    QCOMPARE(wiki.label, u"My-wiki"_s); // no _NAME: the id
    QVERIFY(wiki.clientSecret.isEmpty());
    QVERIFY(wiki.scopes.isEmpty());
    QVERIFY(wiki.accountIdField.isEmpty());
    QVERIFY(wiki.revocationUrl.isEmpty());
    QVERIFY(wiki.tokenAuthMethod.isEmpty());
}

void TestConfig::signInPolicies()
{
    QTemporaryDir dir;
    const auto config = loadConfig(
            {{},
             {},
             environment(dir,
                         {u"LATCHKEY_ALLOWED_EMAIL_DOMAINS=Example.COM, example.org example.com"_s,
                          u"GOOGLE_ID=g"_s, u"GOOGLE_HD=Corp.Example"_s, u"OIDC_PROVIDERS=acme"_s,
                          u"OIDC_ACME_ISSUER=https://id.acme.test"_s, u"OIDC_ACME_CLIENT_ID=a"_s,
                          u"OIDC_ACME_HD=acme.test"_s, u"LATCHKEY_AFTER_SIGN_IN=Dashboard"_s,
                          u"LATCHKEY_SESSION_STRATEGY=JWT"_s})});
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->allowedEmailDomains, (QStringList{u"example.com"_s, u"example.org"_s}));
    QCOMPARE(config->provider(u"google"_s)->hostedDomain, u"corp.example"_s);
    QCOMPARE(config->provider(u"acme"_s)->hostedDomain, u"acme.test"_s);
    QCOMPARE(config->afterSignIn, u"dashboard"_s);
    QCOMPARE(config->sessionStrategy, SessionStrategy::Jwt);

    const auto none = loadConfig({{}, {}, environment(dir, {})});
    QVERIFY(none.ok());
    QVERIFY(none->allowedEmailDomains.isEmpty());
    QVERIFY(none->afterSignIn.isEmpty());
    QCOMPARE(none->sessionStrategy, SessionStrategy::Database);
}

void TestConfig::limitsThatAreAllowed()
{
    // The edges of the rules invalid() checks: a year of session, plain SMTP on this computer.
    for (const QString &host : {u"localhost"_s, u"127.0.0.1"_s, u"[::1]"_s}) {
        QTemporaryDir dir;
        const auto config =
                loadConfig({{},
                            {},
                            environment(dir,
                                        {u"EMAIL_SERVER=smtp://"_s + host + u":2525"_s,
                                         u"EMAIL_FROM=a@example.com"_s, u"EMAIL_TLS=off"_s,
                                         u"LATCHKEY_SESSION_MAX_AGE=365d"_s})});
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QVERIFY(!config->email.requireTls);
        QCOMPARE(config->sessionMaxAgeSecs, Options::kMaxSessionAgeSecs);
    }
}

void TestConfig::invalid_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("key");

    QTest::newRow("secret without id") << QStringList{u"GOOGLE_SECRET=x"_s} << u"GOOGLE_SECRET"_s;
    QTest::newRow("hosted domain without id")
            << QStringList{u"GOOGLE_HD=example.com"_s} << u"GOOGLE_HD"_s;
    QTest::newRow("tenant without id")
            << QStringList{u"MICROSOFT_TENANT=common"_s} << u"MICROSOFT_TENANT"_s;
    QTest::newRow("gitlab issuer without id")
            << QStringList{u"GITLAB_ISSUER=https://git.example.org"_s} << u"GITLAB_ISSUER"_s;
    QTest::newRow("tenant as a domain name")
            << QStringList{u"MICROSOFT_ID=a"_s, u"MICROSOFT_TENANT=contoso.onmicrosoft.com"_s}
            << u"MICROSOFT_TENANT"_s;
    QTest::newRow("tenant that is no GUID")
            << QStringList{u"MICROSOFT_ID=a"_s, u"MICROSOFT_TENANT=72f988bf-86f1-41af"_s}
            << u"MICROSOFT_TENANT"_s;
    QTest::newRow("gitlab issuer over http")
            << QStringList{u"GITLAB_ID=a"_s, u"GITLAB_ISSUER=http://git.example.org"_s}
            << u"GITLAB_ISSUER"_s;
    QTest::newRow("generic id taken by a preset")
            << QStringList{u"MICROSOFT_ID=a"_s, u"OIDC_PROVIDERS=microsoft"_s,
                           u"OIDC_MICROSOFT_ISSUER=https://id.example.com"_s,
                           u"OIDC_MICROSOFT_CLIENT_ID=c"_s}
            << u"OIDC_PROVIDERS"_s;
    QTest::newRow("http issuer") << QStringList{u"OIDC_PROVIDERS=a"_s,
                                                u"OIDC_A_ISSUER=http://id.example.com"_s,
                                                u"OIDC_A_CLIENT_ID=c"_s}
                                 << u"OIDC_A_ISSUER"_s;
    QTest::newRow("http loopback without flag")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_ISSUER=http://127.0.0.1:3000"_s,
                           u"OIDC_A_CLIENT_ID=c"_s}
            << u"OIDC_A_ISSUER"_s;
    QTest::newRow("http localhost name even with flag")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_ISSUER=http://localhost:3000"_s,
                           u"OIDC_A_CLIENT_ID=c"_s, u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"_s}
            << u"OIDC_A_ISSUER"_s;
    QTest::newRow("issuer with query")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_ISSUER=https://id.example.com/?x=1"_s,
                           u"OIDC_A_CLIENT_ID=c"_s}
            << u"OIDC_A_ISSUER"_s;
    QTest::newRow("missing client id")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_ISSUER=https://id.example.com"_s}
            << u"OIDC_A_CLIENT_ID"_s;
    QTest::newRow("missing issuer")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_CLIENT_ID=c"_s} << u"OIDC_A_ISSUER"_s;
    QTest::newRow("scopes without openid")
            << QStringList{u"OIDC_PROVIDERS=a"_s, u"OIDC_A_ISSUER=https://id.example.com"_s,
                           u"OIDC_A_CLIENT_ID=c"_s, u"OIDC_A_SCOPES=email"_s}
            << u"OIDC_A_SCOPES"_s;
    QTest::newRow("unlisted provider key")
            << QStringList{u"OIDC_ACME_ISSUER=https://id.example.com"_s} << u"OIDC_ACME_ISSUER"_s;
    QTest::newRow("bad provider id")
            << QStringList{u"OIDC_PROVIDERS=Acme Corp!"_s} << u"OIDC_PROVIDERS"_s;
    QTest::newRow("provider id starting with '-'")
            << QStringList{u"OIDC_PROVIDERS=-acme"_s} << u"OIDC_PROVIDERS"_s;
    QTest::newRow("provider id over 32 characters")
            << QStringList{u"OIDC_PROVIDERS="_s + QString(33, u'a')} << u"OIDC_PROVIDERS"_s;
    QTest::newRow("provider id with '_'")
            << QStringList{u"OIDC_PROVIDERS=my_corp"_s} << u"OIDC_PROVIDERS"_s;
    QTest::newRow("reserved provider id")
            << QStringList{u"OIDC_PROVIDERS=email"_s} << u"OIDC_PROVIDERS"_s;
    QTest::newRow("smtp url scheme")
            << QStringList{u"EMAIL_SERVER=http://mail.example.com"_s, u"EMAIL_FROM=a@example.com"_s}
            << u"EMAIL_SERVER"_s;
    QTest::newRow("smtp url garbage")
            << QStringList{u"EMAIL_SERVER=smtp://"_s, u"EMAIL_FROM=a@example.com"_s}
            << u"EMAIL_SERVER"_s;
    QTest::newRow("smtp without from")
            << QStringList{u"EMAIL_SERVER=smtp://mail.example.com:587"_s} << u"EMAIL_FROM"_s;
    QTest::newRow("bad from") << QStringList{u"EMAIL_FROM=Latchkey <not an address>"_s}
                              << u"EMAIL_FROM"_s;
    QTest::newRow("bad tls") << QStringList{u"EMAIL_TLS=maybe"_s} << u"EMAIL_TLS"_s;
    QTest::newRow("unreadable ca")
            << QStringList{u"EMAIL_CA_FILE=/nonexistent/ca.pem"_s} << u"EMAIL_CA_FILE"_s;
    QTest::newRow("postgres url") << QStringList{u"DATABASE_URL=postgres://db/latchkey"_s}
                                  << u"DATABASE_URL"_s;
    QTest::newRow("bad duration") << QStringList{u"LATCHKEY_SESSION_MAX_AGE=forever"_s}
                                  << u"LATCHKEY_SESSION_MAX_AGE"_s;
    QTest::newRow("update longer than max")
            << QStringList{u"LATCHKEY_SESSION_MAX_AGE=1h"_s, u"LATCHKEY_SESSION_UPDATE_AGE=2h"_s}
            << u"LATCHKEY_SESSION_UPDATE_AGE"_s;
    QTest::newRow("max age over a year")
            << QStringList{u"LATCHKEY_SESSION_MAX_AGE=366d"_s} << u"LATCHKEY_SESSION_MAX_AGE"_s;
    QTest::newRow("update age over a year") << QStringList{u"LATCHKEY_SESSION_UPDATE_AGE=400d"_s}
                                            << u"LATCHKEY_SESSION_UPDATE_AGE"_s;
    QTest::newRow("plain smtp to a remote relay")
            << QStringList{u"EMAIL_SERVER=smtp://relay.example.com:25"_s,
                           u"EMAIL_FROM=a@example.com"_s, u"EMAIL_TLS=off"_s}
            << u"EMAIL_TLS"_s;
    QTest::newRow("plain smtp to a remote address")
            << QStringList{u"EMAIL_SERVER=smtp://192.0.2.7:25"_s, u"EMAIL_FROM=a@example.com"_s,
                           u"EMAIL_TLS=off"_s}
            << u"EMAIL_TLS"_s;
    QTest::newRow("bad language") << QStringList{u"LATCHKEY_LANGUAGE=fr"_s}
                                  << u"LATCHKEY_LANGUAGE"_s;
    QTest::newRow("an address, not a domain")
            << QStringList{u"LATCHKEY_ALLOWED_EMAIL_DOMAINS=example.com, ann@example.org"_s}
            << u"LATCHKEY_ALLOWED_EMAIL_DOMAINS"_s;
    QTest::newRow("bad hosted domain")
            << QStringList{u"GOOGLE_ID=g"_s, u"GOOGLE_HD=not a domain"_s} << u"GOOGLE_HD"_s;
    QTest::newRow("github without secret")
            << QStringList{u"GITHUB_ID=Ov23li"_s} << u"GITHUB_SECRET"_s;
    QTest::newRow("github secret without id")
            << QStringList{u"GITHUB_SECRET=s"_s} << u"GITHUB_SECRET"_s;
    QTest::newRow("github http url") << QStringList{u"GITHUB_ID=i"_s, u"GITHUB_SECRET=s"_s,
                                                    u"GITHUB_URL=http://github.example.com"_s}
                                     << u"GITHUB_URL"_s;
    QTest::newRow("github http loopback api without flag")
            << QStringList{u"GITHUB_ID=i"_s, u"GITHUB_SECRET=s"_s,
                           u"GITHUB_API_URL=http://127.0.0.1:4001"_s}
            << u"GITHUB_API_URL"_s;
    const QStringList oauth2 = {u"OAUTH2_PROVIDERS=forge"_s, u"OAUTH2_FORGE_ID=app"_s,
                                u"OAUTH2_FORGE_AUTHORIZATION_URL=https://forge.test/authorize"_s,
                                u"OAUTH2_FORGE_TOKEN_URL=https://forge.test/token"_s,
                                u"OAUTH2_FORGE_USERINFO_URL=https://forge.test/me"_s};
    QTest::newRow("oauth2 without client id")
            << oauth2.mid(0, 1) + oauth2.mid(2) << u"OAUTH2_FORGE_ID"_s;
    QTest::newRow("oauth2 without authorization url")
            << oauth2.mid(0, 2) + oauth2.mid(3) << u"OAUTH2_FORGE_AUTHORIZATION_URL"_s;
    QTest::newRow("oauth2 without token url")
            << oauth2.mid(0, 3) + oauth2.mid(4) << u"OAUTH2_FORGE_TOKEN_URL"_s;
    QTest::newRow("oauth2 without user endpoint")
            << oauth2.mid(0, 4) << u"OAUTH2_FORGE_USERINFO_URL"_s;
    QTest::newRow("oauth2 http token url")
            << oauth2 + QStringList{u"OAUTH2_FORGE_TOKEN_URL=http://forge.test/token"_s}
            << u"OAUTH2_FORGE_TOKEN_URL"_s;
    QTest::newRow("oauth2 http loopback without flag")
            << oauth2 + QStringList{u"OAUTH2_FORGE_USERINFO_URL=http://127.0.0.1:9000/me"_s}
            << u"OAUTH2_FORGE_USERINFO_URL"_s;
    QTest::newRow("oauth2 http revocation url")
            << oauth2 + QStringList{u"OAUTH2_FORGE_REVOCATION_URL=http://forge.test/revoke"_s}
            << u"OAUTH2_FORGE_REVOCATION_URL"_s;
    QTest::newRow("oauth2 url with a fragment")
            << oauth2 + QStringList{u"OAUTH2_FORGE_AUTHORIZATION_URL=https://forge.test/a#x"_s}
            << u"OAUTH2_FORGE_AUTHORIZATION_URL"_s;
    QTest::newRow("oauth2 unknown token auth method")
            << oauth2 + QStringList{u"OAUTH2_FORGE_TOKEN_AUTH_METHOD=private_key_jwt"_s}
            << u"OAUTH2_FORGE_TOKEN_AUTH_METHOD"_s;
    QTest::newRow("oauth2 key of an unlisted id")
            << QStringList{u"OAUTH2_FORGE_ID=app"_s} << u"OAUTH2_FORGE_ID"_s;
    QTest::newRow("oauth2 misspelt key")
            << oauth2 + QStringList{u"OAUTH2_FORGE_USER_URL=https://forge.test/me"_s}
            << u"OAUTH2_FORGE_USER_URL"_s;
    QTest::newRow("oauth2 id taken by a preset")
            << QStringList{u"GITHUB_ID=i"_s, u"GITHUB_SECRET=s"_s, u"OAUTH2_PROVIDERS=github"_s}
            << u"OAUTH2_PROVIDERS"_s;
    QTest::newRow("oauth2 id taken by an oidc provider")
            << QStringList{u"OIDC_PROVIDERS=forge"_s, u"OIDC_FORGE_ISSUER=https://id.forge.test"_s,
                           u"OIDC_FORGE_CLIENT_ID=c"_s} +
                    oauth2
            << u"OAUTH2_PROVIDERS"_s;
    QTest::newRow("oauth2 reserved id")
            << QStringList{u"OAUTH2_PROVIDERS=email"_s} << u"OAUTH2_PROVIDERS"_s;
    QTest::newRow("unknown view after sign-in")
            << QStringList{u"LATCHKEY_AFTER_SIGN_IN=settings"_s} << u"LATCHKEY_AFTER_SIGN_IN"_s;
    QTest::newRow("unknown session strategy")
            << QStringList{u"LATCHKEY_SESSION_STRATEGY=cookie"_s} << u"LATCHKEY_SESSION_STRATEGY"_s;
}

void TestConfig::invalid()
{
    QFETCH(QStringList, env);
    QFETCH(QString, key);
    QTemporaryDir dir;
    const auto config = loadConfig({{}, {}, environment(dir, env)});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().kind, ErrorKind::Config);
    QCOMPARE(config.error().reason, key);
    QVERIFY2(config.error().message.contains(key), qPrintable(config.error().message));
    // A value that was set is traced to where it came from.
    const bool wasSet = std::any_of(env.cbegin(), env.cend(), [&key](const QString &pair) {
        return pair.startsWith(key + u'=');
    });
    if (wasSet)
        QVERIFY2(config.error().message.contains(u"the environment"_s),
                 qPrintable(config.error().message));
}

void TestConfig::envFileSyntax()
{
    const auto parsed = parseKeyValueText(
            u"# comment\n; ini comment\n[section]\nA=1\nexport B='two words'\nC=\"x\\ny\"\nD=plain # note\n\n"_s,
            u"test"_s);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->value(u"A"_s), u"1"_s);
    QCOMPARE(parsed->value(u"B"_s), u"two words"_s);
    QCOMPARE(parsed->value(u"C"_s), u"x\ny"_s);
    QCOMPARE(parsed->value(u"D"_s), u"plain"_s);

    const auto bad = parseKeyValueText(u"A=1\nthis is not a setting\n"_s, u"my.env"_s);
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.contains(u"my.env line 2"_s));
    QVERIFY(!parseKeyValueText(u"A=\"unterminated\n"_s, u"x"_s).ok());
    QVERIFY(!parseKeyValueText(u"1A=x\n"_s, u"x"_s).ok());
    QVERIFY(!parseKeyValueText(u"A-B=x\n"_s, u"x"_s).ok());
    QVERIFY(parseKeyValueText(u"_a9=x\n"_s, u"x"_s).ok());

    QTemporaryDir dir;
    writeFile(dir.filePath(u"config/latchkey/latchkey.conf"_s), "EMAIL_SERVR=smtp://x\n");
    const auto typo = loadConfig({{}, {}, environment(dir, {})});
    QVERIFY(!typo.ok());
    QCOMPARE(typo.error().reason, u"EMAIL_SERVR"_s);
    QVERIFY(typo.error().message.contains(u"latchkey.conf"_s));
}

void TestConfig::missingEnvFileIsAnError()
{
    QTemporaryDir dir;
    const auto config = loadConfig({{}, dir.filePath(u"missing.env"_s), environment(dir, {})});
    QVERIFY(!config.ok());
    QVERIFY(config.error().message.contains(u"missing.env"_s));
}

// .env.example in the repository: as it is (every setting commented out) it gives the defaults;
// with every "# KEY=value" line uncommented, as a person following it would, it is still valid.
void TestConfig::envExampleWorksAsItIsAndUncommented()
{
    const QString example = qEnvironmentVariable("LATCHKEY_SOURCE_DIR") + u"/.env.example"_s;
    QFile file(example);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(example));
    const QString text = QString::fromUtf8(file.readAll());
    QString uncommented;
    int settings = 0;
    static const QRegularExpression setting(u"^# ([A-Z][A-Z0-9_]*=.*)$"_s);
    for (const QString &line : text.split(u'\n')) {
        const auto match = setting.match(line);
        if (match.hasMatch())
            ++settings;
        uncommented += (match.hasMatch() ? match.captured(1) : line) + u'\n';
    }
    QVERIFY2(settings >= 30, qPrintable(QString::number(settings)));

    QTemporaryDir dir;
    writeFile(dir.filePath(u"as-is.env"_s), text.toUtf8());
    writeFile(dir.filePath(u"all.env"_s), uncommented.toUtf8());
    const auto asIs = loadConfig({{}, dir.filePath(u"as-is.env"_s), environment(dir, {})});
    QVERIFY2(asIs.ok(), qPrintable(asIs.ok() ? QString() : asIs.error().message));
    QVERIFY(asIs->providers.isEmpty());
    QVERIFY(asIs->usesOutbox());

    const auto all = loadConfig({{}, dir.filePath(u"all.env"_s), environment(dir, {})});
    QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().message));
    QStringList ids;
    for (const auto &provider : all->providers)
        ids.append(provider.id);
    QCOMPARE(ids,
             (QStringList{u"google"_s, u"microsoft"_s, u"github"_s, u"gitlab"_s, u"acme"_s,
                          u"forge"_s}));
    QVERIFY(!all->usesOutbox());
    QCOMPARE(all->allowedEmailDomains, (QStringList{u"example.com"_s, u"example.org"_s}));
}

// Where the files beside the database go: the data dir when set, else the database's folder,
// none for a database that is no file.
void TestConfig::dataFolderIsBesideTheDatabase()
{
    Options options;
    options.databasePath = u"/var/tmp/lk/latchkey.db"_s;
    QCOMPARE(options.dataFolder(), u"/var/tmp/lk"_s);
    options.dataDir = u"/home/ada/.local/share/latchkey"_s;
    QCOMPARE(options.dataFolder(), u"/home/ada/.local/share/latchkey"_s);
    options.dataDir.clear();
    options.databasePath = u":memory:"_s;
    QVERIFY(options.dataFolder().isEmpty());
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
