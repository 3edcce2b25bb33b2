#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "idtoken.h"
#include "jwkscache.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>

namespace latchkey::oidc {

/// What a valid ID token must say, taken from the pending sign-in flow and the configuration.
struct IdTokenExpectations
{
    /// The issuer the flow was started with (compared exactly).
    QString issuer;
    /// This application's client id: the only trusted audience.
    QString clientId;
    /// The nonce sent in the authorization request. Must not be empty, except for a refresh.
    QString nonce;
    /// A token returned by a refresh (OIDC Core §12.2): there is no nonce to compare, and `sub`
    /// must equal `subject`, the user who signed in (with `issuer` and `clientId` unchanged, the
    /// same `iss`, `aud` and `azp` follow from the other rules).
    bool fromRefresh = false;
    /// For a refresh: the `sub` of the signed-in account. Must not be empty then.
    QString subject;
    /// A token from the device authorization grant (RFC 8628): that grant has no authorization
    /// request, so there is no nonce to bind the token to; `nonce` must be empty and the token's
    /// own `nonce`, if any, is not used. Every other rule applies as in the code flow. Never set
    /// it for the code flow, where the nonce is what ties the token to this sign-in.
    bool fromDeviceGrant = false;
    /// Accepted JWS algorithms; only RS256 and ES256 are ever honoured (RFC 8725 §3.1).
    QStringList allowedAlgorithms{QStringLiteral("RS256")};
    /// Clock skew tolerated for `exp`, `iat` and `nbf`, in seconds (at most 120 are used).
    qint64 leewaySecs = 120;
    /// Google only: also accept `iss` "accounts.google.com" when `issuer` is
    /// "https://accounts.google.com". Has no effect for any other issuer.
    bool googleIssuerQuirk = false;
    /// Microsoft only: the tenant signed in to ("common", "organizations", "consumers" or a
    /// directory ID). `iss` must then be the issuer of the token's own `tid`, a directory the
    /// tenant admits (microsoftissuer.h); IdToken::issuer is that issuer. For a refresh it must
    /// also equal `issuer`. Empty: `iss` must equal `issuer`.
    QString microsoftTenant;
};

/// Validates ID tokens (OpenID Connect Core 1.0 §3.1.3.7, RFC 8725) against one issuer's JWKS.
///
///   compact ──► shape/JWE? ──► header (strict JSON, alg allowlist) ──► JwksCache::findKey(kid)
///                                                                            │ (may refetch)
///   finished ◄── claims (iss, aud, azp, exp, iat, nbf, nonce, sub) ◄── cjose_jws_verify
///
/// Asynchronous because an unknown `kid` triggers a (rate-limited) JWKS refetch.
class IdTokenValidator : public QObject
{
    Q_OBJECT

public:
    /// Called once with the claims, or an IdTokenInvalid error (InvalidInput for bad
    /// expectations, Network/Timeout/Protocol when the key set could not be fetched).
    using Callback = std::function<void(Result<IdToken>)>;

    /// Largest compact token accepted, in bytes.
    static constexpr qsizetype kMaxTokenBytes = 64 * 1024;
    /// The largest leeway ever applied (docs/security.md: ≤ 120 s).
    static constexpr qint64 kMaxLeewaySecs = 120;

    /// A validator using `jwks` (the keys of the expected issuer) and `clock`; both must outlive
    /// it.
    IdTokenValidator(JwksCache &jwks, const Clock &clock, QObject *parent = nullptr);

    /// Validates `compact`. `callback` runs exactly once from the event loop (never
    /// synchronously), and not at all once `context` (non-null) or this validator is destroyed.
    void validate(const QByteArray &compact, const IdTokenExpectations &expected, QObject *context,
                  Callback callback);

private:
    JwksCache &m_jwks;
    const Clock &m_clock;
};

} // namespace latchkey::oidc
