#pragma once

#include "core/result.h"
#include "storage/records.h"

#include <QList>

#include <optional>

namespace latchkey {

class Database;

/// The `events` table: the audit trail (Auth.js events). Never put secrets in `detail`.
class EventRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit EventRepository(Database &db) : m_db(db) { }

    /// Appends an event of `kind` (e.g. "signIn") about `userId` (none for anonymous events).
    Result<Event> append(const QString &kind, std::optional<qint64> userId, const QString &detail,
                         const QDateTime &at);
    /// The newest `limit` events, newest first. Precondition: limit >= 0.
    Result<QList<Event>> recent(int limit);
    /// The newest event of `kind`, or nothing when there is none.
    Result<std::optional<Event>> newest(const QString &kind);
    /// Deletes every event of `userId` (the user deleted their local data); returns how many.
    Result<int> removeForUser(qint64 userId);
    /// Deletes the events from before `cutoff`; returns how many.
    Result<int> purgeBefore(const QDateTime &cutoff);

private:
    Database &m_db;
};

} // namespace latchkey
