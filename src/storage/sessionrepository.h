#pragma once

#include "core/result.h"
#include "storage/records.h"

#include <QList>

namespace latchkey {

class Database;

/// The `sessions` table of the database session strategy (docs/architecture.md). Only token hashes
/// are stored. Absent rows are NotFound errors (see Database).
class SessionRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit SessionRepository(Database &db) : m_db(db) { }

    /// Stores a session for `userId` whose token hashes to `tokenHash`, valid until `expires`,
    /// created, last seen and authenticated at `now`, signed in with `method` (a provider id or
    /// "email"). A reused hash is a kUnique error.
    Result<SessionRecord> create(const QByteArray &tokenHash, qint64 userId,
                                 const QDateTime &expires, const QString &deviceName,
                                 const QDateTime &now, const QString &method = {});
    /// Notes that the person proved session `id` again at `at` (a step-up).
    Status markAuthenticated(qint64 id, const QDateTime &at);
    /// The session whose token hashes to `tokenHash`. Expired rows are returned too: the caller
    /// compares `expires` with its clock and fails closed.
    Result<SessionRecord> findByTokenHash(const QByteArray &tokenHash);
    /// Records activity on session `id` and moves its expiry (rolling renewal).
    Status touch(qint64 id, const QDateTime &lastSeen, const QDateTime &newExpires);
    /// Deletes the session whose token hashes to `tokenHash` (sign-out).
    Status removeByTokenHash(const QByteArray &tokenHash);
    /// Deletes every session of `userId`; returns how many.
    Result<int> removeForUser(qint64 userId);
    /// Deletes session `id` if it belongs to `userId`; NotFound otherwise.
    Status removeForUser(qint64 userId, qint64 id);
    /// Deletes every session of `userId` but `keepId`; returns how many.
    Result<int> removeOthers(qint64 userId, qint64 keepId);
    /// The sessions of `userId`, most recently seen first.
    Result<QList<SessionRecord>> listForUser(qint64 userId);
    /// Deletes sessions with `expires <= now`; returns how many.
    Result<int> purgeExpired(const QDateTime &now);

private:
    Database &m_db;
};

} // namespace latchkey
