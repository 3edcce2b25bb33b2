#pragma once

#include "clientauth.h"
#include "core/clock.h"
#include "core/result.h"
#include "tokenresponse.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace latchkey::oidc {

class TokenJob;

/// What one refresh needs (RFC 6749 §6).
struct RefreshParameters
{
    QString accountKey; ///< identifies the account, e.g. "<issuer> <sub>"; one refresh per key
    QUrl tokenEndpoint;
    QString refreshToken; ///< the current refresh token. Never log it.
    QString scope; ///< optional narrowing of the scope; usually empty
    ClientAuthentication client;
};

/// Runs at most one refresh per account; callers asking while one is in flight share its result.
///
///   refresh(A) ─┐
///   refresh(A) ─┼─► TokenJob ─► 200 ─► persist(A, tokens) ─► done(ok) ─► every caller gets tokens
///               │              └─► error (invalid_grant: grantRevoked(A)) ─► every caller: error
///
/// The rotated refresh token is handed to the injected `persist` function and only after it
/// reports success do callers see the new access token (docs/security.md: store the rotated token
/// before use). If the provider sent no new refresh token the old one is kept (RFC 6749 §6) and
/// is what `persist` receives. `invalid_grant` is never retried: the caller signs the account out.
class TokenRefreshCoordinator : public QObject
{
    Q_OBJECT

public:
    /// Receives the result of a refresh; called at most once, never for a destroyed context.
    using Callback = std::function<void(const Result<TokenResponse> &)>;
    /// Tells the coordinator that persisting finished; call it exactly once, on this thread.
    using PersistDone = std::function<void(Status)>;
    /// Stores `tokens` (at least the refresh token) for `accountKey`, atomically, then calls
    /// `done`. May call `done` synchronously or later.
    using PersistFunction = std::function<void(const QString &accountKey,
                                               const TokenResponse &tokens, PersistDone done)>;

    /// Default limit on waiting for `persist` (the keychain itself times out after 3 s).
    static constexpr int kDefaultPersistTimeoutMs = 10000;

    /// `manager` and `clock` must outlive the coordinator.
    TokenRefreshCoordinator(QNetworkAccessManager &manager, const Clock &clock,
                            PersistFunction persist, QObject *parent = nullptr);
    ~TokenRefreshCoordinator() override;

    /// Time limit (ms) for each token request; 0 keeps TokenJob's default.
    void setRequestTimeout(int milliseconds);

    /// Time limit (ms) for the persist step; on expiry callers get a Timeout error.
    void setPersistTimeout(int milliseconds);

    /// Gets fresh tokens for `parameters.accountKey`. If a refresh for that account is in flight,
    /// joins it (its parameters are ignored); otherwise starts one. `callback` runs later, from
    /// the event loop, and not at all once `context` is destroyed. Precondition: context != null.
    void refresh(const RefreshParameters &parameters, QObject *context, Callback callback);

    /// True while a refresh for `accountKey` is in flight (request or persist step).
    bool isRefreshing(const QString &accountKey) const;

    /// Ends the refresh for `accountKey`: its callers get a Cancelled error now.
    void cancel(const QString &accountKey);

Q_SIGNALS:
    /// The provider answered `invalid_grant` for `accountKey`: the refresh token is dead and the
    /// account must be signed out (no retry). Emitted before the callers get the error.
    void grantRevoked(const QString &accountKey);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };
    struct InFlight
    {
        quint64 id = 0;
        QString previousRefreshToken;
        QPointer<TokenJob> job;
        bool persisting = false;
        QList<Waiter> waiters;
    };

    void onTokens(const QString &accountKey, quint64 id, const Result<TokenResponse> &result);
    void onPersisted(const QString &accountKey, quint64 id, const TokenResponse &tokens,
                     const Status &status);
    void deliver(const QString &accountKey, const Result<TokenResponse> &result);

    QNetworkAccessManager &m_manager;
    const Clock &m_clock;
    PersistFunction m_persist;
    int m_requestTimeoutMs = 0;
    int m_persistTimeoutMs = kDefaultPersistTimeoutMs;
    quint64 m_nextId = 1;
    QHash<QString, std::shared_ptr<InFlight>> m_inFlight;
};

} // namespace latchkey::oidc
