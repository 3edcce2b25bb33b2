#pragma once

#include "core/result.h"
#include "storage/records.h"

namespace latchkey {

class Database;

/// The `users` table. Absent rows are NotFound errors (see Database).
class UserRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit UserRepository(Database &db) : m_db(db) { }

    /// Stores a new user from `profile` (name, email, emailVerified, image; `id` is ignored),
    /// created and updated at `now`. A taken email is a Storage error with code storage::kUnique.
    Result<User> create(const User &profile, const QDateTime &now);
    /// The user with `id`.
    Result<User> findById(qint64 id);
    /// The user whose (canonical) email is exactly `email`.
    Result<User> findByEmail(const QString &email);
    /// Replaces the display name and avatar of user `id`.
    Status updateProfile(qint64 id, const QString &name, const QString &image,
                         const QDateTime &now);
    /// Records that user `id` proved access to their address at `at`.
    Status setEmailVerified(qint64 id, const QDateTime &at);
    /// User `id`'s session generation (the jwt strategy): a jwt session issued under another one
    /// is over.
    Result<qint64> sessionGeneration(qint64 id);
    /// Moves user `id`'s session generation on, ending every jwt session issued before; returns
    /// the new one.
    Result<qint64> nextSessionGeneration(qint64 id);
    /// Moves every user's session generation on.
    Status nextSessionGenerationForAll();
    /// Removes user `id`; their accounts and sessions go with them (ON DELETE CASCADE).
    Status remove(qint64 id);

private:
    Result<User> findOne(const QString &where, const QVariant &value, const QString &missing);

    Database &m_db;
};

} // namespace latchkey
