#include "accountrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

// The values of the `accounts.type` CHECK constraint.
QString typeName(Account::Type type)
{
    return type == Account::Type::Email ? u"email"_s : u"oidc"_s;
}

Account accountAt(const QSqlQuery &query)
{
    Account account;
    account.id = query.value(0).toLongLong();
    account.userId = query.value(1).toLongLong();
    account.type =
            query.value(2).toString() == "email"_L1 ? Account::Type::Email : Account::Type::Oidc;
    account.provider = sql::textAt(query, 3);
    account.providerAccountId = sql::textAt(query, 4);
    account.issuer = sql::textAt(query, 5);
    account.scope = sql::textAt(query, 6);
    account.expiresAt = sql::timeAt(query, 7);
    account.createdAt = sql::timeAt(query, 8);
    account.refreshedAt = sql::timeAt(query, 9);
    return account;
}

constexpr auto kAccountColumns = "id, user_id, type, provider, provider_account_id, issuer, scope, "
                                 "expires_at, created_at, refreshed_at";

} // namespace

Result<Account> AccountRepository::create(const Account &account, const QDateTime &now)
{
    auto query = m_db.run(u"INSERT INTO accounts (user_id, type, provider, provider_account_id, "
                          u"issuer, scope, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                          u"RETURNING "_s +
                                  QLatin1String(kAccountColumns),
                          {account.userId, typeName(account.type), account.provider,
                           account.providerAccountId, sql::textOrNull(account.issuer),
                           sql::textOrNull(account.scope), sql::fromTime(account.expiresAt),
                           sql::fromTime(now)},
                          u"link the sign-in account"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const Account stored = accountAt(query.value());
    query.value().finish(); // ends the statement, which commits the row
    return stored;
}

Result<Account> AccountRepository::findByProviderAccount(const QString &provider,
                                                         const QString &providerAccountId)
{
    auto query =
            m_db.run(u"SELECT "_s + QLatin1String(kAccountColumns) +
                             u" FROM accounts WHERE provider = ? AND provider_account_id = ?"_s,
                     {provider, providerAccountId}, u"look up the sign-in account"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(u"No account of provider %1 has this identity."_s.arg(provider));
    return accountAt(query.value());
}

Result<QList<Account>> AccountRepository::listForUser(qint64 userId)
{
    return list(u"WHERE user_id = ? ORDER BY created_at, id"_s, userId,
                u"list the user's sign-in accounts"_s);
}

Result<QList<Account>> AccountRepository::list(const QString &whereAndOrder, const QVariant &value,
                                               const QString &purpose)
{
    // Only constant fragments are joined; the value is bound.
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kAccountColumns) + u" FROM accounts a "_s +
                                  whereAndOrder,
                          {value}, purpose);
    if (!query.ok())
        return query.error();
    QList<Account> accounts;
    while (query.value().next())
        accounts.append(accountAt(query.value()));
    return accounts;
}

Status AccountRepository::setExpiresAt(qint64 id, const QDateTime &expiresAt)
{
    return updateOne(u"UPDATE accounts SET expires_at = ? WHERE id = ?"_s, id, expiresAt,
                     u"record when the access token expires"_s);
}

Status AccountRepository::setTokensStored(qint64 id, const QDateTime &since)
{
    return updateOne(u"UPDATE accounts SET tokens_stored_at = ? WHERE id = ?"_s, id, since,
                     u"note that the keychain holds tokens"_s);
}

Status AccountRepository::setRefreshed(qint64 id, const QDateTime &at)
{
    return updateOne(u"UPDATE accounts SET refreshed_at = ? WHERE id = ?"_s, id, at,
                     u"note when the provider last sent tokens"_s);
}

Status AccountRepository::updateOne(const QString &statement, qint64 id, const QDateTime &time,
                                    const QString &purpose)
{
    auto query = m_db.run(statement, {sql::fromTime(time), id}, purpose);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return sql::notFound(u"There is no sign-in account with id %1."_s.arg(id));
    return {};
}

Result<QList<Account>> AccountRepository::listLeftoverTokens(const QDateTime &now)
{
    // A session of either strategy: a row, or the expiry a jwt session noted on the device.
    return list(u"WHERE tokens_stored_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                u" (SELECT s.expires AS e FROM sessions s WHERE s.user_id = a.user_id UNION ALL"
                u" SELECT d.session_expires FROM device_accounts d WHERE d.user_id = a.user_id)"
                u" WHERE e > ?) ORDER BY id"_s,
                sql::fromTime(now), u"look for provider tokens left behind"_s);
}

Status AccountRepository::remove(qint64 id)
{
    auto query =
            m_db.run(u"DELETE FROM accounts WHERE id = ?"_s, {id}, u"unlink the sign-in account"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return sql::notFound(u"There is no sign-in account with id %1."_s.arg(id));
    return {};
}

} // namespace latchkey
