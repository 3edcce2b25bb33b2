#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace latchkey::oidc {

/// How strictly a provider's URLs are checked.
struct MetadataOptions
{
    /// Accept `http://` URLs whose host is a loopback IP literal (127.0.0.1 or ::1). For
    /// development and tests only; `localhost` and every other host still need https.
    bool allowLoopbackHttp = false;
    /// The `issuer` the document must name when it is not the configured issuer: Microsoft's
    /// multi-tenant endpoints name a template (microsoftissuer.h). Empty: the configured one.
    QString documentIssuer;
};

/// An OpenID Provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414, RFC 9207), validated.
/// Build one with parse(); every URL in it has passed isAcceptableEndpoint().
struct ProviderMetadata
{
    /// The issuer identifier, equal to the configured issuer (Discovery §4.3).
    QString issuer;
    /// Where the browser is sent (REQUIRED).
    QUrl authorizationEndpoint;
    /// Where codes and refresh tokens are exchanged (REQUIRED for the code flow).
    QUrl tokenEndpoint;
    /// The UserInfo endpoint; empty when the provider has none.
    QUrl userinfoEndpoint;
    /// The JWK Set the ID token keys come from (REQUIRED).
    QUrl jwksUri;
    /// RFC 7009 token revocation; empty when the provider has none.
    QUrl revocationEndpoint;
    /// RP-initiated logout; empty when the provider has none.
    QUrl endSessionEndpoint;
    /// RFC 8628 §4 device authorization endpoint; empty when the provider offers no device
    /// sign-in.
    QUrl deviceAuthorizationEndpoint;
    /// `scopes_supported` (empty when not advertised).
    QStringList scopesSupported;
    /// `response_types_supported`.
    QStringList responseTypesSupported;
    /// `code_challenge_methods_supported` (RFC 8414); empty when not advertised.
    QStringList codeChallengeMethodsSupported;
    /// `id_token_signing_alg_values_supported`.
    QStringList idTokenSigningAlgValuesSupported;
    /// RFC 9207 §3: when true, the authorization response must carry `iss`.
    bool authorizationResponseIssParameterSupported = false;
    /// The whole document, for fields not modelled here.
    QJsonObject raw;

    /// Parses and validates a discovery document fetched for `expectedIssuer`.
    /// Errors: Config when the document's issuer differs from `expectedIssuer` or a URL is not
    /// https (see MetadataOptions); Protocol when the document is malformed, misses a required
    /// member, or advertises PKCE without S256.
    static Result<ProviderMetadata> parse(const QByteArray &json, const QString &expectedIssuer,
                                          const MetadataOptions &options = {});

    /// True when `url` may be used to talk to a provider: absolute https with a host and no
    /// fragment, or http to 127.0.0.1/::1 when `options.allowLoopbackHttp` is set.
    static bool isAcceptableEndpoint(const QUrl &url, const MetadataOptions &options);

    /// Checks a configured issuer identifier (Discovery §2): an acceptable endpoint with no query
    /// and no fragment. Errors are Config errors naming the issuer.
    static Status checkIssuer(const QString &issuer, const MetadataOptions &options);
};

} // namespace latchkey::oidc
