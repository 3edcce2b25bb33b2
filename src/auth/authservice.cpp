#include "authservice.h"

#include "auth/accountlinker.h"
#include "auth/emailsigninflow.h"
#include "auth/oidcdevicesigninflow.h"
#include "auth/oidcsigninflow.h"
#include "auth/providerquirks.h"
#include "core/crashpoint.h"
#include "core/emailaddress.h"
#include "core/logging.h"
#include "core/random.h"
#include "email/verificationservice.h"
#include "keychain/keychainpolicy.h"
#include "keychain/secretkeys.h"
#include "net/proxy.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "session/sessionmanager.h"
#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/eventrepository.h"
#include "storage/userrepository.h"
#include "storage/verificationtokenrepository.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSysInfo>
#include <QTimer>

#include <algorithm>

namespace latchkey {

namespace {

constexpr int kInstallSecretBytes = 32;
// A moment after start: long enough for the first view to be painted, short enough that a
// command that waits (a sign-in, a sign-out's revocations) still does it.
constexpr int kHousekeepingDelayMs = 1000;

MailAddress parseFrom(const QString &from)
{
    const NamedAddress sender = splitNamedAddress(from);
    return MailAddress{sender.address, sender.name};
}

Error noAccountAt(const QString &providerId, const QString &label)
{
    Error error = Error::make(ErrorKind::NotFound, ErrorCode::NoProviderAccount,
                              QStringLiteral("No account at provider \"%1\" is linked to this "
                                             "user.")
                                      .arg(providerId),
                              QStringLiteral("no_account"));
    error.subject = label; // what the person knows it by: "Google"
    return error;
}

} // namespace

AuthService::AuthService(const Config &config, Database &db, KeychainPolicy &secrets,
                         Mailer &mailer, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(config), m_db(db), m_secrets(secrets), m_mailer(mailer),
      m_clock(clock), m_policy(config),
      m_linker(std::make_unique<AccountLinker>(db, clock, &m_policy)),
      m_from(parseFrom(config.email.from))
{
    SessionPolicy policy;
    policy.maxAgeSecs = std::min(config.sessionMaxAgeSecs, Options::kMaxSessionAgeSecs);
    policy.updateAgeSecs = std::min(config.sessionUpdateAgeSecs, policy.maxAgeSecs);
    policy.strategy = config.sessionStrategy;
    policy.deviceName = QSysInfo::machineHostName();
    m_sessions = std::make_unique<SessionManager>(db, secrets, clock, policy);
    m_network = new QNetworkAccessManager(this);
    net::useProxySettings(*m_network);
    m_discovery = new oidc::DiscoveryCache(oidc::networkDocumentFetcher(m_network), clock, this);
    m_tokens = new ProviderTokens(
            ProviderTokensDeps{config, db, secrets, *m_network, *m_discovery, clock,
                               [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                                   return jwksFor(metadata);
                               }},
            this);
}

AuthService::~AuthService() = default;

void AuthService::initialize(QObject *context, std::function<void()> done)
{
    QPointer<QObject> guard(context);
    connect(m_sessions.get(), &SessionManager::stateChanged, this,
            [this, guard, done, fired = std::make_shared<bool>(false)](SessionState state) {
                if (*fired)
                    return;
                *fired = true;
                // Housekeeping, off the start-up path: expired rows and old activity never pile
                // up (docs/architecture.md), and the first view is painted before it runs.
                QTimer::singleShot(kHousekeepingDelayMs, this,
                                   [this]() { (void)m_db.purgeExpired(m_clock.now()); });
                // What a crash in a sign-in or sign-out left in the keychain goes now, but only
                // when the keychain could be read (a locked one hides entries that exist).
                if (state != SessionState::Error && m_secrets.persistent()) {
                    m_tokens->retryRevocations(); // what a provider out of reach left queued
                    m_tokens->forgetLeftovers();
                }
                if (guard)
                    done();
            });
    m_sessions->restore();
    // The install secret is read when an email sign-in first needs it (whenEmailReady), never at
    // start: a start reads the session token and nothing else from the keychain.
}

void AuthService::whenEmailReady(QObject *context, std::function<void()> fn)
{
    if (m_verification) {
        QTimer::singleShot(0, context, std::move(fn));
        return;
    }
    m_emailWaiters.append({QPointer<QObject>(context), std::move(fn)});
    if (m_emailWaiters.size() == 1)
        loadInstallSecret(); // the first waiter starts the one read; later ones wait with it
}

void AuthService::loadInstallSecret()
{
    auto use = [this](const QByteArray &secret) {
        m_verification = std::make_unique<VerificationService>(m_db, m_clock, secret);
        for (const auto &[context, fn] : std::exchange(m_emailWaiters, {})) {
            if (context)
                fn();
        }
    };
    m_secrets.read(secretkeys::installSecret(), this, [this, use](Result<QByteArray> stored) {
        if (stored && stored->size() >= kInstallSecretBytes) {
            use(stored.value());
            return;
        }
        // First run (or the keychain failed: then the policy keeps it in memory for this run and
        // codes work until the app quits; the session manager tells the user).
        const QByteArray fresh = random::bytes(kInstallSecretBytes);
        m_secrets.write(secretkeys::installSecret(), fresh, this,
                        [use, fresh](Status) { use(fresh); });
    });
}

Result<EmailSignInFlow *> AuthService::createEmailSignIn(const QString &address, QObject *parent)
{
    auto canonical = canonicalizeEmail(address);
    if (!canonical)
        return canonical.error();
    // Refused before any mail goes out (AccountLinker asks again when the link or code comes).
    if (auto allowed = m_policy.allows(SignInPolicy::byEmail(canonical.value())); !allowed) {
        recordSignInFailure(QStringLiteral("email"), allowed.error(), std::nullopt);
        return allowed.error();
    }
    if (!m_verification)
        return Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                           QStringLiteral("Latchkey is still starting. Try again."));
    EmailSignInDeps deps{*m_verification, m_mailer, *m_linker, *m_sessions, m_from, m_clock};
    return new EmailSignInFlow(deps, canonical.value(), parent);
}

void AuthService::beginEmailSignIn(EmailSignInFlow &flow)
{
    Q_ASSERT(m_verification); // createEmailSignIn() made the flow
    if (auto pending = m_verification->pendingFor(flow.address()))
        flow.resume(pending.value());
    else
        flow.start();
}

bool AuthService::hasPendingEmail() const
{
    return VerificationTokenRepository(m_db).findNewestPending(m_clock.now()).ok();
}

Result<EmailSignInFlow *> AuthService::resumeEmailSignIn(QObject *parent)
{
    if (!m_verification)
        return Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                           QStringLiteral("Latchkey is still starting. Try again."));
    auto pending = m_verification->newestPending();
    if (!pending)
        return pending.error();
    EmailSignInDeps deps{*m_verification, m_mailer, *m_linker, *m_sessions, m_from, m_clock};
    auto *flow = new EmailSignInFlow(deps, pending->identifier, parent);
    flow->resume(pending.value());
    return flow;
}

oidc::JwksCache &AuthService::jwksFor(const oidc::ProviderMetadata &metadata)
{
    const QString key = metadata.jwksUri.toString();
    auto *&cache = m_jwks[key];
    if (!cache) {
        cache = new oidc::JwksCache(metadata.jwksUri, oidc::networkDocumentFetcher(m_network),
                                    m_clock, this);
        // Kept in the data dir (next to the database without one, as the pictures are), so the
        // next run signs in without fetching the keys again; an in-memory database keeps nothing.
        if (const QString folder = m_config.dataFolder(); !folder.isEmpty())
            cache->setStoreFile(QDir(folder).filePath(QStringLiteral("jwks.json")));
    }
    return *cache;
}

Result<const OidcProviderConfig *> AuthService::configuredProvider(const QString &providerId) const
{
    if (const OidcProviderConfig *provider = m_config.provider(providerId))
        return provider;
    QStringList ids;
    for (const auto &configured : m_config.providers)
        ids.append(configured.id);
    Error error = Error::make(
            ErrorKind::Config, ErrorCode::UnknownProvider,
            QStringLiteral("There is no sign-in provider \"%1\". "
                           "Configured: %2.")
                    .arg(providerId, ids.isEmpty() ? QStringLiteral("none") : ids.join(u", ")),
            ids.join(u", "));
    error.subject = providerId;
    return error;
}

OidcSignInDeps AuthService::oidcDeps(const OidcProviderConfig &provider, BrowserLauncher *browser)
{
    return OidcSignInDeps{provider,
                          m_config.allowHttpLoopbackIssuer,
                          *m_network,
                          *m_discovery,
                          [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                              return jwksFor(metadata);
                          },
                          browser,
                          *m_linker,
                          *m_sessions,
                          *m_tokens,
                          m_clock};
}

Result<OidcSignInFlow *> AuthService::createOidcSignIn(const QString &providerId,
                                                       BrowserLauncher *browser, QObject *parent)
{
    auto provider = configuredProvider(providerId);
    if (!provider)
        return provider.error();
    return new OidcSignInFlow(oidcDeps(*provider.value(), browser), parent);
}

Result<OidcDeviceSignInFlow *> AuthService::createOidcDeviceSignIn(const QString &providerId,
                                                                   QObject *parent)
{
    auto provider = configuredProvider(providerId);
    if (!provider)
        return provider.error();
    return new OidcDeviceSignInFlow(oidcDeps(*provider.value(), nullptr), parent);
}

void AuthService::checkDeviceSignIn(const QString &providerId, QObject *context,
                                    std::function<void(const Result<bool> &)> callback)
{
    auto provider = configuredProvider(providerId);
    if (!provider) {
        QTimer::singleShot(0, context, [callback, error = provider.error()]() { callback(error); });
        return;
    }
    providerquirks::metadata(*m_discovery, *provider.value(), m_config.allowHttpLoopbackIssuer,
                             context, [callback](const Result<oidc::ProviderMetadata> &metadata) {
                                 if (!metadata) {
                                     callback(metadata.error());
                                     return;
                                 }
                                 callback(!metadata->deviceAuthorizationEndpoint.isEmpty());
                             });
}

Result<OidcSignInFlow *> AuthService::createOidcLink(const QString &providerId,
                                                     BrowserLauncher *browser, QObject *parent)
{
    auto session = m_sessions->validSession();
    if (!session)
        return session.error();
    auto flow = createOidcSignIn(providerId, browser, parent);
    if (flow)
        flow.value()->setLinkToUser(session->user.id);
    return flow;
}

Result<ProtectedData> AuthService::protectedData()
{
    auto session = m_sessions->validSession();
    if (!session)
        return session.error();
    ProtectedData data;
    data.user = session->user;
    if (auto events = EventRepository(m_db).recent(200)) {
        for (const Event &event : events.value()) {
            if (event.userId != session->user.id)
                continue;
            data.recentActivity.append(activityFrom(event));
            if (data.recentActivity.size() >= 20)
                break;
        }
    }
    if (auto sessions = m_sessions->sessions())
        data.activeSessions = int(sessions->size());
    return data;
}

LastSignIn AuthService::lastSignIn()
{
    auto event = EventRepository(m_db).newest(QStringLiteral("signIn"));
    if (!event || !event.value() || !event.value()->userId)
        return {};
    LastSignIn last;
    last.providerId = event.value()->detail;
    if (last.providerId != u"email")
        return last;
    if (auto accounts = AccountRepository(m_db).listForUser(*event.value()->userId)) {
        for (const Account &account : accounts.value()) {
            if (account.provider == u"email")
                last.email = account.providerAccountId;
        }
    }
    return last;
}

QString AuthService::signInMethodOf(const QString &address)
{
    const auto user = UserRepository(m_db).findByEmail(address);
    if (!user)
        return {};
    const auto accounts = AccountRepository(m_db).listForUser(user->id);
    return accounts && !accounts->isEmpty() ? accounts->first().provider : QString();
}

void AuthService::recordSignInFailure(const QString &method, const Error &error,
                                      std::optional<qint64> userId)
{
    if (error.kind == ErrorKind::Cancelled)
        return;
    (void)EventRepository(m_db).append(QStringLiteral("signInFailed"), userId,
                                       method + u':' + errorCodeName(error.code), m_clock.now());
}

ActivityEntry activityFrom(const Event &event)
{
    ActivityEntry entry;
    entry.at = event.at;
    entry.event = event.kind;
    entry.userId = event.userId.value_or(0);
    entry.detail = event.detail;
    if (event.kind == u"signIn" || event.kind == u"linkAccount" || event.kind == u"unlinkAccount") {
        entry.providerId = event.detail;
    } else if (event.kind == u"signInFailed") {
        entry.providerId = event.detail.section(u':', 0, 0);
        const QString code = event.detail.section(u':', 1);
        // Every code has a name; the first value without one ("unknown") ends the list.
        for (int i = 0;; ++i) {
            const QString name = errorCodeName(ErrorCode(i));
            if (name == u"unknown")
                break;
            if (name == code) {
                entry.error = ErrorCode(i);
                break;
            }
        }
    }
    return entry;
}

void AuthService::signOut(QObject *context, std::function<void(Status)> done)
{
    const QList<Account> accounts =
            m_sessions->current() ? m_sessions->current()->accounts : QList<Account>();
    QPointer<QObject> guard(context);
    m_sessions->signOut(this, [this, accounts, guard, done](Status signedOut) {
        crashPoint("signout-session-token-removed");
        m_tokens->forget(accounts, this, [guard, done, signedOut]() {
            if (guard)
                done(signedOut);
        });
    });
}

void AuthService::signOutAll(QObject *context, std::function<void(Status)> done)
{
    QList<qint64> users;
    for (const SignedInAccount &account : m_sessions->accounts().valueOr({}))
        users.append(account.user.id);
    if (const auto &current = m_sessions->current(); current && !users.contains(current->user.id))
        users.append(current->user.id);
    if (users.isEmpty()) {
        signOut(context, std::move(done)); // e.g. the keyring was locked at start
        return;
    }
    QList<Account> methods;
    for (qint64 user : users)
        methods.append(AccountRepository(m_db).listForUser(user).valueOr({}));
    struct Progress
    {
        qsizetype pending = 0;
        Status status;
    };
    auto progress = std::make_shared<Progress>();
    progress->pending = users.size();
    QPointer<QObject> guard(context);
    for (qint64 user : users) {
        m_sessions->signOutAccount(user, this,
                                   [this, progress, methods, guard, done](const Status &signedOut) {
                                       if (!signedOut && progress->status)
                                           progress->status = signedOut;
                                       if (--progress->pending > 0)
                                           return;
                                       m_tokens->forget(methods, this, [progress, guard, done]() {
                                           if (guard)
                                               done(progress->status);
                                       });
                                   });
    }
}

Status AuthService::unlinkAccount(qint64 accountId)
{
    auto session = recentSession();
    if (!session)
        return session.error();
    const auto &methods = session->accounts;
    const auto it = std::find_if(methods.cbegin(), methods.cend(),
                                 [accountId](const Account &a) { return a.id == accountId; });
    if (it == methods.cend())
        return Error::make(ErrorKind::NotFound, ErrorCode::NotFound,
                           QStringLiteral("That sign-in method is not linked to this account."));
    if (methods.size() <= 1)
        return Error::make(ErrorKind::InvalidInput, ErrorCode::LastSignInMethod,
                           QStringLiteral("The only sign-in method cannot be unlinked."));
    const Account account = *it;
    if (auto removed = AccountRepository(m_db).remove(accountId); !removed)
        return removed;
    (void)EventRepository(m_db).append(QStringLiteral("unlinkAccount"), session->user.id,
                                       account.provider, m_clock.now());
    // Its tokens go from the keychain and are revoked; the session stays.
    if (account.type == Account::Type::Oidc)
        m_tokens->forget({account}, this, []() {});
    (void)m_sessions->validSession(); // the cached session lists one method fewer
    return {};
}

void AuthService::deleteLocalData(QObject *context, std::function<void(Status)> done)
{
    auto session = recentSession();
    QPointer<QObject> guard(context);
    if (!session) {
        const Error error = session.error();
        QTimer::singleShot(0, this, [guard, done, error]() {
            if (guard)
                done(error);
        });
        return;
    }
    const User user = session->user;
    (void)m_sessions->endOtherSessions();
    // Sign-out first: the session, its keychain entry and every provider token (revoked). Then
    // the rows: the user, with its sign-in methods, device entry and sessions (cascade), its
    // activity and any email sign-in waiting for its address.
    signOut(this, [this, user, guard, done](Status signedOut) {
        auto removed = m_db.transaction([&]() -> Status {
            if (auto events = EventRepository(m_db).removeForUser(user.id); !events)
                return events.error();
            if (!user.email.isEmpty()) {
                if (auto pending =
                            VerificationTokenRepository(m_db).removeForIdentifier(user.email);
                    !pending)
                    return pending.error();
            }
            return UserRepository(m_db).remove(user.id);
        });
        if (guard)
            done(removed ? signedOut : removed);
    });
}

Status AuthService::revokeSession(qint64 sessionId)
{
    if (auto session = m_sessions->validSession(); !session)
        return session.error();
    return m_sessions->endSession(sessionId);
}

Result<int> AuthService::signOutOtherSessions()
{
    if (auto session = m_sessions->validSession(); !session)
        return session.error();
    return m_sessions->endOtherSessions();
}

Result<Session> AuthService::recentSession()
{
    auto session = m_sessions->validSession();
    if (!session)
        return session;
    if (needsStepUp(session.value()))
        return Error::make(ErrorKind::Unauthorized, ErrorCode::StepUpRequired,
                           QStringLiteral("This needs a sign-in within the last 10 minutes."));
    return session;
}

Result<QObject *> AuthService::createStepUp(BrowserLauncher *browser, QObject *parent)
{
    auto session = m_sessions->validSession();
    if (!session)
        return session.error();
    // The method the session signed in with, while it is linked, configured and able to prove a
    // fresh sign-in; else email, else another such provider of the user's. A plain OAuth 2.0
    // provider (GitHub, OAuth2) cannot, and is tried only when nothing else is left, so that the
    // person hears why (StepUpUnavailable).
    QString provider;
    QString plainOAuth;
    bool email = false;
    for (const Account &account : session->accounts) {
        const ProviderOptions *options = m_config.provider(account.provider);
        if (account.type == Account::Type::Email)
            email = true;
        else if (options && providerquirks::isPlainOAuth(*options))
            plainOAuth = account.provider;
        else if (options && (provider.isEmpty() || account.provider == session->method))
            provider = account.provider;
    }
    if (provider.isEmpty() && !email)
        provider = plainOAuth;
    if (!provider.isEmpty() && (provider == session->method || !email)) {
        auto flow = createOidcSignIn(provider, browser, parent);
        if (!flow)
            return flow.error();
        flow.value()->setConfirmUser(session->user.id);
        return static_cast<QObject *>(flow.value());
    }
    if (!m_verification)
        return Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                           QStringLiteral("Latchkey is still starting. Try again."));
    if (!email || session->user.email.isEmpty())
        return Error::make(ErrorKind::NotFound, ErrorCode::NoProviderAccount,
                           QStringLiteral("There is no way left to confirm this account."));
    EmailSignInDeps deps{*m_verification, m_mailer, *m_linker, *m_sessions, m_from, m_clock};
    auto *flow = new EmailSignInFlow(deps, session->user.email, parent);
    flow->setConfirmUser(session->user.id);
    return static_cast<QObject *>(flow);
}

void AuthService::signOutEverywhere(QObject *context, std::function<void(Status)> done)
{
    auto session = recentSession();
    if (!session) {
        const Error error = session.error();
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, done, error]() {
            if (guard)
                done(error);
        });
        return;
    }
    (void)m_sessions->endOtherSessions();
    // signOut() ends this session and erases and revokes the tokens of every provider account.
    signOut(context, std::move(done));
}

void AuthService::withFreshAccessToken(const QString &providerId, QObject *context,
                                       std::function<void(const Result<AccessToken> &)> callback,
                                       TokenRenewal renewal)
{
    Q_ASSERT(context);
    auto session = m_sessions->validSession();
    const Account *account = nullptr;
    if (session) {
        for (const Account &linked : session->accounts) {
            if (linked.type == Account::Type::Oidc && linked.provider == providerId) {
                account = &linked;
                break;
            }
        }
    }
    if (!account) {
        const OidcProviderConfig *provider = m_config.provider(providerId);
        const Error error = session
                ? noAccountAt(providerId, provider ? provider->label : providerId)
                : session.error();
        QTimer::singleShot(0, context, [callback, error]() { callback(error); });
        return;
    }
    if (renewal == TokenRenewal::Now)
        m_tokens->refreshNow(*account, context, std::move(callback));
    else
        m_tokens->freshAccessToken(*account, m_config.refreshLeewaySecs, context,
                                   std::move(callback));
}

Result<QList<DeviceSession>> AuthService::deviceSessions()
{
    const auto &session = m_sessions->current();
    auto records = m_sessions->sessions();
    if (!records)
        return records.error();
    QList<DeviceSession> list;
    for (const SessionRecord &record : records.value())
        list.append(DeviceSession{record.id, record.deviceName, record.createdAt, record.lastSeenAt,
                                  record.expires, record.id == session->sessionId});
    return list;
}

} // namespace latchkey
