#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace latchkey::oidc {

/// Everything one sign-in attempt binds together, from the moment the browser is opened until the
/// callback is validated (docs/security.md: `{provider, issuer, client_id, redirect path, state,
/// nonce, verifier, started_at}`).
///
/// Create one with create() for every authorization request; never reuse one. The owner keeps at
/// most one per listener and drops it after the first callback that reaches validateCallback(),
/// whatever the outcome, so `state`, `nonce` and the verifier are used once.
struct PendingAuthorization
{
    /// How long a pending sign-in stays valid (docs/architecture.md: the OAuth flow lives 10
    /// minutes).
    static constexpr qint64 kLifetimeSeconds = 10 * 60;

    QString providerId; ///< configuration id, e.g. "google"
    QString issuer; ///< the issuer identifier the flow expects (RFC 9207 `iss`)
    QString clientId; ///< the OAuth client id
    QUrl redirectUri; ///< the exact loopback redirect URI sent to the provider
    QString redirectPath; ///< the path the callback must arrive on, e.g. "/callback/google"
    QString state; ///< CSRF token, ≥128 bits from the CSPRNG. Never log it.
    QString nonce; ///< ID token replay guard, ≥128 bits from the CSPRNG. Never log it.
    QString codeVerifier; ///< PKCE verifier (RFC 7636). Never log it.
    QDateTime startedAt; ///< when the flow was created (UTC)

    /// A fresh flow: new state, nonce (256 bits each) and PKCE verifier from the OS CSPRNG.
    /// `redirectPath` is taken from `redirectUri`.
    static PendingAuthorization create(const QString &providerId, const QString &issuer,
                                       const QString &clientId, const QUrl &redirectUri,
                                       const QDateTime &now);

    /// The S256 challenge for codeVerifier, for the authorization request.
    QString codeChallenge() const;

    /// True once `now` is kLifetimeSeconds or more after startedAt (or startedAt is invalid).
    bool isExpired(const QDateTime &now) const;
};

} // namespace latchkey::oidc
