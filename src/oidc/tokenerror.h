#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace latchkey::oidc {

/// An error response from the token or revocation endpoint (RFC 6749 §5.2, RFC 7009 §2.2.1).
///
/// Converted to an Error of kind OAuthToken whose `code` is the OAuth `error` value, so
/// `invalid_grant` (the refresh token or code is no longer valid: sign out, do not retry) can be
/// told apart from everything else with isInvalidGrant().
struct TokenError
{
    QString error; ///< e.g. "invalid_grant", "invalid_client"
    QString errorDescription; ///< human-readable text from the provider, sanitised
    int httpStatus = 0;

    /// True for `invalid_grant`.
    bool isInvalidGrant() const { return error == u"invalid_grant"; }

    /// The Error a caller receives: kind OAuthToken, code = `error`, a message for a person.
    Error toError() const;
};

/// True when `error` is an OAuthToken error with code `invalid_grant` (RFC 6749 §5.2): the grant
/// (authorization code or refresh token) is invalid, expired or revoked. The caller signs out.
bool isInvalidGrant(const Error &error);

/// The Error for a non-success answer from the token or revocation endpoint (`what` names it in
/// the message, e.g. "token endpoint"):
/// - 400/401 with a JSON object carrying a string `error` → TokenError::toError() (OAuthToken),
/// - 5xx (and 429) → Network error: the provider is having trouble, try again later,
/// - anything else (including a 400 that is not an RFC 6749 §5.2 body) → Protocol error.
Error tokenEndpointError(int httpStatus, const QByteArray &body, const QString &what);

/// Text from a provider (an OAuth `error` or `error_description`, a claim or URL quoted in a
/// message) made safe to show: characters outside the RFC 6749 set (controls, bidi overrides,
/// non-ASCII, '"', '\\') are dropped and the text is capped at 200 characters.
QString sanitizedOAuthText(const QString &text);

} // namespace latchkey::oidc
