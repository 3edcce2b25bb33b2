#pragma once

#include "clientauth.h"
#include "httpexchange.h"

#include <QString>
#include <QUrl>

namespace latchkey::oidc {

/// A token endpoint request (RFC 6749 §4.1.3 authorization_code with RFC 7636 §4.5
/// code_verifier, §6 refresh_token, or RFC 8628 §3.4 device_code). A value type; build one with
/// the named constructors.
struct TokenRequest
{
    QUrl tokenEndpoint;
    QString grantType; ///< "authorization_code", "refresh_token" or kDeviceCodeGrant
    QString code; ///< authorization_code only. Never log it.
    QUrl redirectUri; ///< authorization_code only: the same URI as in the authorization request
    QString codeVerifier; ///< authorization_code only (RFC 7636 §4.5). Never log it.
    QString refreshToken; ///< refresh_token only. Never log it.
    QString scope; ///< refresh_token only, optional: narrows the granted scope (RFC 6749 §6)
    QString deviceCode; ///< device_code grant only (RFC 8628 §3.4). Never log it.

    /// The RFC 8628 §3.4 grant type.
    static constexpr QStringView kDeviceCodeGrant = u"urn:ietf:params:oauth:grant-type:device_code";

    /// Exchanges `code` for tokens.
    static TokenRequest authorizationCode(const QUrl &tokenEndpoint, const QString &code,
                                          const QUrl &redirectUri, const QString &codeVerifier);

    /// Gets a new access token with `refreshToken`; `scope` is sent only when not empty.
    static TokenRequest refresh(const QUrl &tokenEndpoint, const QString &refreshToken,
                                const QString &scope = {});

    /// Polls for the tokens of a device authorization (RFC 8628 §3.4).
    static TokenRequest deviceCodeGrant(const QUrl &tokenEndpoint, const QString &deviceCode);

    /// The form body fields in order: grant_type, the grant's own fields, then the client's
    /// (see ClientAuthentication::addFormFields()).
    FormFields formFields(const ClientAuthentication &client) const;

    /// A Config/InvalidInput error when the endpoint is not http(s) or a required field is empty.
    Status check() const;
};

} // namespace latchkey::oidc
