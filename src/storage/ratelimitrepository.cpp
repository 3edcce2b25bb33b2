#include "ratelimitrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

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

Result<int> RateLimitRepository::recordFailure(const QString &identifier, const QDateTime &at)
{
    // One upsert statement, so two failures at once both count.
    auto query = m_db.run(u"INSERT INTO email_failures (identifier, consecutive, updated_at) "
                          u"VALUES (?, 1, ?) ON CONFLICT (identifier) DO UPDATE SET "
                          u"consecutive = consecutive + 1, updated_at = excluded.updated_at "
                          u"RETURNING consecutive"_s,
                          {identifier, sql::fromTime(at)}, u"count a failed sign-in"_s);
    if (!query.ok())
        return query.error();
    const int consecutive = query.value().next() ? query.value().value(0).toInt() : 0;
    query.value().finish(); // ends the statement, which commits the change
    return consecutive;
}

Result<int> RateLimitRepository::consecutiveFailures(const QString &identifier)
{
    auto query = m_db.run(u"SELECT consecutive FROM email_failures WHERE identifier = ?"_s,
                          {identifier}, u"read the failed sign-ins"_s);
    if (!query.ok())
        return query.error();
    return query.value().next() ? query.value().value(0).toInt() : 0;
}

Status RateLimitRepository::resetFailures(const QString &identifier)
{
    auto query = m_db.run(u"DELETE FROM email_failures WHERE identifier = ?"_s, {identifier},
                          u"clear the failed sign-ins"_s);
    return query.ok() ? Status() : Status(query.error());
}

} // namespace latchkey
