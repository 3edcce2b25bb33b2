#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "keychain/secretkeys.h"
#include "storage/records.h"

#include <latchkey/types.h>

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;
class QTimer;
class QNetworkAccessManager;

namespace latchkey {

class Database;
class SecretStore;

namespace oidc {
class DiscoveryCache;
class JwksCache;
class TokenRefreshCoordinator;
struct ProviderMetadata;
struct TokenResponse;
} // namespace oidc

/// What ProviderTokens works with; all must outlive it.
struct ProviderTokensDeps
{
    const Config &config; ///< the providers and allowHttpLoopbackIssuer
    Database &db; ///< `accounts.expires_at` and `accounts.tokens_stored_at`
    /// Where secrets live this run: the keychain, or memory after the keychain failed.
    SecretStore &secrets;
    QNetworkAccessManager &network;
    oidc::DiscoveryCache &discovery;
    const Clock &clock;
    /// The key set of an issuer, shared with the sign-in flows: checks ID tokens from a refresh.
    std::function<oidc::JwksCache &(const oidc::ProviderMetadata &)> jwks;
};

/// The one owner of each account's provider tokens: store, read, refresh, erase, revoke (the role
/// of AppAuth's OIDAuthState). The tokens live in the secret store under
/// secretkeys::providerToken(); only their expiry is in SQLite (`accounts.expires_at`).
///
///   store() ─► accounts.tokens_stored_at ─► keychain: access, refresh ─► accounts.expires_at
///           ─► done
///   storeAfterSignIn() ─► queued (one event-loop turn, in order) ─► store() ─┬─ ok
///                                                                           └─ notSaved()
///   freshAccessToken() ─┬─ expiry unknown or > now + leeway ─► stored access token
///                       └─ else (one at a time per account) ─► refresh token ─► discovery
///                          ─► TokenRefreshCoordinator ─┬─ 200 ─► ID token? same user
///                          │                           │   (OIDC Core §12.2) ─► persist
///                          │                           │   (refresh, access, expires_at)
///                          │                           │   ─► every caller
///                          │                           ├─ ID token fails a check or names
///                          │                           │   another user ─► erase ─►
///                          │                           │   identityRejected()
///                          │                           ├─ invalid_grant ─► erase ─► revoked()
///                          │                           └─ network ─► error, tokens kept
///   forget() ─► read ─► queued, sealed (pending_revocations) ─► erase ─► tokens_stored_at
///            cleared ─► revoke (RFC 7009) where the provider can ─┬─ answered ─► unqueued
///                                                                   └─ unreachable ─► stays
///                                                                      queued,
///                                                                      revocationDeferred()
///   retryRevocations() (start, network back, timer) ─► due rows ─► revoke ─► as above
///   forgetLeftovers() (start) ─► accounts with tokens_stored_at and no session ─► forget()
///
/// Every callback runs later from the event loop (never inside the call), and not at all once
/// its `context` is destroyed.
class ProviderTokens : public QObject
{
    Q_OBJECT

public:
    /// What freshAccessToken() hands back.
    using TokenCallback = std::function<void(const Result<AccessToken> &)>;

    /// How long before its expiry an access token is refreshed, unless the caller says otherwise.
    static constexpr qint64 kDefaultLeewaySecs = 60;
    /// The longest forget() waits for its provider before reporting done.
    static constexpr int kForgetTimeoutMs = 15000;

    /// Tokens of the accounts in `deps.db`, kept in `deps.secrets()`.
    explicit ProviderTokens(ProviderTokensDeps deps, QObject *parent = nullptr);
    ~ProviderTokens() override;

    /// After a sign-in or link: stores the access token (and the refresh token, when one was
    /// issued; otherwise an earlier one is kept, RFC 6749 §6) of `account` in the secret store and
    /// sets `accounts.expires_at` (invalid `tokens.expiresAt`: NULL). `done` gets the first
    /// failure, or success; later, never synchronously. Precondition: context != null.
    void store(const Account &account, const oidc::TokenResponse &tokens, QObject *context,
               std::function<void(Status)> done);
    /// Before a sign-in's session is made: the access token's expiry and the time of the
    /// provider's answer in SQLite, so the session's accounts show them; storeAfterSignIn() then
    /// keeps the tokens. Failures are only logged (store() writes both again).
    void noteSignIn(const Account &account, const oidc::TokenResponse &tokens);
    /// After a sign-in whose session exists already: store() off the sign-in's critical path
    /// (docs/architecture.md, "OpenID Connect sign-in"), one event-loop turn later and after the
    /// stores queued before. whenIdle() waits for it; freshAccessToken(), refreshNow() and
    /// forget() of that account wait for it too. A failure is told by notSaved().
    void storeAfterSignIn(const Account &account, const oidc::TokenResponse &tokens);

    /// A valid access token for `account`: the stored one while `accounts.expires_at` is unknown
    /// or later than now + `leewaySecs`; otherwise a refreshed one (at most one refresh per
    /// account at a time; the rotated refresh token, the access token and the expiry are stored
    /// before any caller sees the token). Errors: OAuthToken "no_refresh_token" when expired and
    /// none is stored; OAuthToken "invalid_grant" after the tokens were erased and revoked() was
    /// emitted; Network/Timeout with the tokens kept; Cancelled when forget() ran meanwhile.
    /// Precondition: context != null.
    void freshAccessToken(const Account &account, qint64 leewaySecs, QObject *context,
                          TokenCallback callback);
    /// Like freshAccessToken(), but always asks the provider for new tokens (`latchkey refresh`).
    void refreshNow(const Account &account, QObject *context, TokenCallback callback);

    /// Sign-out: for each OIDC account, reads its tokens, erases the entries first (nothing
    /// usable stays even if the app quits now), then revokes the refresh token, else the access
    /// token, where the provider has a revocation_endpoint (RFC 7009). A refresh in flight for
    /// one of them is cancelled. `done` runs when all of that finished or after
    /// kForgetTimeoutMs; failures are only logged. Precondition: context != null.
    void forget(const QList<Account> &accounts, QObject *context, std::function<void()> done);
    /// At start, once the keychain is known to be usable: forgets (as at sign-out) the tokens of
    /// accounts whose user has no session, which only a sign-in or sign-out interrupted by a crash
    /// leaves behind (docs/security.md, crash consistency). Skipped while the keyring is locked
    /// (it hides the entries that exist) and while another process holds the sign-in lock (it is
    /// between storing tokens and creating its session).
    void forgetLeftovers();
    /// The sign-in lock, a file next to the database, held from storing a sign-in's provider
    /// tokens until its session exists (waiting at most `waitMs` for another holder). The lock
    /// of a killed process is stale at once. Null when it cannot be had (or the database is in
    /// memory): the sign-in goes on (forgetLeftovers() holds it only while it lists).
    std::shared_ptr<QLockFile> lockSignIns(int waitMs);
    /// Tries the queued revocations (docs/security.md, the revocation queue): at start, when the
    /// network comes back, and on a timer (a pause that grows with each failure, at most an
    /// hour) while some wait. A row whose provider is no longer configured, whose sealed token
    /// no longer opens, or that waited more than kGiveUpAfterDays is dropped. Reads nothing from
    /// the keychain when the queue is empty.
    void retryRevocations();
    /// Queued revocations give up after this many days: the tokens have long expired by then.
    static constexpr qint64 kGiveUpAfterDays = 30;
    /// Runs `callback` from the event loop once no forget() is in progress (revocations
    /// included), e.g. before a command-line process exits.
    void whenIdle(QObject *context, std::function<void()> callback);

signals:
    /// The provider answered `invalid_grant` for `account` (RFC 6749 §5.2): its tokens are
    /// erased and it must be signed in again. Emitted once per failed refresh, before the callers
    /// get the error.
    void revoked(const latchkey::Account &account);
    /// A refresh returned an ID token that failed a check, or names another user than the one
    /// who signed in (OIDC Core §12.2): nothing of it was stored, the account's tokens are
    /// erased, and the sign-in must end. Emitted before the callers get `error`.
    void identityRejected(const latchkey::Account &account, const latchkey::Error &error);
    /// A token of provider `providerId` could not be revoked because the provider could not be
    /// reached: it stays queued (sealed) and is tried again.
    void revocationDeferred(const QString &providerId);
    /// storeAfterSignIn() failed with `error`: the session stands, but `account` has no usable
    /// provider tokens until it signs in with the provider again.
    void notSaved(const latchkey::Account &account, const latchkey::Error &error);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        TokenCallback callback;
    };
    struct Refresh; // one refresh in flight
    struct QueuedStore; // one storeAfterSignIn() waiting or running

    static QString tokenKey(const Account &account, secretkeys::TokenPurpose purpose);
    const OidcProviderConfig *providerOf(const Account &account) const;
    void deliverLater(const Waiter &waiter, const Result<AccessToken> &result);
    void useStored(const Account &account, const Waiter &waiter);
    void startRefresh(const Account &account, const Waiter &waiter);
    void requestRefresh(const std::shared_ptr<Refresh> &refresh, const QString &refreshToken);
    void onRefreshed(const std::shared_ptr<Refresh> &refresh,
                     const Result<oidc::TokenResponse> &tokens);
    std::optional<Account> storedAccount(const Account &account, const Waiter &waiter);
    void persist(const QString &accountKey, const oidc::TokenResponse &tokens,
                 std::function<void(Status)> done);
    void checkIdentity(const std::shared_ptr<Refresh> &refresh, const QString &idToken,
                       std::function<void(Status)> done);
    void writeRefreshed(const std::shared_ptr<Refresh> &refresh, const oidc::TokenResponse &tokens,
                        std::function<void(Status)> done);
    void endAccount(const std::shared_ptr<Refresh> &refresh, const Error &error,
                    std::function<void()> announce);
    void finishRefresh(const std::shared_ptr<Refresh> &refresh, const Result<AccessToken> &result);
    void cancelRefresh(qint64 accountId);
    void storeNextQueued();
    /// True (and `retry` kept for later) while a storeAfterSignIn() of `accountId` is queued.
    bool waitForQueuedStore(qint64 accountId, std::function<void()> retry);
    void forgetLeftoversUnlocked();
    void forgetAccount(const Account &account, std::function<void()> done);
    void erase(const Account &account, std::function<void(Status)> done);
    void notifyIdle();
    /// Revokes `token` at `provider`; `done(true)` when the provider answered or has nothing to
    /// revoke with, `done(false)` when it could not be reached (worth trying again).
    void revoke(const OidcProviderConfig &provider, const QString &token,
                const QString &tokenTypeHint, std::function<void(bool answered)> done);
    /// The key that seals queued tokens, read once per run (made when `create` and missing).
    void withRevocationKey(bool create, std::function<void(const Result<QByteArray> &)> done);
    /// Seals `token` and queues it; `done` gets the row id, or 0 when it could not be queued.
    void queueRevocation(const QString &providerId, const QString &token,
                         const QString &tokenTypeHint, std::function<void(qint64 row)> done);
    /// revoke(), then the row `row` (0: none) is removed or postponed.
    void revokeQueued(const OidcProviderConfig &provider, qint64 row, int attempts,
                      const QString &token, const QString &tokenTypeHint,
                      std::function<void()> done);
    void scheduleRetry();

    ProviderTokensDeps m_deps;
    oidc::TokenRefreshCoordinator *m_refresher = nullptr;
    QHash<qint64, std::shared_ptr<Refresh>> m_refreshing; // by accounts.id
    QHash<qint64, int> m_forgetting; // accounts.id → forget() calls reading or erasing it
    int m_busy = 0; // forget() calls, leftover erasures and retries not finished yet
    QByteArray m_revocationKey; // read once per run
    bool m_retrying = false;
    QTimer *m_retryTimer = nullptr;
    bool m_watchingNetwork = false;
    QList<QPair<QPointer<QObject>, std::function<void()>>> m_idleWaiters;
    QList<std::shared_ptr<QueuedStore>> m_queuedStores; // oldest first; the first one runs
    QList<std::function<void()>> m_afterQueuedStores; // run once the queue is empty
};

} // namespace latchkey
