#include "sessionrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr auto kSessionColumns =
        "id, token_hash, user_id, expires, created_at, last_seen_at, device_name,"
        " method, authenticated_at";

SessionRecord sessionAt(const QSqlQuery &query)
{
    SessionRecord session;
    session.id = query.value(0).toLongLong();
    session.tokenHash = sql::bytesAt(query, 1);
    session.userId = query.value(2).toLongLong();
    session.expires = sql::timeAt(query, 3);
    session.createdAt = sql::timeAt(query, 4);
    session.lastSeenAt = sql::timeAt(query, 5);
    session.deviceName = sql::textAt(query, 6);
    session.method = sql::textAt(query, 7);
    session.authenticatedAt = sql::timeAt(query, 8);
    if (!session.authenticatedAt.isValid())
        session.authenticatedAt = session.createdAt;
    return session;
}

Error noSession()
{
    return sql::notFound(u"The session does not exist (it was signed out or has expired)."_s);
}

} // namespace

Result<SessionRecord> SessionRepository::create(const QByteArray &tokenHash, qint64 userId,
                                                const QDateTime &expires, const QString &deviceName,
                                                const QDateTime &now, const QString &method)
{
    auto query = m_db.run(u"INSERT INTO sessions (token_hash, user_id, expires, created_at, "
                          u"last_seen_at, device_name, method, authenticated_at)"
                          u" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "_s +
                                  QLatin1String(kSessionColumns),
                          {tokenHash, userId, sql::fromTime(expires), sql::fromTime(now),
                           sql::fromTime(now), sql::textOrNull(deviceName), sql::textOrNull(method),
                           sql::fromTime(now)},
                          u"store the session"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const SessionRecord session = sessionAt(query.value());
    query.value().finish(); // ends the statement, which commits the row
    return session;
}

Result<SessionRecord> SessionRepository::findByTokenHash(const QByteArray &tokenHash)
{
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kSessionColumns) +
                                  u" FROM sessions WHERE token_hash = ?"_s,
                          {tokenHash}, u"look up the session"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return noSession();
    return sessionAt(query.value());
}

Status SessionRepository::touch(qint64 id, const QDateTime &lastSeen, const QDateTime &newExpires)
{
    auto query = m_db.run(u"UPDATE sessions SET last_seen_at = ?, expires = ? WHERE id = ?"_s,
                          {sql::fromTime(lastSeen), sql::fromTime(newExpires), id},
                          u"renew the session"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return noSession();
    return {};
}

Status SessionRepository::markAuthenticated(qint64 id, const QDateTime &at)
{
    auto query = m_db.run(u"UPDATE sessions SET authenticated_at = ? WHERE id = ?"_s,
                          {sql::fromTime(at), id}, u"note the confirmed sign-in"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return noSession();
    return {};
}

Status SessionRepository::removeByTokenHash(const QByteArray &tokenHash)
{
    auto query = m_db.run(u"DELETE FROM sessions WHERE token_hash = ?"_s, {tokenHash},
                          u"remove the session"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return noSession();
    return {};
}

Result<int> SessionRepository::removeForUser(qint64 userId)
{
    auto query = m_db.run(u"DELETE FROM sessions WHERE user_id = ?"_s, {userId},
                          u"remove the user's sessions"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Status SessionRepository::removeForUser(qint64 userId, qint64 id)
{
    auto query = m_db.run(u"DELETE FROM sessions WHERE id = ? AND user_id = ?"_s, {id, userId},
                          u"remove the session"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return noSession();
    return {};
}

Result<int> SessionRepository::removeOthers(qint64 userId, qint64 keepId)
{
    auto query = m_db.run(u"DELETE FROM sessions WHERE user_id = ? AND id != ?"_s, {userId, keepId},
                          u"remove the user's other sessions"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Result<QList<SessionRecord>> SessionRepository::listForUser(qint64 userId)
{
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kSessionColumns) +
                                  u" FROM sessions WHERE user_id = ?"
                                  u" ORDER BY last_seen_at DESC, id DESC"_s,
                          {userId}, u"list the user's sessions"_s);
    if (!query.ok())
        return query.error();
    QList<SessionRecord> sessions;
    while (query.value().next())
        sessions.append(sessionAt(query.value()));
    return sessions;
}

Result<int> SessionRepository::purgeExpired(const QDateTime &now)
{
    auto query = m_db.run(u"DELETE FROM sessions WHERE expires <= ?"_s, {sql::fromTime(now)},
                          u"remove expired sessions"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

} // namespace latchkey
