#include "eventrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr auto kEventColumns = "id, at, kind, user_id, detail";

Event eventAt(const QSqlQuery &query)
{
    Event event;
    event.id = query.value(0).toLongLong();
    event.at = sql::timeAt(query, 1);
    event.kind = sql::textAt(query, 2);
    if (!query.isNull(3))
        event.userId = query.value(3).toLongLong();
    event.detail = sql::textAt(query, 4);
    return event;
}

} // namespace

Result<Event> EventRepository::append(const QString &kind, std::optional<qint64> userId,
                                      const QString &detail, const QDateTime &at)
{
    auto query = m_db.run(u"INSERT INTO events (at, kind, user_id, detail) VALUES (?, ?, ?, ?) "
                          u"RETURNING "_s +
                                  QLatin1String(kEventColumns),
                          {sql::fromTime(at), kind, userId ? QVariant(*userId) : QVariant(),
                           sql::textOrNull(detail)},
                          u"record the event"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const Event event = eventAt(query.value());
    query.value().finish(); // ends the statement, which commits the row
    m_db.eventRecorded(event);
    return event;
}

Result<int> EventRepository::removeForUser(qint64 userId)
{
    auto query = m_db.run(u"DELETE FROM events WHERE user_id = ?"_s, {userId},
                          u"remove the user's activity"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Result<int> EventRepository::purgeBefore(const QDateTime &cutoff)
{
    auto query = m_db.run(u"DELETE FROM events WHERE at < ?"_s, {sql::fromTime(cutoff)},
                          u"remove old events"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Result<QList<Event>> EventRepository::recent(int limit)
{
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kEventColumns) +
                                  u" FROM events ORDER BY at DESC, id DESC LIMIT ?"_s,
                          {limit}, u"read the recent events"_s);
    if (!query.ok())
        return query.error();
    QList<Event> events;
    while (query.value().next())
        events.append(eventAt(query.value()));
    return events;
}

Result<std::optional<Event>> EventRepository::newest(const QString &kind)
{
    auto query =
            m_db.run(u"SELECT "_s + QLatin1String(kEventColumns) +
                             u" FROM events WHERE kind = ? ORDER BY at DESC, id DESC LIMIT 1"_s,
                     {kind}, u"read the newest event"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return std::optional<Event>();
    return std::optional<Event>(eventAt(query.value()));
}

} // namespace latchkey
