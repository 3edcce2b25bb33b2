#include "sessionmanager.h"

#include "core/crashpoint.h"
#include "core/digest.h"
#include "core/logging.h"
#include "core/random.h"
#include "keychain/keychainpolicy.h"
#include "keychain/secretkeys.h"
#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/devicerepository.h"
#include "storage/eventrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

#include <QTimer>

#include <algorithm>

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

Error sessionExpired()
{
    return Error::make(ErrorKind::Unauthorized, ErrorCode::SessionExpired,
                       QStringLiteral("Your session has expired. Sign in again."),
                       QStringLiteral("expired"));
}

// Set by the schema upgrade on a database that had sessions: read the old keychain entry once.
QString SessionManager::legacySessionKey() { return QStringLiteral("legacy_session"); }

SessionManager::SessionManager(Database &db, KeychainPolicy &secrets, const Clock &clock,
                               SessionPolicy policy, QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets), m_clock(clock), m_policy(std::move(policy))
{
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this]() {
        if (m_state != SessionState::SignedIn || !m_session)
            return;
        // Fails closed: Expired or signed out, and the row and the entry go.
        if (m_clock.now() >= m_session->expires || endedElsewhere())
            (void)validSession();
        scheduleExpiryCheck();
    });
}

bool SessionManager::endedElsewhere()
{
    // Only a definite answer counts: a database busy for a moment ends nothing.
    if (jwt()) {
        if (!m_claims)
            return false;
        auto generation = UserRepository(m_db).sessionGeneration(m_claims->userId);
        return generation ? generation.value() != m_claims->generation
                          : generation.error().kind == ErrorKind::NotFound;
    }
    auto record = SessionRepository(m_db).findByTokenHash(m_tokenHash);
    return !record && record.error().kind == ErrorKind::NotFound;
}

void SessionManager::setExpiryCheckInterval(std::chrono::milliseconds interval)
{
    m_expiryCheck = interval;
    scheduleExpiryCheck();
}

void SessionManager::scheduleExpiryCheck()
{
    if (m_state != SessionState::SignedIn || !m_session) {
        m_expiryTimer.stop();
        return;
    }
    // At the expiry, or sooner: the wall clock may jump (a wake-up, a clock change) while the
    // timer's monotonic clock does not.
    const qint64 untilExpiry = std::max<qint64>(0, m_clock.now().msecsTo(m_session->expires));
    m_expiryTimer.start(
            std::chrono::milliseconds(std::min<qint64>(untilExpiry, m_expiryCheck.count())));
}

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
    scheduleExpiryCheck();
    emit stateChanged(state);
}

void SessionManager::clearLocal()
{
    m_session.reset();
    m_tokenHash.clear();
    m_claims.reset();
}

void SessionManager::restore()
{
    m_state = SessionState::Loading;
    leaveOtherStrategy();
    DeviceRepository device(m_db);
    auto active = device.activeUser();
    if (active) {
        restoreAccount(active.value());
        return;
    }
    if (active.error().kind == ErrorKind::Storage)
        m_storageProblem = active.error(); // fail closed for this run
    else if (!jwt() && device.value(legacySessionKey()).ok()) {
        restoreLegacy();
        return;
    }
    // Nobody is active on this device: nothing to read from the keychain.
    QTimer::singleShot(0, this, [this]() { setState(SessionState::SignedOut); });
}

void SessionManager::restoreAccount(qint64 userId)
{
    withJwtKey(false, [this, userId](Status key) {
        if (!key && key.error().kind != ErrorKind::NotFound &&
            key.error().kind != ErrorKind::Unauthorized) {
            qCWarning(lcSession) << "cannot read the session key:"
                                 << errorKindName(key.error().kind);
            setState(SessionState::Error);
            return;
        }
        // A missing key is found out below: the token, if there is one, cannot be opened.
        readAccount(userId);
    });
}

void SessionManager::readAccount(qint64 userId)
{
    m_secrets.read(secretkeys::sessionToken(userId), this,
                   [this, userId](Result<QByteArray> token) {
                       if (!token) {
                           if (token.error().kind == ErrorKind::NotFound) {
                               // A locked keyring hides its entries: then nobody can tell whether
                               // the session is stored, and the user is asked to unlock instead
                               // of being told "signed out".
                               m_secrets.isLocked(this, [this, userId](bool locked) {
                                   if (!locked)
                                       dropAccount(userId); // its token is gone
                                   setState(locked ? SessionState::Error : SessionState::SignedOut);
                               });
                               return;
                           }
                           // Keychain unavailable or locked: the policy keeps this run's secrets
                           // in memory and holds the problem for the user; never a plaintext
                           // fallback.
                           qCWarning(lcSession) << "cannot read the stored session:"
                                                << errorKindName(token.error().kind);
                           setState(SessionState::Error);
                           return;
                       }
                       auto session = adopt(userId, token.value());
                       if (session)
                           setState(SessionState::SignedIn);
                       else
                           setState(session.error().code == ErrorCode::SessionExpired
                                            ? SessionState::Expired
                                            : SessionState::SignedOut);
                   });
}

void SessionManager::restoreLegacy()
{
    // Before several accounts, the one session of this device was kept under "session". It is
    // read once, moved to its account's entry and removed.
    m_secrets.read(secretkeys::legacySessionToken(), this, [this](Result<QByteArray> token) {
        const auto done = [this]() {
            (void)DeviceRepository(m_db).removeValue(legacySessionKey());
        };
        if (!token) {
            if (token.error().kind != ErrorKind::NotFound) {
                setState(SessionState::Error); // read it next time
                return;
            }
            m_secrets.isLocked(this, [this, done](bool locked) {
                if (!locked)
                    done();
                setState(locked ? SessionState::Error : SessionState::SignedOut);
            });
            return;
        }
        const QByteArray value = token.value();
        auto record = SessionRepository(m_db).findByTokenHash(hashToken(value));
        auto session = record ? adopt(record->userId, value) : Result<Session>(record.error());
        if (!session) {
            done();
            m_secrets.remove(secretkeys::legacySessionToken(), this, [](Status) {});
            setState(session.error().code == ErrorCode::SessionExpired ? SessionState::Expired
                                                                       : SessionState::SignedOut);
            return;
        }
        const qint64 userId = session->user.id;
        m_secrets.write(secretkeys::sessionToken(userId), value, this,
                        [this, done](Status written) {
                            if (!written || !m_secrets.persistent())
                                return; // keep the old entry: the next start tries again
                            done();
                            m_secrets.remove(secretkeys::legacySessionToken(), this, [](Status) {});
                        });
        setState(SessionState::SignedIn);
    });
}

Result<Session> SessionManager::adopt(qint64 userId, const QByteArray &token)
{
    const QByteArray hash = hashToken(token);
    std::optional<jwtsession::Claims> claims;
    bool renewed = false;
    Result<Session> session = notSignedIn();
    if (!jwt()) {
        session = load(hash, true);
    } else {
        auto opened = openJwt(token);
        if (opened) {
            claims = opened.value();
            session = checkJwt(*claims, true, &renewed);
        } else {
            session = opened.error();
        }
        if (!session)
            qCInfo(lcSession) << "the stored session was refused:" << session.error().reason;
    }
    if (session && session->user.id != userId) {
        // The entry of one account holds the token of another: it opens nothing.
        qCWarning(lcSession) << "a stored session belongs to another account; ignored";
        session = notSignedIn();
    }
    if (!session) {
        if (session.error().kind == ErrorKind::Storage ||
            session.error().code == ErrorCode::ModuleMissing) {
            // The database could not be read (locked, damaged), or the jwt token could not be
            // opened without the jose module: fail closed for this run, but keep the token — the
            // session may still be valid once the database is readable or the module is back.
            m_storageProblem = session.error();
            return session;
        }
        // The stored token is useless now: erase it so the next start is clean.
        dropAccount(userId);
        return session;
    }
    if (auto activated = DeviceRepository(m_db).activate(userId, m_clock.now()); !activated)
        qCWarning(lcSession) << "could not note the active account:" << activated.error().message;
    m_tokenHash = hash;
    m_session = session.value();
    m_claims = claims;
    if (renewed)
        reissueJwt();
    return session;
}

void SessionManager::dropAccount(qint64 userId)
{
    // Rows of the account that no token opens any more are left to expire (or to its next
    // sign-in here, which replaces them): another process may be between writing that account's
    // new token and its row.
    (void)DeviceRepository(m_db).remove(userId);
    emit accountLeft(userId);
    m_secrets.remove(secretkeys::sessionToken(userId), this, [](Status) {});
}

void SessionManager::forgetOwnToken(qint64 userId, const QByteArray &hash)
{
    // Another process may have signed this account in again meanwhile (CLI and window share the
    // keychain): its newer token and row stay; only this run's token goes.
    m_secrets.read(secretkeys::sessionToken(userId), this,
                   [this, userId, hash](Result<QByteArray> token) {
                       const bool ours = token ? hashToken(token.value()) == hash
                                               : token.error().kind == ErrorKind::NotFound;
                       if (ours)
                           dropAccount(userId);
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
        return sessionExpired();
    }
    auto loaded = sessionOf(record->userId, record->id, record->expires, record->method,
                            record->authenticatedAt);
    if (!loaded)
        return loaded;
    Session session = loaded.value();
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

Result<Session> SessionManager::sessionOf(qint64 userId, qint64 sessionId, const QDateTime &expires,
                                          const QString &method, const QDateTime &authenticatedAt)
{
    auto user = UserRepository(m_db).findById(userId);
    if (!user)
        return user.error();
    auto accounts = AccountRepository(m_db).listForUser(userId);
    if (!accounts)
        return accounts.error();
    return Session{sessionId, user.value(), accounts.value(), expires, method, authenticatedAt};
}

Result<Session> SessionManager::validSession()
{
    if (m_state != SessionState::SignedIn || m_tokenHash.isEmpty())
        return notSignedIn();
    Result<Session> session = notSignedIn();
    bool renewed = false;
    std::optional<jwtsession::Claims> claims = m_claims;
    if (!jwt())
        session = load(m_tokenHash, true);
    else if (claims)
        session = checkJwt(*claims, true, &renewed);
    if (!session) {
        // Fail closed: whatever went wrong, this session no longer opens anything.
        qCInfo(lcSession) << "session no longer valid:" << errorKindName(session.error().kind)
                          << session.error().reason;
        const bool expired = session.error().code == ErrorCode::SessionExpired;
        const qint64 userId = m_session ? m_session->user.id : 0;
        const QByteArray hash = m_tokenHash;
        clearLocal();
        if (userId > 0 && session.error().kind != ErrorKind::Storage)
            forgetOwnToken(userId, hash);
        setState(expired ? SessionState::Expired : SessionState::SignedOut);
        return expired ? session.error() : notSignedIn();
    }
    m_session = session.value();
    if (renewed) {
        m_claims = claims;
        reissueJwt();
    }
    scheduleExpiryCheck(); // a renewal moved the expiry
    return session;
}

void SessionManager::establish(qint64 userId, const QString &method, QObject *context,
                               SessionCallback callback)
{
    const QDateTime now = m_clock.now();
    QPointer<QObject> guard(context);
    const auto answer = [guard, callback](Result<Session> session) {
        if (guard)
            callback(session);
    };

    // Crash consistency (docs/security.md): this account's earlier session on this device ends
    // first (the keychain entry about to be replaced was all that opened it), the account becomes
    // the one the next start opens, then the new token is kept, and only then is its row written.
    // A process killed between any two steps leaves at worst an active account whose token has
    // no row, which the next start erases (signed out); never a row no token opens. The device's
    // other accounts stay signed in. A jwt session has no row: its generation moves on first.
    leaveOtherStrategy(); // normally done at restore(); a new session is of this strategy
    endSessionsOf(userId);
    if (m_session && m_session->user.id == userId)
        clearLocal();
    if (auto active = DeviceRepository(m_db).activate(userId, now); !active)
        qCWarning(lcSession) << "could not note the active account:" << active.error().message;

    withJwtKey(true, [this, userId, method, now, answer](Status key) {
        std::optional<jwtsession::Claims> claims;
        QByteArray token;
        if (!jwt()) {
            token = random::base64Url(kTokenBytes).toLatin1();
        } else {
            auto generation = key ? UserRepository(m_db).sessionGeneration(userId)
                                  : Result<qint64>(key.error());
            claims = jwtsession::Claims{userId, now,    now.addSecs(m_policy.maxAgeSecs),
                                        now,    method, generation.valueOr(0)};
            auto encoded = generation ? jwtsession::encode(*claims, m_jwtKey)
                                      : Result<QByteArray>(generation.error());
            if (!encoded) {
                qCWarning(lcSession) << "could not make the session token:"
                                     << errorKindName(encoded.error().kind);
                (void)DeviceRepository(m_db).remove(userId);
                if (m_session)
                    (void)DeviceRepository(m_db).activate(m_session->user.id, now);
                else
                    setState(SessionState::SignedOut);
                answer(encoded.error());
                return;
            }
            token = encoded.value();
            // Before the token is kept: the device's account list and the provider tokens'
            // owner read the session's expiry here. A crash before the write leaves a note
            // without a token, which the next start drops.
            (void)DeviceRepository(m_db).setSessionExpires(userId, claims->expires);
        }
        const QByteArray hash = hashToken(token);
        // When the keychain refuses, the policy keeps the token in memory for this run and says
        // so.
        m_secrets.write(secretkeys::sessionToken(userId), token, this,
                        [this, hash, userId, method, now, claims, answer](Status) {
                            crashPoint("signin-session-token-stored");
                            Result<Session> session = createRow(hash, userId, method, now, claims);
                            if (session) {
                                crashPoint("signin-session-row-created");
                                m_tokenHash = hash;
                                m_session = session.value();
                                m_claims = claims;
                                setState(SessionState::SignedIn);
                            } else {
                                // No row: the token opens nothing, so it goes too. The account
                                // that was active before stays so.
                                dropAccount(userId);
                                if (m_session)
                                    (void)DeviceRepository(m_db).activate(m_session->user.id, now);
                                else
                                    setState(SessionState::SignedOut);
                            }
                            answer(session);
                        });
    });
}

Result<Session> SessionManager::createRow(const QByteArray &hash, qint64 userId,
                                          const QString &method, const QDateTime &now,
                                          std::optional<jwtsession::Claims> claims)
{
    if (claims) {
        // A jwt session has no row: only the sign-in is recorded.
        if (auto recorded =
                    EventRepository(m_db).append(QStringLiteral("signIn"), userId, method, now);
            !recorded)
            return recorded.error();
        bool renewed = false;
        return checkJwt(*claims, false, &renewed);
    }
    auto created = m_db.transaction([&]() -> Result<SessionRecord> {
        auto record = SessionRepository(m_db).create(hash, userId, now.addSecs(m_policy.maxAgeSecs),
                                                     m_policy.deviceName, now, method);
        if (record)
            (void)EventRepository(m_db).append(QStringLiteral("signIn"), userId, method, now);
        return record;
    });
    if (!created)
        return created.error();
    return load(hash, false);
}

Result<Session> SessionManager::markAuthenticated()
{
    if (m_state != SessionState::SignedIn || !m_session)
        return notSignedIn();
    if (m_claims) {
        m_claims->authenticatedAt = m_clock.now();
        reissueJwt();
    } else if (auto marked = SessionRepository(m_db).markAuthenticated(m_session->sessionId,
                                                                       m_clock.now());
               !marked) {
        return marked.error();
    }
    return validSession();
}

void SessionManager::endVolatileSession()
{
    // A session the keychain refused lives only as long as this process: its row must not
    // outlive it (a row without its token can never be used again).
    if (m_secrets.persistent() || m_tokenHash.isEmpty())
        return;
    if (jwt() && m_session)
        endSessionsOf(m_session->user.id);
    else if (auto removed = SessionRepository(m_db).removeByTokenHash(m_tokenHash); !removed)
        qCWarning(lcSession) << "could not remove this run's session:" << removed.error().message;
    if (m_session) {
        (void)DeviceRepository(m_db).remove(m_session->user.id);
        emit accountLeft(m_session->user.id);
    }
    clearLocal();
}

void SessionManager::signOut(QObject *context, DoneCallback callback)
{
    qint64 userId = m_session ? m_session->user.id : 0;
    if (userId == 0) {
        // Not signed in in this run (e.g. the keyring was locked at start): the account the
        // device would open next is the one signed out.
        userId = DeviceRepository(m_db).activeUser().valueOr(0);
    }
    const QDateTime now = m_clock.now();
    // A jwt token ends with its generation, also one this run could not read (a copy of the
    // keychain entry opens nothing afterwards).
    if (jwt() && userId > 0)
        endSessionsOf(userId);
    if (!m_tokenHash.isEmpty()) {
        if (!jwt())
            (void)SessionRepository(m_db).removeByTokenHash(m_tokenHash);
        (void)EventRepository(m_db).append(QStringLiteral("signOut"), userId, {}, now);
        crashPoint("signout-session-row-removed");
    }
    if (userId > 0) {
        (void)DeviceRepository(m_db).remove(userId);
        emit accountLeft(userId);
    }
    clearLocal();
    QPointer<QObject> guard(context);
    const auto finished = [this, guard, callback](Status removed) {
        setState(SessionState::SignedOut);
        if (guard)
            callback(removed);
    };
    if (userId == 0) {
        QTimer::singleShot(0, this, [finished]() { finished({}); });
        return;
    }
    m_secrets.remove(secretkeys::sessionToken(userId), this, finished);
}

void SessionManager::signOutAccount(qint64 userId, QObject *context, DoneCallback callback)
{
    if (m_session && m_session->user.id == userId) {
        signOut(context, std::move(callback));
        return;
    }
    const bool ended = jwt() ? UserRepository(m_db).nextSessionGeneration(userId).ok()
                             : SessionRepository(m_db).removeForUser(userId).valueOr(0) > 0;
    if (ended)
        (void)EventRepository(m_db).append(QStringLiteral("signOut"), userId, {}, m_clock.now());
    (void)DeviceRepository(m_db).remove(userId);
    emit accountLeft(userId);
    QPointer<QObject> guard(context);
    m_secrets.remove(secretkeys::sessionToken(userId), this, [guard, callback](Status removed) {
        if (guard)
            callback(removed);
    });
}

Result<QList<SignedInAccount>> SessionManager::accounts()
{
    auto records = DeviceRepository(m_db).accounts();
    if (!records)
        return records.error();
    const QDateTime now = m_clock.now();
    QList<SignedInAccount> list;
    for (const DeviceAccountRecord &record : records.value()) {
        const bool current = m_session && m_session->user.id == record.userId;
        if (!current && (!record.sessionExpires.isValid() || record.sessionExpires <= now)) {
            dropAccount(record.userId); // its session ran out or was signed out elsewhere
            continue;
        }
        auto user = UserRepository(m_db).findById(record.userId);
        if (!user)
            continue;
        SignedInAccount account{user.value(),
                                {},
                                current,
                                record.lastUsedAt,
                                current ? m_session->expires : record.sessionExpires};
        if (auto methods = AccountRepository(m_db).listForUser(record.userId)) {
            for (const Account &method : methods.value())
                account.methods.append(method.provider);
        }
        list.append(account);
    }
    // The active account first, even when another process switched the device meanwhile.
    std::stable_partition(list.begin(), list.end(),
                          [](const SignedInAccount &account) { return account.active; });
    return list;
}

void SessionManager::switchTo(qint64 userId, QObject *context, SessionCallback callback)
{
    QPointer<QObject> guard(context);
    const auto answer = [guard, callback](Result<Session> session) {
        if (guard)
            callback(session);
    };
    if (m_session && m_session->user.id == userId) {
        QTimer::singleShot(0, this, [this, answer]() { answer(validSession()); });
        return;
    }
    const auto notHere = []() {
        return Error::make(ErrorKind::NotFound, ErrorCode::AccountNotOnDevice,
                           QStringLiteral("That account is not signed in on this device."));
    };
    auto records = DeviceRepository(m_db).accounts();
    const bool known = records &&
            std::any_of(records->cbegin(), records->cend(),
                        [userId](const DeviceAccountRecord &r) { return r.userId == userId; });
    if (!known) {
        const Error error = records ? notHere() : records.error();
        QTimer::singleShot(0, this, [answer, error]() { answer(error); });
        return;
    }
    withJwtKey(false, [this, userId, answer, notHere](Status) {
        // Without a key, adopt() finds the token cannot be opened.
        readAndSwitch(userId, answer, notHere);
    });
}

void SessionManager::readAndSwitch(qint64 userId, const SessionCallback &answer,
                                   const std::function<Error()> &notHere)
{
    m_secrets.read(secretkeys::sessionToken(userId), this,
                   [this, userId, answer, notHere](Result<QByteArray> token) {
                       if (!token) {
                           if (token.error().kind == ErrorKind::NotFound)
                               dropAccount(userId);
                           answer(token.error().kind == ErrorKind::NotFound ? notHere()
                                                                            : token.error());
                           return;
                       }
                       // The account active until now stays signed in: only the cache moves, and
                       // only when the other account's session holds.
                       auto session = adopt(userId, token.value());
                       if (!session) {
                           answer(session.error().kind == ErrorKind::Storage ? session.error()
                                                                             : notHere());
                           return;
                       }
                       setState(SessionState::SignedIn);
                       answer(session);
                   });
}

} // namespace latchkey
