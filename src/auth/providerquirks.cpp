#include "providerquirks.h"

#include "github/githubapi.h"
#include "oidc/authorizationrequest.h"
#include "oidc/discoverycache.h"
#include "oidc/microsoftissuer.h"

#include <QJsonArray>
#include <QTimer>

namespace latchkey::providerquirks {

namespace {

using Parameter = QPair<QString, QString>;

Parameter parameter(const char16_t *name, const QString &value)
{
    return {QString::fromUtf16(name), value};
}

/// An OAuth2 preset's endpoints, as configured (there is no discovery document to read): the
/// authorization, token and user endpoints required, each one (and the revocation endpoint when
/// set) https, or http on loopback when allowed, as a discovery document's would have to be.
Result<oidc::ProviderMetadata> configuredMetadata(const OidcProviderConfig &provider,
                                                  bool allowHttpLoopback)
{
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = allowHttpLoopback;
    const std::pair<const char16_t *, QUrl> endpoints[] = {
            {u"authorization", provider.authorizationUrl},
            {u"token", provider.tokenUrl},
            {u"user", provider.userinfoUrl},
            {u"revocation", provider.revocationUrl}};
    for (const auto &[name, url] : endpoints) {
        const bool optional = name == std::u16string_view(u"revocation");
        if ((optional && url.isEmpty()) ||
            oidc::ProviderMetadata::isAcceptableEndpoint(url, options))
            continue;
        Error error = Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                                  QStringLiteral("the %1 endpoint of provider \"%2\" must be an "
                                                 "https:// URL")
                                          .arg(QString::fromUtf16(name), provider.id));
        error.subject = provider.id;
        return error;
    }
    oidc::ProviderMetadata metadata;
    metadata.issuer = provider.issuer.toString();
    metadata.authorizationEndpoint = provider.authorizationUrl;
    metadata.tokenEndpoint = provider.tokenUrl;
    metadata.userinfoEndpoint = provider.userinfoUrl;
    metadata.revocationEndpoint = provider.revocationUrl;
    metadata.codeChallengeMethodsSupported = {QStringLiteral("S256")};
    if (!provider.tokenAuthMethod.isEmpty()) // read by oidc::ClientAuthentication::choose()
        metadata.raw.insert(QStringLiteral("token_endpoint_auth_methods_supported"),
                            QJsonArray{provider.tokenAuthMethod});
    return metadata;
}

} // namespace

bool isPlainOAuth(const OidcProviderConfig &provider)
{
    return provider.preset == ProviderPreset::GitHub || provider.preset == ProviderPreset::OAuth2;
}

oidc::MetadataOptions metadataOptions(const OidcProviderConfig &provider, bool allowHttpLoopback)
{
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = allowHttpLoopback;
    if (const QString tenant = provider.microsoftTenant(); !tenant.isEmpty())
        options.documentIssuer = oidc::microsoft::documentIssuer(tenant);
    return options;
}

void metadata(oidc::DiscoveryCache &discovery, const OidcProviderConfig &provider,
              bool allowHttpLoopback, QObject *context,
              std::function<void(const Result<oidc::ProviderMetadata> &)> callback)
{
    if (isPlainOAuth(provider)) {
        QTimer::singleShot(0, context,
                           [callback = std::move(callback), provider, allowHttpLoopback]() {
                               if (provider.preset == ProviderPreset::GitHub)
                                   callback(github::metadata(provider));
                               else
                                   callback(configuredMetadata(provider, allowHttpLoopback));
                           });
        return;
    }
    discovery.metadata(provider.issuer.toString(), metadataOptions(provider, allowHttpLoopback),
                       context, std::move(callback));
}

QList<QPair<QString, QString>> authorizationParameters(const OidcProviderConfig &provider,
                                                       Purpose purpose)
{
    const bool google = provider.preset == ProviderPreset::Google;
    QList<Parameter> extras;
    if (purpose == Purpose::StepUp) {
        // The person must sign in at the provider again, now (OIDC Core 3.1.2.1). Google knows
        // no prompt=login; it is asked to let the person pick the account.
        extras.append(parameter(u"max_age", QStringLiteral("0")));
        extras.append(parameter(
                u"prompt", google ? QStringLiteral("select_account") : QStringLiteral("login")));
        if (google)
            extras.append(parameter(u"access_type", QStringLiteral("offline")));
    } else if (google) {
        // Google: a refresh token only with access_type=offline; let the person pick the account.
        extras.append(parameter(u"access_type", QStringLiteral("offline")));
        extras.append(parameter(u"prompt", QStringLiteral("select_account")));
    } else if (provider.preset == ProviderPreset::Microsoft) {
        // Entra ID grants offline_access without consent each time; the person picks among the
        // work and personal accounts the browser knows.
        extras.append(parameter(u"prompt", QStringLiteral("select_account")));
    } else if (provider.preset == ProviderPreset::Oidc &&
               provider.scopes.contains(QStringLiteral("offline_access"))) {
        extras.append(parameter(u"prompt", QStringLiteral("consent"))); // OIDC Core 11
    }
    // Google shows only accounts of this domain; a hint, so the ID token's `hd` is checked too.
    if (!provider.hostedDomain.isEmpty())
        extras.append(parameter(u"hd", provider.hostedDomain));
    return extras;
}

Result<QUrl> authorizationUrl(const OidcProviderConfig &provider, const QUrl &authorizationEndpoint,
                              const oidc::PendingAuthorization &flow, Purpose purpose)
{
    const bool plainOAuth = isPlainOAuth(provider);
    if (plainOAuth && purpose == Purpose::StepUp) {
        // Plain OAuth 2.0 (GitHub included) has no prompt=login / max_age and issues no
        // auth_time: it cannot show that the person signed in again just now, so it cannot
        // confirm a step-up.
        Error error = Error::make(ErrorKind::Unauthorized, ErrorCode::StepUpUnavailable,
                                  QStringLiteral("%1 cannot confirm that it is you. Confirm with "
                                                 "another sign-in method.")
                                          .arg(provider.label));
        error.subject = provider.label;
        return error;
    }
    auto request = oidc::AuthorizationRequest::forFlow(authorizationEndpoint, flow, provider.scopes,
                                                       authorizationParameters(provider, purpose));
    request.plainOAuth = plainOAuth; // RFC 6749 + PKCE, no OpenID Connect
    return request.build();
}

oidc::IssuerCheck callbackIssuerCheck(const OidcProviderConfig &provider,
                                      const oidc::ProviderMetadata &metadata)
{
    if (provider.preset == ProviderPreset::OAuth2)
        return oidc::IssuerCheck::Unknown;
    return metadata.authorizationResponseIssParameterSupported ? oidc::IssuerCheck::Required
                                                               : oidc::IssuerCheck::IfPresent;
}

void applyIdTokenRules(oidc::IdTokenExpectations &expected, const OidcProviderConfig &provider)
{
    expected.googleIssuerQuirk = provider.preset == ProviderPreset::Google;
    expected.microsoftTenant = provider.microsoftTenant();
}

} // namespace latchkey::providerquirks
