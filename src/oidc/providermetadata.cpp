#include "providermetadata.h"

#include "josejson.h"
#include "tokenerror.h"

#include <QHostAddress>
#include <QJsonArray>

namespace latchkey::oidc {

namespace {

Error protocolError(const QString &issuer, const QString &what)
{
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                       QStringLiteral("The discovery document of %1 %2. The provider may be "
                                      "misconfigured; contact its administrator.")
                               .arg(issuer, what));
}

Result<QStringList> stringList(const QJsonObject &document, const QString &name,
                               const QString &issuer)
{
    const QJsonValue value = document.value(name);
    if (value.isUndefined())
        return QStringList{};
    if (!value.isArray())
        return protocolError(issuer, QStringLiteral("has a non-list \"%1\"").arg(name));
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            return protocolError(issuer, QStringLiteral("has a non-string in \"%1\"").arg(name));
        out.append(item.toString());
    }
    return out;
}

/// Reads an endpoint member; `required` decides whether a missing member is an error.
Result<QUrl> endpoint(const QJsonObject &document, const QString &name, bool required,
                      const QString &issuer, const MetadataOptions &options)
{
    const QJsonValue value = document.value(name);
    if (value.isUndefined() && !required)
        return QUrl{};
    if (value.isUndefined())
        return protocolError(issuer, QStringLiteral("has no \"%1\"").arg(name));
    if (!value.isString())
        return protocolError(issuer, QStringLiteral("has a non-string \"%1\"").arg(name));
    const QUrl url(value.toString(), QUrl::StrictMode);
    // docs/security.md: https everywhere except a loopback provider explicitly allowed for tests.
    if (!ProviderMetadata::isAcceptableEndpoint(url, options)) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The provider %1 lists \"%2\" as %3, which is not an "
                                          "https URL. Only https providers can be used.")
                                   .arg(issuer, sanitizedOAuthText(value.toString()), name));
    }
    return url;
}

} // namespace

bool ProviderMetadata::isAcceptableEndpoint(const QUrl &url, const MetadataOptions &options)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || url.hasFragment() ||
        !url.userInfo().isEmpty()) {
        return false;
    }
    if (url.scheme() == u"https")
        return true;
    if (url.scheme() != u"http" || !options.allowLoopbackHttp)
        return false;
    // Only the IP literals: `localhost` may resolve anywhere (RFC 8252 §8.3).
    const QHostAddress address(url.host());
    return address == QHostAddress(QHostAddress::LocalHost) ||
            address == QHostAddress(QHostAddress::LocalHostIPv6);
}

Status ProviderMetadata::checkIssuer(const QString &issuer, const MetadataOptions &options)
{
    const QUrl url(issuer, QUrl::StrictMode);
    // OIDC Discovery §2: the issuer is an https URL with no query or fragment.
    if (!isAcceptableEndpoint(url, options) || url.hasQuery()) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The issuer \"%1\" is not an https URL without query "
                                          "or fragment. Check the issuer URL in the "
                                          "configuration.")
                                   .arg(issuer));
    }
    return {};
}

Result<ProviderMetadata> ProviderMetadata::parse(const QByteArray &json,
                                                 const QString &expectedIssuer,
                                                 const MetadataOptions &options)
{
    if (Status status = checkIssuer(expectedIssuer, options); !status)
        return status.error();
    auto parsed = jose::parseObjectStrict(
            json, QStringLiteral("The discovery document of %1").arg(expectedIssuer),
            ErrorKind::Protocol);
    if (!parsed)
        return parsed.error();
    const QJsonObject &document = parsed.value();

    ProviderMetadata out;
    const QJsonValue issuer = document.value(QStringLiteral("issuer"));
    if (!issuer.isString())
        return protocolError(expectedIssuer, QStringLiteral("has no \"issuer\""));
    // OIDC Discovery §4.3: the issuer in the document MUST exactly match the configured one
    // (no normalisation: a trailing slash, case or scheme difference is a mismatch).
    const QString named =
            options.documentIssuer.isEmpty() ? expectedIssuer : options.documentIssuer;
    if (issuer.toString() != named) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The provider at %1 says its issuer is %2; check the "
                                          "issuer URL in the configuration.")
                                   .arg(expectedIssuer, sanitizedOAuthText(issuer.toString())));
    }
    out.issuer = expectedIssuer;

    struct Endpoint
    {
        QUrl *target;
        const char16_t *name;
        bool required;
    };
    const Endpoint endpoints[] = {
            {&out.authorizationEndpoint, u"authorization_endpoint", true},
            {&out.tokenEndpoint, u"token_endpoint", true},
            {&out.jwksUri, u"jwks_uri", true},
            {&out.userinfoEndpoint, u"userinfo_endpoint", false},
            {&out.revocationEndpoint, u"revocation_endpoint", false},
            {&out.endSessionEndpoint, u"end_session_endpoint", false},
            {&out.deviceAuthorizationEndpoint, u"device_authorization_endpoint", false},
    };
    for (const Endpoint &e : endpoints) {
        auto url =
                endpoint(document, QString::fromUtf16(e.name), e.required, expectedIssuer, options);
        if (!url)
            return url.error();
        *e.target = url.value();
    }

    struct List
    {
        QStringList *target;
        const char16_t *name;
    };
    const List lists[] = {
            {&out.scopesSupported, u"scopes_supported"},
            {&out.responseTypesSupported, u"response_types_supported"},
            {&out.codeChallengeMethodsSupported, u"code_challenge_methods_supported"},
            {&out.idTokenSigningAlgValuesSupported, u"id_token_signing_alg_values_supported"},
    };
    for (const List &l : lists) {
        auto values = stringList(document, QString::fromUtf16(l.name), expectedIssuer);
        if (!values)
            return values.error();
        *l.target = values.value();
    }

    // RFC 7636 §4.2 / docs/security.md: PKCE is always S256, never downgraded to `plain`; a
    // provider that advertises its methods must offer S256.
    if (document.contains(QStringLiteral("code_challenge_methods_supported")) &&
        !out.codeChallengeMethodsSupported.contains(QStringLiteral("S256"))) {
        return protocolError(
                expectedIssuer,
                QStringLiteral("does not offer PKCE with S256 (only \"%1\")")
                        .arg(sanitizedOAuthText(out.codeChallengeMethodsSupported.join(u", "))));
    }
    if (!out.responseTypesSupported.isEmpty() &&
        !out.responseTypesSupported.contains(QStringLiteral("code"))) {
        return protocolError(expectedIssuer,
                             QStringLiteral("does not support the authorization code flow"));
    }

    const QJsonValue issParameter =
            document.value(QStringLiteral("authorization_response_iss_parameter_supported"));
    if (!issParameter.isUndefined() && !issParameter.isBool()) {
        return protocolError(expectedIssuer,
                             QStringLiteral("has a non-boolean "
                                            "\"authorization_response_iss_parameter_supported\""));
    }
    out.authorizationResponseIssParameterSupported = issParameter.toBool(false); // RFC 9207 §3
    out.raw = document;
    return out;
}

} // namespace latchkey::oidc
