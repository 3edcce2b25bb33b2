#include "authservice.h"

#include "auth/accountlinker.h"
#include "auth/oidcsigninflow.h"
#include "core/emailaddress.h"
#include "core/logging.h"
#include "core/random.h"
#include "email/emailsigninflow.h"
#include "email/verificationservice.h"
#include "keychain/secretkeys.h"
#include "keychain/secretstore.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "oidc/revocationjob.h"
#include "session/sessionmanager.h"
#include "storage/database.h"
#include "storage/eventrepository.h"
#include "storage/sessionrepository.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QRegularExpression>
#include <QSysInfo>

namespace latchkey {

namespace {

constexpr int kInstallSecretBytes = 32;

MailAddress parseFrom(const QString &from)
{
    static const QRegularExpression named(QStringLiteral("^\\s*([^<>\"]*?)\\s*<([^<>]+)>\\s*$"));
    const auto match = named.match(from);
    if (match.hasMatch())
        return MailAddress{match.captured(2).trimmed(), match.captured(1)};
    return MailAddress{from.trimmed(), {}};
}

QString iso(const QDateTime &at) { return at.toUTC().toString(Qt::ISODate); }

} // namespace

AuthService::AuthService(const Config &config, Database &db, SecretStore &keychain,
                         SecretStore &memory, Mailer &mailer, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(config), m_db(db), m_keychain(keychain), m_memory(memory),
      m_mailer(mailer), m_clock(clock), m_linker(std::make_unique<AccountLinker>(db, clock)),
      m_from(parseFrom(config.email.from))
{
    SessionPolicy policy;
    policy.maxAgeSecs = config.sessionMaxAgeSecs;
    policy.updateAgeSecs = config.sessionUpdateAgeSecs;
    policy.deviceName = QSysInfo::machineHostName();
    m_sessions = std::make_unique<SessionManager>(db, keychain, memory, clock, policy);
    m_network = new QNetworkAccessManager(this);
    m_discovery = new oidc::DiscoveryCache(oidc::networkDocumentFetcher(m_network), clock, this);
}

AuthService::~AuthService() = default;

void AuthService::initialize(QObject *context, std::function<void()> done)
{
    QPointer<QObject> guard(context);
    auto remaining = std::make_shared<int>(2);
    auto one = [guard, remaining, done]() {
        if (--*remaining == 0 && guard)
            done();
    };
    connect(m_sessions.get(), &SessionManager::stateChanged, this,
            [this, one, fired = std::make_shared<bool>(false)](SessionState) {
                if (*fired)
                    return;
                *fired = true;
                // Background housekeeping: expired rows never pile up (DESIGN.md §8).
                (void)m_db.purgeExpired(m_clock.now());
                one();
            });
    m_sessions->restore();
    loadInstallSecret(one);
}

void AuthService::loadInstallSecret(std::function<void()> done)
{
    auto use = [this, done](const QByteArray &secret) {
        m_verification = std::make_unique<VerificationService>(m_db, m_clock, secret);
        done();
    };
    m_keychain.read(secretkeys::installSecret(), this, [this, use](Result<QByteArray> stored) {
        if (stored && stored->size() >= kInstallSecretBytes) {
            use(stored.value());
            return;
        }
        const QByteArray fresh = random::bytes(kInstallSecretBytes);
        if (!stored && stored.error().kind != ErrorKind::NotFound) {
            // Keychain unavailable: codes work for this run only (the session manager tells
            // the user about the keychain).
            qCWarning(lcAuth) << "install secret kept in memory:" << stored.error().message;
            use(fresh);
            return;
        }
        m_keychain.write(secretkeys::installSecret(), fresh, this,
                         [use, fresh](Status) { use(fresh); });
    });
}

Result<EmailSignInFlow *> AuthService::createEmailSignIn(const QString &address, QObject *parent)
{
    auto canonical = canonicalizeEmail(address);
    if (!canonical)
        return canonical.error();
    if (!m_verification)
        return Error::make(ErrorKind::Protocol, tr("Latchkey is still starting. Try again."));
    EmailSignInDeps deps{*m_verification, m_mailer, *m_linker, *m_sessions, m_from};
    return new EmailSignInFlow(deps, canonical.value(), parent);
}

Result<EmailSignInFlow *> AuthService::resumeEmailSignIn(QObject *parent)
{
    if (!m_verification)
        return Error::make(ErrorKind::Protocol, tr("Latchkey is still starting. Try again."));
    auto pending = m_verification->newestPending();
    if (!pending)
        return pending.error();
    EmailSignInDeps deps{*m_verification, m_mailer, *m_linker, *m_sessions, m_from};
    auto *flow = new EmailSignInFlow(deps, pending->identifier, parent);
    flow->resume(pending.value());
    return flow;
}

oidc::JwksCache &AuthService::jwksFor(const oidc::ProviderMetadata &metadata)
{
    const QString key = metadata.jwksUri.toString();
    auto *&cache = m_jwks[key];
    if (!cache)
        cache = new oidc::JwksCache(metadata.jwksUri, oidc::networkDocumentFetcher(m_network),
                                    m_clock, this);
    return *cache;
}

Result<OidcSignInFlow *> AuthService::createOidcSignIn(const QString &providerId,
                                                       BrowserLauncher *browser, QObject *parent)
{
    const OidcProviderConfig *provider = m_config.provider(providerId);
    if (!provider) {
        QStringList ids;
        for (const auto &configured : m_config.providers)
            ids.append(configured.id);
        return Error::make(ErrorKind::Config,
                           tr("There is no sign-in provider \"%1\". Configured: %2.")
                                   .arg(providerId, ids.isEmpty() ? tr("none") : ids.join(u", ")));
    }
    OidcSignInDeps deps{*provider,
                        m_config.allowHttpLoopbackIssuer,
                        *m_network,
                        *m_discovery,
                        [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                            return jwksFor(metadata);
                        },
                        browser,
                        *m_linker,
                        *m_sessions,
                        m_db,
                        m_clock};
    return new OidcSignInFlow(std::move(deps), parent);
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

Result<QJsonObject> AuthService::protectedData()
{
    auto session = m_sessions->validSession();
    if (!session)
        return session.error();
    QJsonArray activity;
    if (auto events = EventRepository(m_db).recent(200)) {
        for (const Event &event : events.value()) {
            if (event.userId != session->user.id)
                continue;
            activity.append(QJsonObject{{QStringLiteral("at"), iso(event.at)},
                                        {QStringLiteral("event"), event.kind},
                                        {QStringLiteral("detail"), event.detail}});
            if (activity.size() >= 20)
                break;
        }
    }
    int sessionCount = 0;
    if (auto sessions = SessionRepository(m_db).listForUser(session->user.id))
        sessionCount = int(sessions->size());
    return QJsonObject{
            {QStringLiteral("content"),
             tr("This is protected content. You can access it because you are signed in.")},
            {QStringLiteral("user"), session->user.email},
            {QStringLiteral("activeSessions"), sessionCount},
            {QStringLiteral("recentActivity"), activity},
    };
}

void AuthService::signOut(QObject *context, std::function<void(Status)> done)
{
    const QList<Account> accounts =
            m_sessions->current() ? m_sessions->current()->accounts : QList<Account>();
    QPointer<QObject> guard(context);
    m_sessions->signOut(this, [this, accounts, guard, done](Status signedOut) {
        forgetProviderTokens(accounts, [guard, done, signedOut]() {
            if (guard)
                done(signedOut);
        });
    });
}

void AuthService::forgetProviderTokens(const QList<Account> &accounts, std::function<void()> done)
{
    auto pending = std::make_shared<int>(1);
    auto one = [pending, done]() {
        if (--*pending == 0)
            done();
    };
    for (const Account &account : accounts) {
        const OidcProviderConfig *provider = m_config.provider(account.provider);
        if (account.type != Account::Type::Oidc || !provider)
            continue;
        ++*pending;
        const QString id = QString::number(account.id);
        const QStringList keys{
                secretkeys::providerToken(account.provider, id, secretkeys::TokenPurpose::Refresh),
                secretkeys::providerToken(account.provider, id, secretkeys::TokenPurpose::Access),
        };
        // Read both tokens, erase the entries at once (nothing usable stays on disk even if the
        // app quits now), then revoke the refresh token (which also ends its access tokens at
        // most providers), else the access token.
        SecretStore &secrets = m_sessions->secrets();
        secrets.read(
                keys[0], this, [this, keys, provider, one, &secrets](Result<QByteArray> refresh) {
                    secrets.read(
                            keys[1], this,
                            [this, keys, provider, one, refresh,
                             &secrets](Result<QByteArray> access) {
                                secrets.remove(
                                        keys[0], this,
                                        [this, keys, provider, one, refresh, access,
                                         &secrets](Status) {
                                            secrets.remove(
                                                    keys[1], this,
                                                    [this, provider, one, refresh, access](Status) {
                                                        if (refresh && !refresh->isEmpty())
                                                            revoke(*provider,
                                                                   QString::fromUtf8(
                                                                           refresh.value()),
                                                                   QStringLiteral("refresh_token"),
                                                                   one);
                                                        else if (access && !access->isEmpty())
                                                            revoke(*provider,
                                                                   QString::fromUtf8(
                                                                           access.value()),
                                                                   QStringLiteral("access_token"),
                                                                   one);
                                                        else
                                                            one();
                                                    });
                                        });
                            });
                });
    }
    one();
}

void AuthService::revoke(const OidcProviderConfig &provider, const QString &token,
                         const QString &tokenTypeHint, std::function<void()> done)
{
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = m_config.allowHttpLoopbackIssuer;
    m_discovery->metadata(
            provider.issuer.toString(), options, this,
            [this, &provider, token, tokenTypeHint,
             done](const Result<oidc::ProviderMetadata> &metadata) {
                if (!metadata || metadata->revocationEndpoint.isEmpty()) {
                    done(); // RFC 7009 is optional: nothing to revoke at this provider
                    return;
                }
                auto *job = new oidc::RevocationJob(
                        *m_network, metadata->revocationEndpoint, token, tokenTypeHint,
                        clientAuthentication(provider, metadata.value()), this);
                connect(job, &oidc::RevocationJob::finished, this,
                        [job, done](const Status &revoked) {
                            job->deleteLater();
                            if (!revoked)
                                qCInfo(lcAuth)
                                        << "token revocation failed:" << revoked.error().message;
                            done();
                        });
                job->start();
            });
}

QStringList AuthService::deviceSessions()
{
    QStringList lines;
    const auto &session = m_sessions->current();
    if (!session)
        return lines;
    auto records = SessionRepository(m_db).listForUser(session->user.id);
    if (!records)
        return lines;
    for (const SessionRecord &record : records.value()) {
        QString line =
                tr("%1 — last active %2, expires %3")
                        .arg(record.deviceName.isEmpty() ? tr("Unknown device") : record.deviceName,
                             record.lastSeenAt.toLocalTime().toString(Qt::ISODate),
                             record.expires.toLocalTime().toString(Qt::ISODate));
        if (record.id == session->sessionId)
            line += tr(" (this session)");
        lines.append(line);
    }
    return lines;
}

QJsonObject AuthService::sessionJson() const
{
    const auto &session = m_sessions->current();
    if (m_sessions->state() != SessionState::SignedIn || !session)
        return {};
    QJsonArray methods;
    for (const Account &account : session->accounts)
        methods.append(account.provider);
    return QJsonObject{
            {QStringLiteral("user"),
             QJsonObject{{QStringLiteral("id"), QString::number(session->user.id)},
                         {QStringLiteral("name"), session->user.name},
                         {QStringLiteral("email"), session->user.email},
                         {QStringLiteral("image"), session->user.image}}},
            {QStringLiteral("methods"), methods},
            {QStringLiteral("expires"), iso(session->expires)},
    };
}

} // namespace latchkey
