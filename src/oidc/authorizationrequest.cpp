#include "authorizationrequest.h"

#include "oidc/httpexchange.h"

#include "pendingauthorization.h"
#include "pkce.h"

#include <QSet>
#include <QUrlQuery>

namespace latchkey::oidc {

namespace {

Error configError(const QString &message)
{
    return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid, message,
                       QStringLiteral("invalid_authorization_request"));
}

// RFC 3986 §2.1/§2.3: everything but the unreserved characters is percent-encoded, so '+', '&',
// '=', '#', spaces (as %20) and non-ASCII (as UTF-8 octets) survive any decoder unchanged.
QByteArray encodeComponent(const QString &text) { return QUrl::toPercentEncoding(text); }

} // namespace

AuthorizationRequest
AuthorizationRequest::forFlow(const QUrl &authorizationEndpoint, const PendingAuthorization &flow,
                              const QStringList &scopes,
                              const QList<QPair<QString, QString>> &extraParameters)
{
    AuthorizationRequest request;
    request.authorizationEndpoint = authorizationEndpoint;
    request.clientId = flow.clientId;
    request.redirectUri = flow.redirectUri;
    request.scopes = scopes;
    request.state = flow.state;
    request.nonce = flow.nonce;
    request.codeChallenge = flow.codeChallenge();
    request.extraParameters = extraParameters;
    return request;
}

Result<QUrl> AuthorizationRequest::build() const
{
    if (!isHttpEndpoint(authorizationEndpoint) || authorizationEndpoint.hasFragment()) {
        // RFC 6749 §3.1: an absolute URI without a fragment component.
        return configError(QStringLiteral("The provider's authorization endpoint is not a valid "
                                          "http(s) URL. Check the provider's issuer setting."));
    }
    if (clientId.isEmpty())
        return configError(QStringLiteral("The client id is empty. Set the provider's client id "
                                          "in the configuration."));
    if (!redirectUri.isValid() || redirectUri.isRelative())
        return configError(QStringLiteral("The redirect URI is not an absolute URL."));
    if (state.isEmpty() || (!plainOAuth && nonce.isEmpty()) || codeChallenge.isEmpty())
        return configError(QStringLiteral("The sign-in request is missing its state, nonce or "
                                          "PKCE challenge. Start the sign-in again."));
    if (!plainOAuth && !scopes.contains(QStringLiteral("openid")))
        // OIDC Core 3.1.2.1: scope REQUIRED, MUST contain the openid scope value.
        return configError(QStringLiteral("The requested scopes must include \"openid\". Add it "
                                          "to the provider's scopes in the configuration."));

    QList<QPair<QString, QString>> parameters = {
            {QStringLiteral("response_type"), QStringLiteral("code")}, // RFC 6749 §4.1.1
            {QStringLiteral("client_id"), clientId},
            {QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)},
    };
    if (!scopes.isEmpty()) // RFC 6749 §3.3: optional, space-delimited
        parameters.append({QStringLiteral("scope"), scopes.join(u' ')});
    parameters.append({QStringLiteral("state"), state}); // RFC 6749 §10.12
    if (!plainOAuth) // a plain OAuth 2.0 provider issues no ID token to bind a nonce to
        parameters.append({QStringLiteral("nonce"), nonce}); // OIDC Core 3.1.2.1
    parameters.append({QStringLiteral("code_challenge"), codeChallenge}); // RFC 7636 §4.3
    parameters.append({QStringLiteral("code_challenge_method"),
                       Pkce::method()}); // S256 only (docs/security.md)
    parameters += extraParameters;

    // RFC 6749 §3.1: the endpoint's own query MUST be retained, and no parameter may appear twice.
    QSet<QString> seen;
    const QUrlQuery existing(authorizationEndpoint);
    for (const auto &item : existing.queryItems(QUrl::FullyDecoded))
        seen.insert(item.first);
    for (const auto &[name, value] : parameters) {
        if (name.isEmpty() || seen.contains(name)) {
            return configError(QStringLiteral("The authorization request would carry the "
                                              "parameter \"%1\" twice. Remove it from the "
                                              "provider's extra parameters or endpoint URL.")
                                       .arg(name));
        }
        seen.insert(name);
    }

    QByteArray query = authorizationEndpoint.query(QUrl::FullyEncoded).toLatin1();
    for (const auto &[name, value] : parameters) {
        if (!query.isEmpty())
            query += '&';
        query += encodeComponent(name) + '=' + encodeComponent(value);
    }
    QUrl url = authorizationEndpoint;
    // StrictMode keeps our encoding as is: Qt would otherwise be free to re-decode delimiters.
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

} // namespace latchkey::oidc
