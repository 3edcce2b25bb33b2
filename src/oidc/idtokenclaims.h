#pragma once

#include "core/result.h"
#include "idtoken.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace latchkey::oidc {

struct IdTokenExpectations;

/// An IdTokenInvalid error: "The ID token from <issuer> was rejected: <reason>." plus advice.
/// `code` names the failed rule for logs and tests (e.g. "iss_mismatch").
Error idTokenError(const QString &issuer, const QString &reason, const QString &code);

/// A provider's user id (`sub`) we accept: 1 to 255 printable ASCII characters (OIDC Core §2).
bool isValidSubject(const QString &subject);

/// Checks the claims of a token whose signature has already been verified (OIDC Core 3.1.3.7
/// rules 2–3, 9–11; RFC 7519 §4.1) at time `now`, and maps them to an IdToken.
Result<IdToken> checkIdTokenClaims(const QJsonObject &claims, const IdTokenExpectations &expected,
                                   const QDateTime &now);

} // namespace latchkey::oidc
