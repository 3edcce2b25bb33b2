#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace latchkey::oidc {

/// A UserInfo response (OIDC Core 5.3.2) whose `sub` has been checked against the ID token's.
struct UserInfo
{
    QString subject; ///< `sub`, equal to the ID token's
    QString email; ///< may be empty
    bool emailVerified = false; ///< `email_verified` (true or "true")
    QString name; ///< may be empty
    QUrl picture; ///< may be empty
    QJsonObject claims; ///< every claim as received

    /// Interprets a userinfo endpoint answer.
    /// - 200, JSON object with unique members, a string `sub` equal to `expectedSubject`
    ///   (OIDC Core 5.3.2: otherwise the values MUST NOT be used) → the claims;
    ///   a different `sub` → Protocol "sub_mismatch".
    /// - a signed/encrypted (application/jwt) answer → Protocol "unsupported_userinfo".
    /// - 401/403 → OAuthToken "invalid_token"/"insufficient_scope" (RFC 6750 §3.1).
    /// - 5xx → Network; anything else → Protocol.
    static Result<UserInfo> parse(int httpStatus, const QByteArray &contentType,
                                  const QByteArray &body, const QString &expectedSubject);
};

} // namespace latchkey::oidc
