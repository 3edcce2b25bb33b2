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
    /// Records that the keychain may hold provider tokens of account `id` since `since` (before
    /// they are written), or, with an invalid `since`, that it holds none (after they are erased).
    /// This is what lets a start after a crash find tokens nobody uses any more. NotFound when
    /// there is no such account.
    Status setTokensStored(qint64 id, const QDateTime &since);
    /// Notes that the provider of account `id` just sent fresh tokens (a sign-in, a link, a
    /// confirmation or a refresh): Account::refreshedAt.
    Status setRefreshed(qint64 id, const QDateTime &at);
    /// The accounts that may hold tokens and whose user has no session valid at `now`: what an
    /// interrupted sign-in or sign-out left in the keychain.
    Result<QList<Account>> listLeftoverTokens(const QDateTime &now);
    /// Unlinks account `id`.
    Status remove(qint64 id);

private:
    // The accounts (table alias `a`) matching `whereAndOrder`, a constant fragment with one `?`
    // bound to `value`.
    Result<QList<Account>> list(const QString &whereAndOrder, const QVariant &value,
                                const QString &purpose);
    // Runs `statement` (constant SQL that sets one time column of row `id`) with `time`;
    // NotFound when there is no such account.
    Status updateOne(const QString &statement, qint64 id, const QDateTime &time,
                     const QString &purpose);

    Database &m_db;
};

} // namespace latchkey
