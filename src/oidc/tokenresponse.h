#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace latchkey::oidc {

/// A successful access token response (RFC 6749 §5.1, OIDC Core 3.1.3.3). A value type; its
/// tokens are secrets — never log them.
struct TokenResponse
{
    QString accessToken; ///< always present
    QString tokenType; ///< always "Bearer" (compared case-insensitively, RFC 6749 §5.1)
    QDateTime expiresAt; ///< now + expires_in; invalid when the provider did not say
    QString refreshToken; ///< empty when none was issued (keep the old one, RFC 6749 §6)
    QString idToken; ///< the raw ID token (validated by IdTokenValidator), may be empty on refresh
    QString scope; ///< granted scopes when the provider reported them (RFC 6749 §3.3)

    /// True when expiresAt is known and `now` is at or past it.
    bool isExpired(const QDateTime &now) const { return expiresAt.isValid() && now >= expiresAt; }

    /// Interprets one token endpoint answer. `now` is when the response arrived; it turns
    /// `expires_in` into expiresAt.
    ///
    /// - 200 with a JSON object with unique members, a non-empty string `access_token`,
    ///   `token_type` Bearer, a non-negative integer `expires_in` if present, and string
    ///   `refresh_token`/`id_token`/`scope` if present → the response.
    /// - 400/401 with a JSON `error` (RFC 6749 §5.2) → TokenError::toError() (kind OAuthToken).
    /// - 5xx → Network error (the provider is having trouble; never a reason to sign out).
    /// - anything else → Protocol error.
    static Result<TokenResponse> parse(int httpStatus, const QByteArray &body,
                                       const QDateTime &now);

    /// As parse() above, for an answer of `contentType`: an
    /// application/x-www-form-urlencoded body (which some plain OAuth 2.0 providers send; names
    /// must be unique, a decimal `expires_in` is a number) is read as the same members; any other
    /// type as JSON.
    static Result<TokenResponse> parse(int httpStatus, const QByteArray &contentType,
                                       const QByteArray &body, const QDateTime &now);
};

} // namespace latchkey::oidc
