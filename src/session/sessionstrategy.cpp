#include "sessionmanager.h"

#include "core/logging.h"
#include "core/random.h"
#include "keychain/keychainpolicy.h"
#include "keychain/secretkeys.h"
#include "storage/database.h"
#include "storage/devicerepository.h"
#include "storage/eventrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

// What differs between the two session strategies (docs/architecture.md, sessions): the jwt
// strategy's key, checks and re-issued tokens, the sessions each can list and end, and the
// clean sign-out when the strategy changes. The rest of SessionManager is in sessionmanager.cpp.

namespace latchkey {

namespace {

// The strategy the device's sessions were made with; absent: "database", the only one before.
const QString kStrategyKey = QStringLiteral("session_strategy");

QString strategyName(SessionStrategy strategy)
{
    return strategy == SessionStrategy::Jwt ? QStringLiteral("jwt") : QStringLiteral("database");
}

Error jwtRefused(const char *reason)
{
    Error error = notSignedIn();
    error.reason = QString::fromLatin1(reason);
    return error;
}

} // namespace

void SessionManager::leaveOtherStrategy()
{
    DeviceRepository device(m_db);
    const QString configured = strategyName(m_policy.strategy);
    auto stored = device.value(kStrategyKey);
    if (!stored && stored.error().kind != ErrorKind::NotFound)
        return; // the database cannot be read: restore() fails closed
    const QString before = stored ? stored.value() : strategyName(SessionStrategy::Database);
    if (before != configured) {
        // A token of the other strategy opens nothing now: every account of the device is signed
        // out, cleanly, rather than each failing its check. Provider tokens left without a
        // session are forgotten (and revoked) at start as usual.
        const auto accounts = device.accounts();
        auto ended = m_db.transaction([&]() -> Status {
            if (auto removed = device.removeAll(); !removed)
                return removed;
            if (auto rows = m_db.run(QStringLiteral("DELETE FROM sessions"), {},
                                     QStringLiteral("end every session"));
                !rows)
                return rows.error();
            if (auto moved = UserRepository(m_db).nextSessionGenerationForAll(); !moved)
                return moved;
            return device.removeValue(legacySessionKey());
        });
        if (!ended) {
            qCWarning(lcSession) << "could not sign out after the session strategy changed:"
                                 << ended.error().message;
            return;
        }
        for (const DeviceAccountRecord &account : accounts.valueOr({})) {
            emit accountLeft(account.userId);
            m_secrets.remove(secretkeys::sessionToken(account.userId), this, [](Status) {});
        }
        m_secrets.remove(secretkeys::legacySessionToken(), this, [](Status) {});
        if (before == strategyName(SessionStrategy::Jwt))
            m_secrets.remove(secretkeys::jwtSessionKey(), this, [](Status) {});
        qCInfo(lcSession).noquote()
                << QStringLiteral("the session strategy changed from %1 to %2: every account on "
                                  "this device was signed out")
                           .arg(before, configured);
    }
    if (stored && stored.value() == configured)
        return; // the usual start: nothing to write
    if (auto noted = device.setValue(kStrategyKey, configured); !noted)
        qCWarning(lcSession) << "could not note the session strategy:" << noted.error().message;
}

void SessionManager::withJwtKey(bool create, std::function<void(Status)> next)
{
    if (!jwt() || !m_jwtKey.isEmpty()) {
        next({});
        return;
    }
    const auto decoded = [](const QByteArray &stored) {
        return QByteArray::fromBase64(
                stored, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    };
    m_secrets.read(secretkeys::jwtSessionKey(), this,
                   [this, create, next, decoded](Result<QByteArray> stored) {
                       const QByteArray key = stored ? decoded(stored.value()) : QByteArray();
                       if (key.size() == jwtsession::kKeyBytes) {
                           m_jwtKey = key;
                           next({});
                           return;
                       }
                       // No key yet, an unusable one (which opens no token either) or a keychain
                       // that failed: a sign-in makes a key, which the keychain policy keeps in
                       // memory for this run when the keychain is out of use. A start reports it.
                       if (!create) {
                           next(stored ? Status(jwtRefused("key_unusable")) : stored.error());
                           return;
                       }
                       const QByteArray made = random::base64Url(jwtsession::kKeyBytes).toLatin1();
                       m_secrets.write(secretkeys::jwtSessionKey(), made, this,
                                       [this, made, next, decoded](Status written) {
                                           if (written)
                                               m_jwtKey = decoded(made);
                                           next(written);
                                       });
                   });
}

Result<jwtsession::Claims> SessionManager::openJwt(const QByteArray &token) const
{
    if (m_jwtKey.isEmpty())
        return jwtRefused("key_missing");
    return jwtsession::decode(token, m_jwtKey);
}

Result<Session> SessionManager::checkJwt(jwtsession::Claims &claims, bool renew, bool *renewed)
{
    const QDateTime now = m_clock.now();
    if (claims.expires <= now) {
        (void)EventRepository(m_db).append(QStringLiteral("sessionExpired"), claims.userId, {},
                                           now);
        return sessionExpired();
    }
    // Signing the account out (here, or by another process) moved its generation on.
    auto generation = UserRepository(m_db).sessionGeneration(claims.userId);
    if (!generation)
        return generation.error().kind == ErrorKind::NotFound ? jwtRefused("user_missing")
                                                              : generation.error();
    if (generation.value() != claims.generation)
        return jwtRefused("signed_out");
    const QDateTime latest = now.addSecs(m_policy.maxAgeSecs);
    *renewed = (renew && claims.issuedAt.secsTo(now) >= m_policy.updateAgeSecs) ||
            claims.expires > latest;
    if (*renewed) {
        claims.issuedAt = now;
        claims.expires = latest;
    }
    return sessionOf(claims.userId, 0, claims.expires, claims.method, claims.authenticatedAt);
}

void SessionManager::reissueJwt()
{
    if (!m_claims || m_jwtKey.isEmpty())
        return;
    auto token = jwtsession::encode(*m_claims, m_jwtKey);
    if (!token) {
        qCWarning(lcSession) << "could not renew the session token:" << token.error().reason;
        return;
    }
    // The new token works at once; the keychain keeps it for the next start. Until the write
    // lands, the one there still opens the session too.
    const qint64 userId = m_claims->userId;
    m_tokenHash = hashToken(token.value());
    (void)DeviceRepository(m_db).setSessionExpires(userId, m_claims->expires);
    m_secrets.write(secretkeys::sessionToken(userId), token.value(), this, [](Status written) {
        if (!written)
            qCWarning(lcSession) << "could not store the renewed session:"
                                 << errorKindName(written.error().kind);
    });
}

void SessionManager::endSessionsOf(qint64 userId)
{
    if (!jwt()) {
        (void)SessionRepository(m_db).removeForUser(userId);
        return;
    }
    if (auto moved = UserRepository(m_db).nextSessionGeneration(userId); !moved)
        qCWarning(lcSession) << "could not end the account's sessions:" << moved.error().message;
}

Result<QList<SessionRecord>> SessionManager::sessions()
{
    if (m_state != SessionState::SignedIn || !m_session)
        return notSignedIn();
    if (!m_claims)
        return SessionRepository(m_db).listForUser(m_session->user.id);
    SessionRecord record;
    record.userId = m_session->user.id;
    record.expires = m_session->expires;
    record.createdAt = m_session->authenticatedAt;
    record.lastSeenAt = m_clock.now();
    record.deviceName = m_policy.deviceName;
    record.method = m_session->method;
    record.authenticatedAt = m_session->authenticatedAt;
    return QList<SessionRecord>{record};
}

Status SessionManager::endSession(qint64 sessionId)
{
    if (m_state != SessionState::SignedIn || !m_session)
        return notSignedIn();
    if (sessionId == m_session->sessionId)
        return Error::make(ErrorKind::InvalidInput, ErrorCode::Unspecified,
                           QStringLiteral("That is the session in use: sign out instead."));
    const qint64 userId = m_session->user.id;
    if (auto removed = SessionRepository(m_db).removeForUser(userId, sessionId); !removed)
        return removed;
    (void)EventRepository(m_db).append(QStringLiteral("signOut"), userId,
                                       QStringLiteral("session:%1").arg(sessionId), m_clock.now());
    return {};
}

Result<int> SessionManager::endOtherSessions()
{
    if (m_state != SessionState::SignedIn || !m_session)
        return notSignedIn();
    const qint64 userId = m_session->user.id;
    Result<int> ended = 0;
    if (m_claims) {
        // Every token of the account stops working; the one in use is issued again under the
        // new generation.
        auto generation = UserRepository(m_db).nextSessionGeneration(userId);
        if (!generation)
            return generation.error();
        m_claims->generation = generation.value();
        reissueJwt();
    } else {
        ended = SessionRepository(m_db).removeOthers(userId, m_session->sessionId);
    }
    if (ended && (m_claims || ended.value() > 0))
        (void)EventRepository(m_db).append(QStringLiteral("signOut"), userId,
                                           QStringLiteral("others"), m_clock.now());
    return ended;
}

} // namespace latchkey
