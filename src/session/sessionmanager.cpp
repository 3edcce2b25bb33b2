#include "sessionmanager.h"

#include "core/crashpoint.h"
#include "core/digest.h"
#include "core/logging.h"
#include "core/random.h"
#include "keychain/keychainpolicy.h"
#include "keychain/secretkeys.h"
#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/eventrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

#include <QTimer>

namespace latchkey {

Error notSignedIn()
{
    return Error::make(ErrorKind::Unauthorized, ErrorCode::NotSignedIn,
                       QStringLiteral("Not signed in. Sign in to see this."),
                       QStringLiteral("403"));
}

namespace {

constexpr int kTokenBytes = 32; // 256 bits (docs/security.md, sessions)

} // namespace

SessionManager::SessionManager(Database &db, KeychainPolicy &secrets, const Clock &clock,
                               SessionPolicy policy, QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets), m_clock(clock), m_policy(std::move(policy))
{ }

std::optional<Error> SessionManager::problem() const
{
    if (m_secrets.problem())
        return m_secrets.problem();
    return m_storageProblem;
}

bool SessionManager::persistent() const { return m_secrets.persistent(); }

void SessionManager::setState(SessionState state)
{
    m_state = state;
    emit stateChanged(state);
}

void SessionManager::clearLocal()
{
    m_session.reset();
    m_tokenHash.clear();
}

void SessionManager::restore()
{
    m_state = SessionState::Loading;
    m_secrets.read(secretkeys::sessionToken(), this, [this](Result<QByteArray> token) {
        if (!token) {
            if (token.error().kind == ErrorKind::NotFound) {
                // A locked keyring hides its entries: then nobody can tell whether a session is
                // stored, and the user is asked to unlock instead of being told "signed out".
                m_secrets.isLocked(this, [this](bool locked) {
                    setState(locked ? SessionState::Error : SessionState::SignedOut);
                });
                return;
            }
            // Keychain unavailable or locked: the policy keeps this run's secrets in memory and
            // holds the problem for the user; never a plaintext fallback.
            qCWarning(lcSession) << "cannot read the stored session:"
                                 << errorKindName(token.error().kind);
            setState(SessionState::Error);
            return;
        }
        const QByteArray hash = hashToken(token.value());
        auto session = load(hash, true);
        if (session) {
            m_tokenHash = hash;
            m_session = session.value();
            setState(SessionState::SignedIn);
            return;
        }
        const bool expired = session.error().code == ErrorCode::SessionExpired;
        if (session.error().kind == ErrorKind::Storage) {
            // The database could not be read (locked, damaged): fail closed for this run, but
            // keep the token — the session may still be valid once the database is readable.
            m_storageProblem = session.error();
            setState(SessionState::SignedOut);
            return;
        }
        // The stored token is useless now: erase it so the next start is clean.
        m_secrets.remove(secretkeys::sessionToken(), this, [](Status) {});
        setState(expired ? SessionState::Expired : SessionState::SignedOut);
    });
}

Result<Session> SessionManager::load(const QByteArray &tokenHash, bool renew)
{
    SessionRepository sessions(m_db);
    auto record = sessions.findByTokenHash(tokenHash);
    if (!record)
        return record.error();
    const QDateTime now = m_clock.now();
    if (record->expires <= now) {
        (void)sessions.removeByTokenHash(tokenHash);
        (void)EventRepository(m_db).append(QStringLiteral("sessionExpired"), record->userId, {},
                                           now);
        return Error::make(ErrorKind::Unauthorized, ErrorCode::SessionExpired,
                           QStringLiteral("Your session has expired. Sign in again."),
                           QStringLiteral("expired"));
    }
    auto user = UserRepository(m_db).findById(record->userId);
    if (!user)
        return user.error();
    auto accounts = AccountRepository(m_db).listForUser(record->userId);
    if (!accounts)
        return accounts.error();

    Session session{record->id, user.value(), accounts.value(), record->expires};
    const QDateTime latest = now.addSecs(m_policy.maxAgeSecs);
    // Auth.js updateAge: extend a session that is used, at most once per updateAge.
    const QDateTime issuedAt = record->expires.addSecs(-m_policy.maxAgeSecs);
    const bool renewDue = renew && issuedAt.secsTo(now) >= m_policy.updateAgeSecs;
    // A row that outlives the policy (written under a longer max age, or edited) is cut back to it.
    if (renewDue || record->expires > latest) {
        session.expires = latest;
        if (auto touched = sessions.touch(record->id, now, session.expires); !touched)
            return touched.error();
    }
    return session;
}

Result<Session> SessionManager::validSession()
{
    if (m_state != SessionState::SignedIn || m_tokenHash.isEmpty())
        return notSignedIn();
    auto session = load(m_tokenHash, true);
    if (!session) {
        // Fail closed: whatever went wrong, this session no longer opens anything.
        qCInfo(lcSession) << "session no longer valid:" << errorKindName(session.error().kind);
        const bool expired = session.error().code == ErrorCode::SessionExpired;
        clearLocal();
        m_secrets.remove(secretkeys::sessionToken(), this, [](Status) {});
        setState(expired ? SessionState::Expired : SessionState::SignedOut);
        return expired ? session.error() : notSignedIn();
    }
    m_session = session.value();
    return session;
}

void SessionManager::establish(qint64 userId, const QString &method, QObject *context,
                               SessionCallback callback)
{
    const QByteArray token = random::base64Url(kTokenBytes).toLatin1();
    const QByteArray hash = hashToken(token);
    const QDateTime now = m_clock.now();

    // Crash consistency (docs/security.md): the previous row goes first, then the new token is
    // kept, and only then is its row written. A process killed between any two steps leaves at
    // worst a token without a row, which the next start erases; never a row no token opens.
    if (!m_tokenHash.isEmpty())
        (void)SessionRepository(m_db).removeByTokenHash(m_tokenHash);

    QPointer<QObject> guard(context);
    // When the keychain refuses, the policy keeps the token in memory for this run and says so.
    m_secrets.write(secretkeys::sessionToken(), token, this,
                    [this, hash, userId, method, now, guard, callback](Status) {
                        crashPoint("signin-session-token-stored");
                        Result<Session> session = createRow(hash, userId, method, now);
                        if (session) {
                            crashPoint("signin-session-row-created");
                            m_tokenHash = hash;
                            m_session = session.value();
                            setState(SessionState::SignedIn);
                        } else {
                            // No row: the token opens nothing, so it goes too.
                            m_secrets.remove(secretkeys::sessionToken(), this, [](Status) {});
                            clearLocal();
                            setState(SessionState::SignedOut);
                        }
                        if (guard)
                            callback(session);
                    });
}

Result<Session> SessionManager::createRow(const QByteArray &hash, qint64 userId,
                                          const QString &method, const QDateTime &now)
{
    auto created = m_db.transaction([&]() -> Result<SessionRecord> {
        auto record = SessionRepository(m_db).create(hash, userId, now.addSecs(m_policy.maxAgeSecs),
                                                     m_policy.deviceName, now);
        if (record)
            (void)EventRepository(m_db).append(QStringLiteral("signIn"), userId, method, now);
        return record;
    });
    if (!created)
        return created.error();
    return load(hash, false);
}

void SessionManager::endVolatileSession()
{
    // A session the keychain refused lives only as long as this process: its row must not
    // outlive it (a row without its token can never be used again).
    if (m_secrets.persistent() || m_tokenHash.isEmpty())
        return;
    if (auto removed = SessionRepository(m_db).removeByTokenHash(m_tokenHash); !removed)
        qCWarning(lcSession) << "could not remove this run's session:" << removed.error().message;
    clearLocal();
}

void SessionManager::signOut(QObject *context, DoneCallback callback)
{
    const QDateTime now = m_clock.now();
    if (!m_tokenHash.isEmpty()) {
        SessionRepository sessions(m_db);
        (void)sessions.removeByTokenHash(m_tokenHash);
        (void)EventRepository(m_db).append(
                QStringLiteral("signOut"),
                m_session ? std::optional<qint64>(m_session->user.id) : std::nullopt, {}, now);
        crashPoint("signout-session-row-removed");
    }
    clearLocal();
    QPointer<QObject> guard(context);
    m_secrets.remove(secretkeys::sessionToken(), this, [this, guard, callback](Status removed) {
        setState(SessionState::SignedOut);
        if (guard)
            callback(removed);
    });
}

} // namespace latchkey
