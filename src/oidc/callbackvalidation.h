#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace latchkey::oidc {

struct PendingAuthorization;

/// The decoded query of a callback request, in order, with duplicates preserved.
using CallbackQuery = QList<QPair<QString, QString>>;

/// The pure check behind the loopback callback (RFC 6749 §4.1.2, RFC 9207, RFC 9700 §4.1):
/// returns the authorization code, or why the callback must be refused. No token request may be
/// made unless this returns a code.
///
/// Checks, in this order, returning at the first failure (docs/security.md):
///  1. `path` equals the flow's redirect path exactly                 → Protocol "wrong_path"
///  2. no parameter name appears twice                                → Protocol
///  "duplicate_parameter"
///  3. `state` equals the flow's state (constant-time)               → Protocol "state_mismatch"
///  4. `iss` equals the flow's issuer when present; required when
///     `issuer` is IssuerCheck::Required                               → Protocol "iss_mismatch" /
///                                                                       "iss_missing"
///  5. `error` → OAuthAuthorization with the provider's error code (access_denied: "You cancelled
///     sign-in at the provider"); else a non-empty `code`              → Protocol "code_missing"
///
/// Unknown parameters are ignored. An error response with a wrong state is reported as the state
/// error (it may be forged). The caller checks the flow's expiry and drops the flow afterwards.
/// Preconditions: `query` values are percent-decoded exactly once.
/// How the callback's `iss` (RFC 9207) is checked.
enum class IssuerCheck {
    IfPresent, ///< compared when sent
    Required, ///< the provider advertises RFC 9207: it must be sent, and match
    /// A plain OAuth 2.0 provider publishes no issuer to compare with: `iss` is not compared. The
    /// one redirect path per provider is then the defence against mix-up (RFC 9700 §4.4.2).
    Unknown,
};

Result<QString> validateCallback(const QString &path, const CallbackQuery &query,
                                 const PendingAuthorization &flow, IssuerCheck issuer);

} // namespace latchkey::oidc
