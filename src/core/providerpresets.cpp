// The provider presets of include/latchkey/options.h: what a person would otherwise look up in
// each provider's documentation (docs/library.md, "Providers").

#include <latchkey/options.h>

#include <QRegularExpression>

namespace latchkey {

namespace {

const QString kMicrosoftHost = QStringLiteral("login.microsoftonline.com");

QStringList standardScopes()
{
    return {QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")};
}

ProviderOptions make(const QString &id, const QString &label, const QUrl &issuer,
                     const QString &clientId, const QString &clientSecret)
{
    ProviderOptions provider;
    provider.id = id;
    provider.label = label;
    provider.issuer = issuer;
    provider.clientId = clientId;
    provider.clientSecret = clientSecret;
    provider.scopes = standardScopes();
    return provider;
}

} // namespace

ProviderOptions presets::google(const QString &clientId, const QString &clientSecret)
{
    ProviderOptions provider =
            make(QStringLiteral("google"), QStringLiteral("Google"),
                 QUrl(QStringLiteral("https://accounts.google.com")), clientId, clientSecret);
    provider.preset = ProviderPreset::Google;
    return provider;
}

ProviderOptions presets::microsoft(const QString &clientId, const QString &tenant,
                                   const QString &clientSecret)
{
    const QUrl issuer(QStringLiteral("https://%1/%2/v2.0").arg(kMicrosoftHost, tenant.toLower()));
    ProviderOptions provider = make(QStringLiteral("microsoft"), QStringLiteral("Microsoft"),
                                    issuer, clientId, clientSecret);
    // Entra ID gives a refresh token only for offline_access, without asking for consent again.
    provider.scopes.append(QStringLiteral("offline_access"));
    provider.preset = ProviderPreset::Microsoft;
    return provider;
}

ProviderOptions presets::gitlab(const QString &clientId, const QUrl &issuer,
                                const QString &clientSecret)
{
    ProviderOptions provider = make(QStringLiteral("gitlab"), QStringLiteral("GitLab"), issuer,
                                    clientId, clientSecret);
    provider.preset = ProviderPreset::GitLab;
    return provider;
}

ProviderOptions presets::github(const QString &clientId, const QString &clientSecret,
                                const QUrl &webUrl, const QUrl &apiUrl)
{
    ProviderOptions provider = make(QStringLiteral("github"), QStringLiteral("GitHub"), webUrl,
                                    clientId, clientSecret);
    // Plain OAuth 2.0: no "openid"; the profile and the verified addresses come from the API.
    provider.scopes = {QStringLiteral("read:user"), QStringLiteral("user:email")};
    provider.apiUrl = apiUrl;
    provider.preset = ProviderPreset::GitHub;
    return provider;
}

ProviderOptions presets::oidc(const QString &id, const QUrl &issuer, const QString &clientId,
                              const QString &clientSecret)
{
    return make(id, id.left(1).toUpper() + id.mid(1), issuer, clientId, clientSecret);
}

ProviderOptions presets::oauth2(const QString &id, const QUrl &authorizationUrl,
                                const QUrl &tokenUrl, const QUrl &userinfoUrl,
                                const QString &clientId, const QString &clientSecret)
{
    // No discovery document: the issuer recorded on the accounts is the authorization server's
    // origin.
    const QUrl origin = authorizationUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery |
                                                  QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    ProviderOptions provider = oidc(id, origin, clientId, clientSecret);
    provider.scopes.clear();
    provider.authorizationUrl = authorizationUrl;
    provider.tokenUrl = tokenUrl;
    provider.userinfoUrl = userinfoUrl;
    provider.preset = ProviderPreset::OAuth2;
    return provider;
}

QString ProviderOptions::microsoftTenant() const
{
    if (preset != ProviderPreset::Microsoft)
        return {};
    const QStringList segments = issuer.path().split(u'/', Qt::SkipEmptyParts);
    return segments.size() == 2 && segments.at(1) == u"v2.0" ? segments.at(0) : QString();
}

bool presets::isMicrosoftTenant(const QString &tenant)
{
    static const QRegularExpression guid(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return tenant == u"common" || tenant == u"organizations" || tenant == u"consumers" ||
            guid.match(tenant).hasMatch();
}

} // namespace latchkey
