#pragma once

#include "clientauth.h"
#include "httpexchange.h"

#include <QString>
#include <QUrl>

namespace latchkey::oidc {

/// A token endpoint request (RFC 6749 §4.1.3 authorization_code with RFC 7636 §4.5
/// code_verifier, or §6 refresh_token). A value type; build one with the named constructors.
struct TokenRequest
{
    QUrl tokenEndpoint;
    QString grantType; ///< "authorization_code" or "refresh_token"
    QString code; ///< authorization_code only. Never log it.
    QUrl redirectUri; ///< authorization_code only: the same URI as in the authorization request
    QString codeVerifier; ///< authorization_code only (RFC 7636 §4.5). Never log it.
    QString refreshToken; ///< refresh_token only. Never log it.
    QString scope; ///< refresh_token only, optional: narrows the granted scope (RFC 6749 §6)

    /// Exchanges `code` for tokens.
    static TokenRequest authorizationCode(const QUrl &tokenEndpoint, const QString &code,
                                          const QUrl &redirectUri, const QString &codeVerifier);

    /// Gets a new access token with `refreshToken`; `scope` is sent only when not empty.
    static TokenRequest refresh(const QUrl &tokenEndpoint, const QString &refreshToken,
                                const QString &scope = {});

    /// The form body fields in order: grant_type, the grant's own fields, then the client's
    /// (see ClientAuthentication::addFormFields()).
    FormFields formFields(const ClientAuthentication &client) const;

    /// A Config/InvalidInput error when the endpoint is not http(s) or a required field is empty.
    Status check() const;
};

} // namespace latchkey::oidc
