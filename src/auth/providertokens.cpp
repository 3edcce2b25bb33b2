#include "providertokens.h"

#include "auth/providerquirks.h"

#include "core/crashpoint.h"
#include "core/logging.h"
#include "keychain/secretkeys.h"
#include "keychain/secretstore.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenrefreshcoordinator.h"
#include "oidc/tokenresponse.h"
#include "storage/accountrepository.h"

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

using secretkeys::TokenPurpose;

// Errors made here, one helper each (machine-readable code in the last argument).

Error noRefreshToken(const QString &providerId)
{
    return Error::make(ErrorKind::OAuthToken, ErrorCode::NoRefreshToken,
                       u"The sign-in with %1 has expired and cannot be renewed. Sign in with %1 "
                       u"again."_s.arg(providerId),
                       u"no_refresh_token"_s);
}

Error unknownProvider(const QString &providerId)
{
    Error error = Error::make(
            ErrorKind::Config, ErrorCode::UnknownProvider,
            u"\"%1\" is not a configured OpenID Connect provider, so it has no tokens."_s.arg(
                    providerId),
            QString());
    error.subject = providerId;
    return error;
}

Error signedOutMeanwhile()
{
    return Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       u"The provider's sign-in was removed (signed out) while it was renewed."_s,
                       u"signed_out"_s);
}

// The TokenRefreshCoordinator's key of an account: its accounts.id.
QString accountKey(const Account &account) { return QString::number(account.id); }

void deliver(const QPointer<QObject> &context,
             const std::function<void(const Result<AccessToken> &)> &callback,
             const Result<AccessToken> &result)
{
    if (context)
        callback(result);
}

using Entries = QList<QPair<QString, QByteArray>>;

// Writes `entries` one after another and stops at the first failure. Precondition: not empty.
void writeInOrder(SecretStore &secrets, Entries entries, QObject *context,
                  std::function<void(Status)> done)
{
    const auto [key, value] = entries.takeFirst();
    secrets.write(key, value, context,
                  [&secrets, entries, context, done = std::move(done)](Status written) {
                      if (!written || entries.isEmpty()) {
                          done(written);
                          return;
                      }
                      writeInOrder(secrets, entries, context, done);
                  });
}

} // namespace

QString ProviderTokens::tokenKey(const Account &account, secretkeys::TokenPurpose purpose)
{
    return secretkeys::providerToken(account.provider, QString::number(account.id), purpose);
}

struct ProviderTokens::Refresh
{
    Account account;
    oidc::ProviderMetadata metadata; // the provider's, once discovery answered
    QList<Waiter> waiters;
    bool cancelled = false; // forget() ran: nothing may be stored any more
    bool done = false; // the waiters got their answer
};

ProviderTokens::ProviderTokens(ProviderTokensDeps deps, QObject *parent)
    : QObject(parent), m_deps(std::move(deps))
{
    m_refresher = new oidc::TokenRefreshCoordinator(
            m_deps.network, m_deps.clock,
            [this](const QString &key, const oidc::TokenResponse &tokens,
                   oidc::TokenRefreshCoordinator::PersistDone done) {
                persist(key, tokens, std::move(done));
            },
            this);
}

ProviderTokens::~ProviderTokens() = default;

const OidcProviderConfig *ProviderTokens::providerOf(const Account &account) const
{
    if (account.type != Account::Type::Oidc || account.id <= 0)
        return nullptr;
    return m_deps.config.provider(account.provider);
}

void ProviderTokens::store(const Account &account, const oidc::TokenResponse &tokens,
                           QObject *context, std::function<void(Status)> done)
{
    Q_ASSERT(context);
    QPointer<QObject> guard(context);
    // Provider tokens live in the keychain, never in SQLite (docs/architecture.md). Without a new
    // refresh token an earlier one stays: it is still valid (RFC 6749 §6; Google sends one only
    // once).
    // docs/security.md, crash consistency: the account notes that the keychain may hold tokens
    // before they are written, so a start after a crash can find them.
    if (auto noted = AccountRepository(m_deps.db).setTokensStored(account.id, m_deps.clock.now());
        !noted) {
        qCWarning(lcAuth) << "could not store provider tokens:"
                          << errorKindName(noted.error().kind);
        QTimer::singleShot(0, context, [done, error = noted.error()]() { done(error); });
        return;
    }
    Entries entries{{tokenKey(account, TokenPurpose::Access), tokens.accessToken.toUtf8()}};
    if (!tokens.refreshToken.isEmpty())
        entries.append({tokenKey(account, TokenPurpose::Refresh), tokens.refreshToken.toUtf8()});
    writeInOrder(
            m_deps.secrets, entries, this,
            [this, guard, done, id = account.id, expiresAt = tokens.expiresAt](Status written) {
                if (written)
                    written = AccountRepository(m_deps.db).setExpiresAt(id, expiresAt);
                if (written) // what Profile shows as the provider's last word
                    (void)AccountRepository(m_deps.db).setRefreshed(id, m_deps.clock.now());
                if (!written)
                    qCWarning(lcAuth) << "could not store provider tokens:"
                                      << errorKindName(written.error().kind);
                if (guard)
                    done(written);
            });
}

void ProviderTokens::noteSignIn(const Account &account, const oidc::TokenResponse &tokens)
{
    AccountRepository accounts(m_deps.db);
    Status noted = accounts.setExpiresAt(account.id, tokens.expiresAt);
    if (noted)
        noted = accounts.setRefreshed(account.id, m_deps.clock.now());
    if (!noted)
        qCWarning(lcAuth) << "could not note the provider's answer:"
                          << errorKindName(noted.error().kind);
}

struct ProviderTokens::QueuedStore
{
    Account account;
    oidc::TokenResponse tokens;
};

void ProviderTokens::storeAfterSignIn(const Account &account, const oidc::TokenResponse &tokens)
{
    m_queuedStores.append(std::make_shared<QueuedStore>(QueuedStore{account, tokens}));
    if (m_queuedStores.size() > 1)
        return; // runs after the ones before it
    ++m_busy;
    // A turn later: the window paints the signed-in state before the keychain is asked.
    QTimer::singleShot(0, this, &ProviderTokens::storeNextQueued);
}

void ProviderTokens::storeNextQueued()
{
    const std::shared_ptr<QueuedStore> next = m_queuedStores.first();
    store(next->account, next->tokens, this, [this, next](Status stored) {
        crashPoint("oidc-provider-tokens-stored");
        if (!stored)
            emit notSaved(next->account, stored.error());
        m_queuedStores.removeFirst();
        if (!m_queuedStores.isEmpty()) {
            storeNextQueued();
            return;
        }
        for (const auto &retry : std::exchange(m_afterQueuedStores, {}))
            retry();
        if (--m_busy == 0)
            notifyIdle();
    });
}

bool ProviderTokens::waitForQueuedStore(qint64 accountId, std::function<void()> retry)
{
    const bool queued = std::any_of(
            m_queuedStores.cbegin(), m_queuedStores.cend(),
            [accountId](const auto &queuedStore) { return queuedStore->account.id == accountId; });
    if (queued)
        m_afterQueuedStores.append(std::move(retry));
    return queued;
}

void ProviderTokens::deliverLater(const Waiter &waiter, const Result<AccessToken> &result)
{
    QTimer::singleShot(0, this,
                       [waiter, result]() { deliver(waiter.context, waiter.callback, result); });
}

void ProviderTokens::freshAccessToken(const Account &account, qint64 leewaySecs, QObject *context,
                                      TokenCallback callback)
{
    Q_ASSERT(context);
    if (waitForQueuedStore(account.id,
                           [this, account, leewaySecs, guard = QPointer(context), callback]() {
                               if (guard)
                                   freshAccessToken(account, leewaySecs, guard, callback);
                           }))
        return;
    const Waiter waiter{context, std::move(callback)};
    if (!providerOf(account)) {
        deliverLater(waiter, unknownProvider(account.provider));
        return;
    }
    if (const auto running = m_refreshing.value(account.id)) {
        running->waiters.append(waiter); // one refresh at a time per account (docs/security.md)
        return;
    }
    const auto stored = storedAccount(account, waiter);
    if (!stored)
        return;
    const QDateTime expiresAt = stored->expiresAt;
    if (!expiresAt.isValid() || expiresAt > m_deps.clock.now().addSecs(leewaySecs))
        useStored(*stored, waiter);
    else
        startRefresh(*stored, waiter);
}

void ProviderTokens::refreshNow(const Account &account, QObject *context, TokenCallback callback)
{
    Q_ASSERT(context);
    if (waitForQueuedStore(account.id, [this, account, guard = QPointer(context), callback]() {
            if (guard)
                refreshNow(account, guard, callback);
        }))
        return;
    const Waiter waiter{context, std::move(callback)};
    if (!providerOf(account)) {
        deliverLater(waiter, unknownProvider(account.provider));
        return;
    }
    const auto stored = storedAccount(account, waiter);
    if (!stored)
        return;
    // A plain OAuth token without an expiry (a GitHub OAuth app's) has nothing to renew: it is
    // handed back as is (asking for a refresh would only end in "no refresh token").
    if (providerquirks::isPlainOAuth(*providerOf(account)) && !stored->expiresAt.isValid())
        useStored(*stored, waiter);
    else
        startRefresh(*stored, waiter);
}

std::optional<Account> ProviderTokens::storedAccount(const Account &account, const Waiter &waiter)
{
    if (m_forgetting.contains(account.id)) {
        deliverLater(waiter, signedOutMeanwhile());
        return std::nullopt;
    }
    // As stored now: the caller's copy may predate a refresh.
    auto stored = AccountRepository(m_deps.db).findByProviderAccount(account.provider,
                                                                     account.providerAccountId);
    if (!stored) {
        deliverLater(waiter, stored.error());
        return std::nullopt;
    }
    return stored.value();
}

void ProviderTokens::useStored(const Account &account, const Waiter &waiter)
{
    m_deps.secrets.read(
            tokenKey(account, TokenPurpose::Access), this,
            [this, account, waiter](const Result<QByteArray> &token) {
                if (token && !token->isEmpty()) {
                    deliver(waiter.context, waiter.callback,
                            AccessToken{account.provider, QString::fromUtf8(token.value()),
                                        u"Bearer"_s, account.expiresAt, account.scope});
                    return;
                }
                if (!token && token.error().kind != ErrorKind::NotFound) {
                    deliver(waiter.context, waiter.callback, token.error());
                    return;
                }
                startRefresh(account, waiter); // none kept: a refresh token may still get one
            });
}

void ProviderTokens::startRefresh(const Account &account, const Waiter &waiter)
{
    if (m_forgetting.contains(account.id)) {
        deliverLater(waiter, signedOutMeanwhile());
        return;
    }
    if (const auto running = m_refreshing.value(account.id)) {
        running->waiters.append(waiter);
        return;
    }
    auto refresh = std::make_shared<Refresh>();
    refresh->account = account;
    refresh->waiters.append(waiter);
    m_refreshing.insert(account.id, refresh);
    qCDebug(lcAuth) << "renewing the access token of one" << account.provider << "account";
    m_deps.secrets.read(tokenKey(account, TokenPurpose::Refresh), this,
                        [this, refresh](const Result<QByteArray> &token) {
                            if (refresh->done || refresh->cancelled)
                                return;
                            if (!token && token.error().kind != ErrorKind::NotFound)
                                finishRefresh(refresh, token.error());
                            else if (!token || token->isEmpty())
                                finishRefresh(refresh, noRefreshToken(refresh->account.provider));
                            else
                                requestRefresh(refresh, QString::fromUtf8(token.value()));
                        });
}

void ProviderTokens::requestRefresh(const std::shared_ptr<Refresh> &refresh,
                                    const QString &refreshToken)
{
    const OidcProviderConfig *provider = providerOf(refresh->account);
    Q_ASSERT(provider); // checked by freshAccessToken()
    providerquirks::metadata(
            m_deps.discovery, *provider, m_deps.config.allowHttpLoopbackIssuer, this,
            [this, refresh, provider,
             refreshToken](const Result<oidc::ProviderMetadata> &metadata) {
                if (refresh->done || refresh->cancelled)
                    return;
                if (!metadata) {
                    finishRefresh(refresh, metadata.error()); // the provider is down: tokens kept
                    return;
                }
                refresh->metadata = metadata.value();
                const oidc::RefreshParameters parameters{
                        accountKey(refresh->account),
                        metadata->tokenEndpoint,
                        refreshToken,
                        {},
                        oidc::ClientAuthentication::choose(
                                provider->clientId, provider->clientSecret, metadata.value())};
                m_refresher->refresh(parameters, this,
                                     [this, refresh](const Result<oidc::TokenResponse> &tokens) {
                                         onRefreshed(refresh, tokens);
                                     });
            });
}

void ProviderTokens::persist(const QString &key, const oidc::TokenResponse &tokens,
                             std::function<void(Status)> done)
{
    const auto refresh = m_refreshing.value(key.toLongLong());
    if (!refresh || refresh->cancelled) {
        done(signedOutMeanwhile());
        return;
    }
    // Plain OAuth 2.0 is not OpenID Connect: an ID token it sends proves nothing and is not kept.
    const OidcProviderConfig *provider = providerOf(refresh->account);
    if (provider && providerquirks::isPlainOAuth(*provider)) {
        oidc::TokenResponse kept = tokens;
        kept.idToken.clear();
        writeRefreshed(refresh, kept, std::move(done));
        return;
    }
    if (tokens.idToken.isEmpty()) {
        writeRefreshed(refresh, tokens, std::move(done));
        return;
    }
    checkIdentity(refresh, tokens.idToken, [this, refresh, tokens, done](Status checked) {
        if (!checked || refresh->cancelled)
            done(checked ? Status(signedOutMeanwhile()) : checked);
        else
            writeRefreshed(refresh, tokens, done);
    });
}

void ProviderTokens::checkIdentity(const std::shared_ptr<Refresh> &refresh, const QString &idToken,
                                   std::function<void(Status)> done)
{
    // OIDC Core §12.2: the same signature and claim checks as at sign-in, and the same user.
    const OidcProviderConfig *provider = providerOf(refresh->account);
    Q_ASSERT(provider && m_deps.jwks);
    oidc::IdTokenExpectations expected;
    expected.issuer = refresh->account.issuer;
    expected.clientId = provider->clientId;
    expected.fromRefresh = true;
    expected.subject = refresh->account.providerAccountId;
    providerquirks::applyIdTokenRules(expected, *provider);
    auto *validator =
            new oidc::IdTokenValidator(m_deps.jwks(refresh->metadata), m_deps.clock, this);
    validator->validate(idToken.toLatin1(), expected, this,
                        [validator, done](const Result<oidc::IdToken> &token) {
                            validator->deleteLater();
                            done(token ? Status() : Status(token.error()));
                        });
}

void ProviderTokens::writeRefreshed(const std::shared_ptr<Refresh> &refresh,
                                    const oidc::TokenResponse &tokens,
                                    std::function<void(Status)> done)
{
    // docs/security.md: the rotated refresh token is stored before anyone uses the new access
    // token; it goes first because the provider may already have retired the old one (RFC 9700
    // §4.14.2).
    Entries entries;
    if (!tokens.refreshToken.isEmpty())
        entries.append(
                {tokenKey(refresh->account, TokenPurpose::Refresh), tokens.refreshToken.toUtf8()});
    entries.append({tokenKey(refresh->account, TokenPurpose::Access), tokens.accessToken.toUtf8()});
    writeInOrder(m_deps.secrets, entries, this,
                 [this, refresh, expiresAt = tokens.expiresAt, done](Status written) {
                     if (refresh->cancelled) {
                         // forget() ran meanwhile; these writes may have landed after its erase.
                         erase(refresh->account, [done](Status) { done(signedOutMeanwhile()); });
                         return;
                     }
                     if (written)
                         written = AccountRepository(m_deps.db).setExpiresAt(refresh->account.id,
                                                                             expiresAt);
                     if (written)
                         (void)AccountRepository(m_deps.db).setRefreshed(refresh->account.id,
                                                                         m_deps.clock.now());
                     done(written);
                 });
}

void ProviderTokens::onRefreshed(const std::shared_ptr<Refresh> &refresh,
                                 const Result<oidc::TokenResponse> &tokens)
{
    if (refresh->done || refresh->cancelled)
        return;
    if (tokens) {
        const Account &account = refresh->account;
        finishRefresh(refresh,
                      AccessToken{account.provider, tokens->accessToken, tokens->tokenType,
                                  tokens->expiresAt,
                                  tokens->scope.isEmpty() ? account.scope : tokens->scope});
        return;
    }
    const Error error = tokens.error();
    if (error.kind == ErrorKind::IdTokenInvalid) {
        // The renewed ID token failed a check or names someone else: nothing of it was stored,
        // and this sign-in ends rather than switch the user (docs/security.md).
        endAccount(refresh, error,
                   [this, refresh, error]() { emit identityRejected(refresh->account, error); });
        return;
    }
    if (!oidc::isInvalidGrant(error)) {
        // A network blip or a provider in trouble never signs anyone out: the tokens stay.
        finishRefresh(refresh, error);
        return;
    }
    // RFC 6749 §5.2 invalid_grant: the refresh token is dead. Erase it, never retry
    // (docs/security.md).
    endAccount(refresh, error, [this, refresh]() { emit revoked(refresh->account); });
}

void ProviderTokens::endAccount(const std::shared_ptr<Refresh> &refresh, const Error &error,
                                std::function<void()> announce)
{
    erase(refresh->account, [this, refresh, error, announce](Status erased) {
        if (refresh->done || refresh->cancelled)
            return;
        if (!erased)
            qCWarning(lcAuth) << "could not erase provider tokens:"
                              << errorKindName(erased.error().kind);
        if (auto cleared = AccountRepository(m_deps.db).setExpiresAt(refresh->account.id, {});
            !cleared)
            qCWarning(lcAuth) << "could not clear the token expiry:" << cleared.error().message;
        announce();
        finishRefresh(refresh, error);
    });
}

void ProviderTokens::finishRefresh(const std::shared_ptr<Refresh> &refresh,
                                   const Result<AccessToken> &result)
{
    if (refresh->done)
        return;
    refresh->done = true;
    if (m_refreshing.value(refresh->account.id) == refresh)
        m_refreshing.remove(refresh->account.id);
    for (const Waiter &waiter : std::as_const(refresh->waiters))
        deliver(waiter.context, waiter.callback, result);
}

void ProviderTokens::cancelRefresh(qint64 accountId)
{
    const auto refresh = m_refreshing.take(accountId);
    if (!refresh)
        return;
    refresh->cancelled = true;
    m_refresher->cancel(accountKey(refresh->account));
    // Later: the waiters must not run inside forget().
    QTimer::singleShot(0, this,
                       [this, refresh]() { finishRefresh(refresh, signedOutMeanwhile()); });
}

} // namespace latchkey
