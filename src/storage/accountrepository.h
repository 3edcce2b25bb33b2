#pragma once

#include "core/result.h"
#include "storage/records.h"

#include <QList>

namespace latchkey {

class Database;

/// The `accounts` table: the sign-in identities linked to each user. Absent rows are NotFound
/// errors (see Database).
class AccountRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit AccountRepository(Database &db) : m_db(db) { }

    /// Links `account` (`id` and `createdAt` are ignored) to its user, created at `now`. An
    /// identity already linked is a kUnique error; an unknown user a kForeignKey error.
    Result<Account> create(const Account &account, const QDateTime &now);
    /// The account for (`provider`, `providerAccountId`), e.g. ("google", sub).
    Result<Account> findByProviderAccount(const QString &provider,
                                          const QString &providerAccountId);
    /// All accounts of user `userId`, oldest first (empty when none).
    Result<QList<Account>> listForUser(qint64 userId);
    /// Sets when account `id`'s access token expires; an invalid `expiresAt` stores NULL
    /// (unknown). NotFound when there is no such account.
    Status setExpiresAt(qint64 id, const QDateTime &expiresAt);
    /// Unlinks account `id`.
    Status remove(qint64 id);

private:
    Database &m_db;
};

} // namespace latchkey
