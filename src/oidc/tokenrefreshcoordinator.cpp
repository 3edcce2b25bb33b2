#include "tokenrefreshcoordinator.h"

#include "core/logging.h"
#include "tokenerror.h"
#include "tokenjob.h"

#include <QTimer>

namespace latchkey::oidc {

TokenRefreshCoordinator::TokenRefreshCoordinator(QNetworkAccessManager &manager, const Clock &clock,
                                                 PersistFunction persist, QObject *parent)
    : QObject(parent), m_manager(manager), m_clock(clock), m_persist(std::move(persist))
{ }

TokenRefreshCoordinator::~TokenRefreshCoordinator()
{
    // Jobs are children and die with us; their finished() must not reach a half-destroyed us.
    for (const auto &entry : std::as_const(m_inFlight)) {
        if (entry->job)
            entry->job->disconnect(this);
    }
}

void TokenRefreshCoordinator::setRequestTimeout(int milliseconds)
{
    m_requestTimeoutMs = milliseconds;
}

void TokenRefreshCoordinator::setPersistTimeout(int milliseconds)
{
    m_persistTimeoutMs = milliseconds;
}

void TokenRefreshCoordinator::refresh(const RefreshParameters &parameters, QObject *context,
                                      Callback callback)
{
    Q_ASSERT(context);
    const QString key = parameters.accountKey;
    if (auto existing = m_inFlight.value(key)) {
        // One refresh at a time per account (docs/security.md): join the one in flight.
        existing->waiters.append({context, std::move(callback)});
        return;
    }

    auto entry = std::make_shared<InFlight>();
    entry->id = m_nextId++;
    entry->previousRefreshToken = parameters.refreshToken;
    entry->waiters.append({context, std::move(callback)});
    m_inFlight.insert(key, entry);

    auto *job = new TokenJob(m_manager,
                             TokenRequest::refresh(parameters.tokenEndpoint,
                                                   parameters.refreshToken, parameters.scope),
                             parameters.client, m_clock, this);
    if (m_requestTimeoutMs > 0)
        job->setTimeout(m_requestTimeoutMs);
    entry->job = job;
    const quint64 id = entry->id;
    connect(job, &TokenJob::finished, this,
            [this, key, id, job](const Result<TokenResponse> &result) {
                job->deleteLater();
                onTokens(key, id, result);
            });
    qCDebug(lcOidc) << "refreshing tokens for one account";
    job->start();
}

bool TokenRefreshCoordinator::isRefreshing(const QString &accountKey) const
{
    return m_inFlight.contains(accountKey);
}

void TokenRefreshCoordinator::cancel(const QString &accountKey)
{
    const auto entry = m_inFlight.value(accountKey);
    if (!entry)
        return;
    if (entry->job)
        entry->job->disconnect(this);
    deliver(accountKey,
            Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                        QStringLiteral("Refreshing the sign-in was "
                                       "cancelled.")));
    if (entry->job)
        entry->job->cancel();
}

void TokenRefreshCoordinator::onTokens(const QString &accountKey, quint64 id,
                                       const Result<TokenResponse> &result)
{
    const auto entry = m_inFlight.value(accountKey);
    if (!entry || entry->id != id)
        return;
    entry->job = nullptr;
    if (!result) {
        if (isInvalidGrant(result.error())) {
            // RFC 6749 §5.2 invalid_grant: the refresh token is dead. No retry loop
            // (docs/security.md).
            qCInfo(lcOidc) << "refresh token rejected (invalid_grant)";
            Q_EMIT grantRevoked(accountKey);
        }
        deliver(accountKey, result);
        return;
    }

    TokenResponse tokens = result.value();
    if (tokens.refreshToken.isEmpty())
        tokens.refreshToken = entry->previousRefreshToken; // RFC 6749 §6: keep the old one
    entry->persisting = true;

    QTimer::singleShot(m_persistTimeoutMs, this, [this, accountKey, id]() {
        const auto current = m_inFlight.value(accountKey);
        if (!current || current->id != id || !current->persisting)
            return;
        qCWarning(lcOidc) << "persisting refreshed tokens timed out";
        deliver(accountKey,
                Error::make(ErrorKind::Timeout,
                            QStringLiteral("Saving the renewed sign-in took too long, so it was "
                                           "not used. Check that the keychain is unlocked and "
                                           "try again.")));
    });

    const QPointer<TokenRefreshCoordinator> self(this);
    // docs/security.md: store the rotated token before anyone uses the new access token.
    m_persist(accountKey, tokens, [self, accountKey, id, tokens](Status status) {
        if (self)
            self->onPersisted(accountKey, id, tokens, status);
    });
}

void TokenRefreshCoordinator::onPersisted(const QString &accountKey, quint64 id,
                                          const TokenResponse &tokens, const Status &status)
{
    const auto entry = m_inFlight.value(accountKey);
    if (!entry || entry->id != id || !entry->persisting)
        return; // timed out or cancelled meanwhile
    if (!status) {
        qCWarning(lcOidc) << "could not persist refreshed tokens:"
                          << errorKindName(status.error().kind);
        deliver(accountKey, status.error());
        return;
    }
    deliver(accountKey, tokens);
}

void TokenRefreshCoordinator::deliver(const QString &accountKey,
                                      const Result<TokenResponse> &result)
{
    // Taken out first: a callback that asks for another refresh starts a new one.
    const auto entry = m_inFlight.take(accountKey);
    if (!entry)
        return;
    entry->persisting = false;
    for (const Waiter &waiter : std::as_const(entry->waiters)) {
        if (waiter.context)
            waiter.callback(result);
    }
}

} // namespace latchkey::oidc
