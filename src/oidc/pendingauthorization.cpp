#include "pendingauthorization.h"

#include "core/random.h"
#include "pkce.h"

namespace latchkey::oidc {

namespace {
// docs/security.md: state and nonce ≥128 bits; 32 bytes gives 256 bits (43 base64url characters).
constexpr int kStateBytes = 32;
constexpr int kNonceBytes = 32;
} // namespace

PendingAuthorization PendingAuthorization::create(const QString &providerId, const QString &issuer,
                                                  const QString &clientId, const QUrl &redirectUri,
                                                  const QDateTime &now)
{
    PendingAuthorization flow;
    flow.providerId = providerId;
    flow.issuer = issuer;
    flow.clientId = clientId;
    flow.redirectUri = redirectUri;
    flow.redirectPath = redirectUri.path(QUrl::FullyDecoded);
    flow.state = random::base64Url(kStateBytes); // RFC 6749 §10.12, RFC 9700 §4.7
    flow.nonce = random::base64Url(kNonceBytes); // OIDC Core 3.1.2.1, 15.5.2
    flow.codeVerifier = Pkce::generate().verifier; // RFC 7636 §4.1, fresh per request
    flow.startedAt = now.toUTC();
    return flow;
}

QString PendingAuthorization::codeChallenge() const { return Pkce::challengeFor(codeVerifier); }

bool PendingAuthorization::isExpired(const QDateTime &now) const
{
    if (!startedAt.isValid())
        return true;
    // docs/architecture.md: the flow (state, nonce, verifier, listener) lives 10 minutes.
    return startedAt.secsTo(now) >= kLifetimeSeconds;
}

} // namespace latchkey::oidc
