#include "tokenrequest.h"

#include "oidc/httpexchange.h"

namespace latchkey::oidc {

TokenRequest TokenRequest::authorizationCode(const QUrl &tokenEndpoint, const QString &code,
                                             const QUrl &redirectUri, const QString &codeVerifier)
{
    TokenRequest request;
    request.tokenEndpoint = tokenEndpoint;
    request.grantType = QStringLiteral("authorization_code");
    request.code = code;
    request.redirectUri = redirectUri;
    request.codeVerifier = codeVerifier;
    return request;
}

TokenRequest TokenRequest::refresh(const QUrl &tokenEndpoint, const QString &refreshToken,
                                   const QString &scope)
{
    TokenRequest request;
    request.tokenEndpoint = tokenEndpoint;
    request.grantType = QStringLiteral("refresh_token");
    request.refreshToken = refreshToken;
    request.scope = scope;
    return request;
}

TokenRequest TokenRequest::deviceCodeGrant(const QUrl &tokenEndpoint, const QString &deviceCode)
{
    TokenRequest request;
    request.tokenEndpoint = tokenEndpoint;
    request.grantType = kDeviceCodeGrant.toString();
    request.deviceCode = deviceCode;
    return request;
}

FormFields TokenRequest::formFields(const ClientAuthentication &client) const
{
    FormFields fields{{QStringLiteral("grant_type"), grantType}};
    if (grantType == u"authorization_code") {
        // RFC 6749 §4.1.3: code and redirect_uri (identical to the authorization request's).
        fields.append({QStringLiteral("code"), code});
        fields.append({QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)});
        fields.append({QStringLiteral("code_verifier"), codeVerifier}); // RFC 7636 §4.5
    } else if (grantType == kDeviceCodeGrant) {
        fields.append({QStringLiteral("device_code"), deviceCode}); // RFC 8628 §3.4
    } else {
        fields.append({QStringLiteral("refresh_token"), refreshToken}); // RFC 6749 §6
        if (!scope.isEmpty())
            fields.append({QStringLiteral("scope"), scope});
    }
    client.addFormFields(fields);
    return fields;
}

Status TokenRequest::check() const
{
    if (!isHttpEndpoint(tokenEndpoint)) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The provider's token endpoint is not a valid http(s) "
                                          "URL. Check the provider's issuer setting."),
                           QStringLiteral("invalid_token_endpoint"));
    }
    bool complete = false;
    if (grantType == u"authorization_code")
        complete = !code.isEmpty() && redirectUri.isValid() && !codeVerifier.isEmpty();
    else if (grantType == u"refresh_token")
        complete = !refreshToken.isEmpty();
    else if (grantType == kDeviceCodeGrant)
        complete = !deviceCode.isEmpty();
    if (!complete) {
        return Error::make(ErrorKind::InvalidInput,
                           QStringLiteral("The token request is incomplete (grant \"%1\"). Sign "
                                          "in again.")
                                   .arg(grantType),
                           QStringLiteral("incomplete_token_request"));
    }
    return {};
}

} // namespace latchkey::oidc
