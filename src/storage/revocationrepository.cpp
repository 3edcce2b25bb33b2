#include "revocationrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr auto kRevocationColumns =
        "id, provider, token_type_hint, sealed, queued_at, attempts, next_attempt_at";

PendingRevocation rowAt(const QSqlQuery &query)
{
    PendingRevocation row;
    row.id = query.value(0).toLongLong();
    row.provider = sql::textAt(query, 1);
    row.tokenTypeHint = sql::textAt(query, 2);
    row.sealed = query.value(3).toByteArray();
    row.queuedAt = sql::timeAt(query, 4);
    row.attempts = query.value(5).toInt();
    row.nextAttemptAt = sql::timeAt(query, 6);
    return row;
}

} // namespace

Result<PendingRevocation> RevocationRepository::add(const QString &provider,
                                                    const QString &tokenTypeHint,
                                                    const QByteArray &sealed, const QDateTime &now)
{
    auto query = m_db.run(u"INSERT INTO pending_revocations (provider, token_type_hint, sealed, "
                          u"queued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?) RETURNING "_s +
                                  QLatin1String(kRevocationColumns),
                          {provider, tokenTypeHint, sealed, sql::fromTime(now), sql::fromTime(now)},
                          u"note a token to revoke"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const PendingRevocation row = rowAt(query.value());
    query.value().finish();
    return row;
}

Result<QList<PendingRevocation>> RevocationRepository::all()
{
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kRevocationColumns) +
                                  u" FROM pending_revocations ORDER BY id"_s,
                          {}, u"read the tokens waiting to be revoked"_s);
    if (!query.ok())
        return query.error();
    QList<PendingRevocation> rows;
    while (query.value().next())
        rows.append(rowAt(query.value()));
    return rows;
}

Result<QDateTime> RevocationRepository::nextDue()
{
    auto query = m_db.run(u"SELECT MIN(next_attempt_at) FROM pending_revocations"_s, {},
                          u"read when the next revocation is due"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    return sql::timeAt(query.value(), 0);
}

Status RevocationRepository::postpone(qint64 id, const QDateTime &next)
{
    auto query = m_db.run(u"UPDATE pending_revocations SET attempts = attempts + 1, "
                          u"next_attempt_at = ? WHERE id = ?"_s,
                          {sql::fromTime(next), id}, u"postpone a revocation"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status RevocationRepository::remove(qint64 id)
{
    auto query = m_db.run(u"DELETE FROM pending_revocations WHERE id = ?"_s, {id},
                          u"remove a revoked token"_s);
    if (!query.ok())
        return query.error();
    return {};
}

} // namespace latchkey
