// ProviderTokens, the end of tokens: forget() at sign-out (erase, then revoke, RFC 7009) and the
// clean-up at start of what a crash left behind (docs/security.md, crash consistency).
#include "providertokens.h"

#include "auth/providerquirks.h"
#include "github/githubrevocation.h"

#include "core/crashpoint.h"
#include "core/logging.h"
#include "keychain/secretstore.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/providermetadata.h"
#include "oidc/revocationjob.h"
#include "storage/accountrepository.h"
#include "storage/database.h"

#include <QLockFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

using secretkeys::TokenPurpose;

// The sign-in lock's file (see lockSignIns()); none for a database in memory.
QString signInLockPath(const Database &db)
{
    const QString path = db.path();
    return path.isEmpty() || path == u":memory:"_s ? QString() : path + u".signin-lock"_s;
}

} // namespace

void ProviderTokens::forget(const QList<Account> &accounts, QObject *context,
                            std::function<void()> done)
{
    Q_ASSERT(context);
    struct Progress
    {
        int pending = 1;
        bool finished = false;
    };
    auto progress = std::make_shared<Progress>();
    ++m_busy;
    auto finish = [this, guard = QPointer<QObject>(context), done, progress]() {
        if (progress->finished)
            return;
        progress->finished = true;
        if (guard)
            done();
        if (--m_busy == 0)
            notifyIdle();
    };
    auto one = [progress, finish]() {
        if (--progress->pending == 0)
            finish();
    };
    for (const Account &account : accounts) {
        if (!providerOf(account))
            continue;
        ++progress->pending;
        forgetAccount(account, one);
    }
    QTimer::singleShot(kForgetTimeoutMs, this, finish);
    QTimer::singleShot(0, this, one); // never finishes synchronously, even with nothing to do
}

void ProviderTokens::forgetAccount(const Account &account, std::function<void()> done)
{
    // Tokens still being stored after a sign-in would otherwise be written after the erasure.
    if (waitForQueuedStore(account.id, [this, account, done]() { forgetAccount(account, done); }))
        return;
    ++m_forgetting[account.id];
    cancelRefresh(account.id);
    SecretStore &secrets = m_deps.secrets;
    // The refresh token is revoked if there is one: revoking it also ends its access tokens at
    // most providers (RFC 7009 §2.1).
    auto chosen = [this, account, done](const QString &token, const QString &hint) {
        auto erased = [this, account, done, token, hint](qint64 row) {
            if (--m_forgetting[account.id] == 0)
                m_forgetting.remove(account.id);
            crashPoint("signout-provider-tokens-erased");
            if (token.isEmpty())
                done();
            else
                revokeQueued(*providerOf(account), row, 0, token, hint, done);
        };
        // Queued before the entries go, so that a crash or a provider out of reach never loses
        // the revocation; erased before revoking, so that nothing usable stays in the keychain
        // even if the app quits now.
        auto eraseThen = [this, account, erased](qint64 row) {
            erase(account, [erased, row](Status status) {
                if (!status)
                    qCWarning(lcAuth) << "could not erase provider tokens:"
                                      << errorKindName(status.error().kind);
                erased(row);
            });
        };
        if (token.isEmpty())
            eraseThen(0);
        else
            queueRevocation(account.provider, token, hint, eraseThen);
    };
    secrets.read(tokenKey(account, TokenPurpose::Refresh), this,
                 [this, &secrets, account, chosen](const Result<QByteArray> &refresh) {
                     if (refresh && !refresh->isEmpty()) {
                         chosen(QString::fromUtf8(refresh.value()), u"refresh_token"_s);
                         return;
                     }
                     secrets.read(tokenKey(account, TokenPurpose::Access), this,
                                  [chosen](const Result<QByteArray> &access) {
                                      chosen(access ? QString::fromUtf8(access.value()) : QString(),
                                             u"access_token"_s);
                                  });
                 });
}

void ProviderTokens::erase(const Account &account, std::function<void(Status)> done)
{
    struct Progress
    {
        qsizetype pending = 0;
        Status status;
    };
    const QStringList keys =
            secretkeys::providerTokens(account.provider, QString::number(account.id));
    auto progress = std::make_shared<Progress>();
    progress->pending = keys.size();
    SecretStore &secrets = m_deps.secrets;
    for (const QString &key : keys) {
        secrets.remove(key, this, [this, id = account.id, progress, done](Status removed) {
            if (!removed && progress->status)
                progress->status = removed;
            if (--progress->pending > 0)
                return;
            // Only once all are gone: otherwise the next start tries again.
            if (progress->status)
                progress->status = AccountRepository(m_deps.db).setTokensStored(id, {});
            done(progress->status);
        });
    }
}

std::shared_ptr<QLockFile> ProviderTokens::lockSignIns(int waitMs)
{
    const QString path = signInLockPath(m_deps.db);
    if (path.isEmpty())
        return {};
    auto lock = std::make_shared<QLockFile>(path);
    if (!lock->tryLock(std::chrono::milliseconds(waitMs)))
        return {};
    return lock;
}

void ProviderTokens::forgetLeftovers()
{
    const QDateTime now = m_deps.clock.now();
    AccountRepository repository(m_deps.db);
    auto leftovers = repository.listLeftoverTokens(now);
    if (leftovers && leftovers->isEmpty())
        return; // the usual start: no file touched
    // A locked keyring hides the entries that exist: nothing can be erased or revoked then, and
    // the notes stay for a later start.
    ++m_busy;
    m_deps.secrets.isLocked(this, [this](bool locked) {
        if (locked)
            qCInfo(lcAuth) << "the keyring is locked; provider tokens left behind wait";
        else
            forgetLeftoversUnlocked();
        if (--m_busy == 0)
            notifyIdle();
    });
}

void ProviderTokens::forgetLeftoversUnlocked()
{
    const QDateTime now = m_deps.clock.now();
    AccountRepository repository(m_deps.db);
    // Listed again under the lock: what it lists then belongs to no sign-in in progress.
    auto lock = lockSignIns(0);
    if (!lock && !signInLockPath(m_deps.db).isEmpty()) {
        qCInfo(lcAuth) << "another process is finishing a sign-in; leftovers are left for later";
        return;
    }
    auto leftovers = repository.listLeftoverTokens(now);
    lock.reset();
    if (!leftovers) {
        qCWarning(lcAuth) << "could not look for provider tokens left behind:"
                          << leftovers.error().message;
        return;
    }
    QList<Account> accounts;
    for (const Account &account : leftovers.value()) {
        if (providerOf(account)) {
            accounts.append(account);
            continue;
        }
        // A provider no longer configured: its tokens cannot be revoked, only erased.
        ++m_busy;
        erase(account, [this](Status) {
            if (--m_busy == 0)
                notifyIdle();
        });
    }
    if (accounts.isEmpty())
        return;
    qCInfo(lcAuth) << "forgetting the provider tokens of" << accounts.size()
                   << "signed-out account(s) that an interrupted sign-in or sign-out left";
    forget(accounts, this, []() {});
}

void ProviderTokens::whenIdle(QObject *context, std::function<void()> callback)
{
    m_idleWaiters.append({QPointer<QObject>(context), std::move(callback)});
    if (m_busy == 0)
        QTimer::singleShot(0, this, [this]() { notifyIdle(); });
}

void ProviderTokens::notifyIdle()
{
    if (m_busy > 0)
        return;
    const auto waiters = std::exchange(m_idleWaiters, {});
    for (const auto &[context, callback] : waiters) {
        if (context)
            callback();
    }
}

void ProviderTokens::revoke(const OidcProviderConfig &provider, const QString &token,
                            const QString &tokenTypeHint, std::function<void(bool)> done)
{
    // Only a provider out of reach is worth asking again; any answer, even a refusal, is final.
    const auto unreachable = [](const Error &error) {
        return error.kind == ErrorKind::Network || error.kind == ErrorKind::Timeout;
    };
    if (provider.preset == ProviderPreset::GitHub) {
        // No discovery document and no RFC 7009 endpoint: GitHub's own API revokes app tokens.
        // It takes access tokens only (an OAuth app issues no refresh token).
        if (tokenTypeHint != u"access_token") {
            done(true);
            return;
        }
        github::revokeToken(
                m_deps.network, provider, token, this, [done, unreachable](const Status &revoked) {
                    if (!revoked)
                        qCInfo(lcAuth) << "token revocation failed:" << revoked.error().message;
                    done(revoked || !unreachable(revoked.error()));
                });
        return;
    }
    // OAuth2: the configured revocation endpoint (OAUTH2_<ID>_REVOCATION_URL), if any.
    providerquirks::metadata(
            m_deps.discovery, provider, m_deps.config.allowHttpLoopbackIssuer, this,
            [this, &provider, token, tokenTypeHint, done,
             unreachable](const Result<oidc::ProviderMetadata> &metadata) {
                if (!metadata) {
                    qCInfo(lcAuth) << "token revocation: no discovery document:"
                                   << metadata.error().message;
                    done(!unreachable(metadata.error()));
                    return;
                }
                if (metadata->revocationEndpoint.isEmpty()) {
                    done(true); // RFC 7009 is optional: nothing to revoke at this provider
                    return;
                }
                auto *job = new oidc::RevocationJob(
                        m_deps.network, metadata->revocationEndpoint, token, tokenTypeHint,
                        oidc::ClientAuthentication::choose(provider.clientId, provider.clientSecret,
                                                           metadata.value()),
                        this);
                connect(job, &oidc::RevocationJob::finished, this,
                        [job, done, unreachable](const Status &revoked) {
                            job->deleteLater();
                            if (!revoked)
                                qCInfo(lcAuth)
                                        << "token revocation failed:" << revoked.error().message;
                            done(revoked || !unreachable(revoked.error()));
                        });
                job->start();
            });
}

} // namespace latchkey
