#include "ratelimitrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace latchkey {

Status RateLimitRepository::recordSend(const QString &identifier, const QDateTime &at)
{
    auto query = m_db.run(u"INSERT INTO email_send_log (identifier, sent_at) VALUES (?, ?)"_s,
                          {identifier, sql::fromTime(at)}, u"record the sent email"_s);
    return query.ok() ? Status() : Status(query.error());
}

Result<int> RateLimitRepository::sendsSince(const QString &identifier, const QDateTime &since)
{
    auto query = m_db.run(u"SELECT count(*) FROM email_send_log WHERE identifier = ? AND "
                          u"sent_at >= ?"_s,
                          {identifier, sql::fromTime(since)}, u"count the sent emails"_s);
    if (!query.ok())
        return query.error();
    return query.value().next() ? query.value().value(0).toInt() : 0;
}

Result<QDateTime> RateLimitRepository::lastSend(const QString &identifier)
{
    auto query = m_db.run(u"SELECT max(sent_at) FROM email_send_log WHERE identifier = ?"_s,
                          {identifier}, u"look up the last sent email"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next() || query.value().isNull(0))
        return sql::notFound(u"No email was sent to this address."_s);
    return sql::timeAt(query.value(), 0);
}

Result<QDateTime> RateLimitRepository::nthLatestSend(int n, const QString &identifier)
{
    // Only constant fragments are joined; the values are bound.
    const bool all = identifier.isEmpty();
    QVariantList values;
    if (!all)
        values.append(identifier);
    values.append(std::max(0, n - 1));
    auto query = m_db.run(u"SELECT sent_at FROM email_send_log "_s +
                                  (all ? QString() : u"WHERE identifier = ? "_s) +
                                  u"ORDER BY sent_at DESC, id DESC LIMIT 1 OFFSET ?"_s,
                          values, u"look up the sent emails"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(u"Fewer emails were sent."_s);
    return sql::timeAt(query.value(), 0);
}

Status RateLimitRepository::forgetSend(const QString &identifier, const QDateTime &at)
{
    // One entry only: two emails sent in the same second were two sends.
    auto query = m_db.run(u"DELETE FROM email_send_log WHERE id = (SELECT id FROM email_send_log "
                          u"WHERE identifier = ? AND sent_at = ? ORDER BY id DESC LIMIT 1)"_s,
                          {identifier, sql::fromTime(at)}, u"forget the unsent email"_s);
    return query.ok() ? Status() : Status(query.error());
}

Result<int> RateLimitRepository::purgeSendsBefore(const QDateTime &cutoff)
{
    auto query = m_db.run(u"DELETE FROM email_send_log WHERE sent_at < ?"_s,
                          {sql::fromTime(cutoff)}, u"remove old send-log entries"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Result<CodeFailures> RateLimitRepository::codeFailures(const QString &identifier,
                                                       const QDateTime &now)
{
    auto query = m_db.run(u"SELECT consecutive, cooldowns, locked_until, expires FROM "
                          u"email_failures WHERE identifier = ? AND expires > ?"_s,
                          {identifier, sql::fromTime(now)}, u"read the wrong codes"_s);
    if (!query.ok())
        return query.error();
    CodeFailures failures;
    if (!query.value().next())
        return failures;
    failures.consecutive = query.value().value(0).toInt();
    failures.cooldowns = query.value().value(1).toInt();
    failures.lockedUntil = sql::timeAt(query.value(), 2);
    failures.expires = sql::timeAt(query.value(), 3);
    return failures;
}

Status RateLimitRepository::saveCodeFailures(const QString &identifier,
                                             const CodeFailures &failures, const QDateTime &now)
{
    auto query = m_db.run(u"INSERT INTO email_failures (identifier, consecutive, cooldowns, "
                          u"locked_until, expires, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                          u"ON CONFLICT (identifier) DO UPDATE SET "
                          u"consecutive = excluded.consecutive, cooldowns = excluded.cooldowns, "
                          u"locked_until = excluded.locked_until, expires = excluded.expires, "
                          u"updated_at = excluded.updated_at"_s,
                          {identifier, failures.consecutive, failures.cooldowns,
                           sql::fromTime(failures.lockedUntil), sql::fromTime(failures.expires),
                           sql::fromTime(now)},
                          u"count a wrong code"_s);
    return query.ok() ? Status() : Status(query.error());
}

Result<int> RateLimitRepository::purgeFailuresExpired(const QDateTime &now)
{
    auto query = m_db.run(u"DELETE FROM email_failures WHERE expires <= ?"_s, {sql::fromTime(now)},
                          u"remove expired cooldowns"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Status RateLimitRepository::resetFailures(const QString &identifier)
{
    auto query = m_db.run(u"DELETE FROM email_failures WHERE identifier = ?"_s, {identifier},
                          u"clear the failed sign-ins"_s);
    return query.ok() ? Status() : Status(query.error());
}

} // namespace latchkey
