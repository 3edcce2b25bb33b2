#pragma once

#include "core/result.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/providermetadata.h"
#include "session/session.h"

#include <QDateTime>
#include <QObject>

#include <memory>
#include <optional>

class QLockFile;

namespace latchkey {

struct OidcIdentity;
struct OidcSignInDeps;

namespace oidc {
struct TokenResponse;
} // namespace oidc

/// The end every OpenID Connect sign-in shares (browser or device grant), from a token response
/// to a session:
///
///   start(tokens, expectations) ─► ID token present? ─► IdTokenValidator (JWKS, claims)
///     ─► step-up: auth_time from now ─► identity (iss, sub, email, name)
///     ─► userinfo for a missing name or picture (a failure there is not fatal)
///     ─► confirm (step-up) | link (Profile): provider tokens stored ─► finished(session or error)
///     ─► sign in: session (its token in the keychain) ─► finished(session or error)
///        ─► a turn later, off the critical path: provider tokens stored (ProviderTokens,
///           storeAfterSignIn(); a failure is its notSaved())
///   stop() ─► nothing more happens, no finished()
class OidcSignInCompletion : public QObject
{
    Q_OBJECT

public:
    /// `deps` (the flow's) must outlive this object; `metadata` is the issuer's.
    OidcSignInCompletion(const OidcSignInDeps &deps, oidc::ProviderMetadata metadata,
                         QObject *parent = nullptr);
    ~OidcSignInCompletion() override;

    /// A step-up for `userId` instead of a sign-in: the ID token's `auth_time` must not be older
    /// than `startedAt` (a minute of skew allowed). Call before start().
    void setConfirmUser(qint64 userId, const QDateTime &startedAt);

    /// Validates `tokens` against `expected` and carries on to the session. Never finishes
    /// synchronously.
    void start(const oidc::TokenResponse &tokens, const oidc::IdTokenExpectations &expected);

    /// Carries an identity proved another way (GitHub's API over TLS with the new access token,
    /// no ID token) on to the session. Never finishes synchronously.
    void startWithIdentity(const OidcIdentity &identity, const oidc::TokenResponse &tokens);

    /// Abandons the work: finished() is not emitted, the sign-in lock is released.
    void stop();

signals:
    /// The one terminal signal (not after stop()).
    void finished(const latchkey::Result<latchkey::Session> &result);

private:
    void identify(const oidc::IdToken &idToken, const oidc::TokenResponse &tokens);
    void complete(const OidcIdentity &identity, const oidc::TokenResponse &tokens);
    void confirm(const OidcIdentity &identity, const oidc::TokenResponse &tokens);
    void finish(const Result<Session> &result);

    const OidcSignInDeps &m_deps;
    oidc::ProviderMetadata m_metadata;
    std::optional<qint64> m_confirmUser;
    QDateTime m_startedAt;
    std::shared_ptr<QLockFile> m_signInLock; // until the session exists
    static constexpr int kSignInLockWaitMs = 500;
    bool m_done = false;
};

} // namespace latchkey
