#include "verificationtokenrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr auto kVerificationTokenColumns =
        "id, identifier, token_hash, code_hash, expires, attempts, created_at, callback_port";

VerificationTokenRecord tokenAt(const QSqlQuery &query)
{
    VerificationTokenRecord token;
    token.id = query.value(0).toLongLong();
    token.identifier = sql::textAt(query, 1);
    token.tokenHash = sql::bytesAt(query, 2);
    token.codeHash = sql::bytesAt(query, 3);
    token.expires = sql::timeAt(query, 4);
    token.attempts = query.value(5).toInt();
    token.createdAt = sql::timeAt(query, 6);
    token.callbackPort = static_cast<quint16>(query.value(7).toUInt());
    return token;
}

Error noToken()
{
    return sql::notFound(u"There is no pending sign-in for this link or address (it was used, "
                         u"replaced or has expired). Request a new email."_s);
}

} // namespace

Result<VerificationTokenRecord>
VerificationTokenRepository::create(const QString &identifier, const QByteArray &tokenHash,
                                    const QByteArray &codeHash, const QDateTime &expires,
                                    const QDateTime &now, quint16 callbackPort)
{
    auto query = m_db.run(u"INSERT INTO verification_tokens (identifier, token_hash, code_hash, "
                          u"expires, created_at, callback_port) VALUES (?, ?, ?, ?, ?, ?) "
                          u"RETURNING "_s +
                                  QLatin1String(kVerificationTokenColumns),
                          {identifier, tokenHash, codeHash.isEmpty() ? QVariant() : codeHash,
                           sql::fromTime(expires), sql::fromTime(now),
                           callbackPort ? QVariant(callbackPort) : QVariant()},
                          u"store the sign-in link"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const VerificationTokenRecord token = tokenAt(query.value());
    query.value().finish(); // ends the statement, which commits the row
    return token;
}

Result<VerificationTokenRecord>
VerificationTokenRepository::findByTokenHash(const QByteArray &tokenHash)
{
    return findOne(u"WHERE token_hash = ?"_s, tokenHash);
}

Result<VerificationTokenRecord>
VerificationTokenRepository::findLatestForIdentifier(const QString &identifier)
{
    return findOne(u"WHERE identifier = ? ORDER BY created_at DESC, id DESC LIMIT 1"_s, identifier);
}

Result<VerificationTokenRecord> VerificationTokenRepository::findNewestPending(const QDateTime &now)
{
    return findOne(u"WHERE expires > ? ORDER BY created_at DESC, id DESC LIMIT 1"_s,
                   sql::fromTime(now));
}

Result<VerificationTokenRecord> VerificationTokenRepository::findOne(const QString &whereAndOrder,
                                                                     const QVariant &value)
{
    // Only constant fragments are joined; the value is bound.
    auto query = m_db.run(u"SELECT "_s + QLatin1String(kVerificationTokenColumns) +
                                  u" FROM verification_tokens "_s + whereAndOrder,
                          {value}, u"look up the sign-in link"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return noToken();
    return tokenAt(query.value());
}

Result<int> VerificationTokenRepository::incrementAttempts(qint64 id)
{
    // One statement: concurrent wrong codes cannot both read the same count.
    auto query = m_db.run(u"UPDATE verification_tokens SET attempts = attempts + 1 WHERE id = ? "
                          u"RETURNING attempts"_s,
                          {id}, u"count a wrong code"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return noToken();
    const int attempts = query.value().value(0).toInt();
    query.value().finish(); // ends the statement, which commits the change
    return attempts;
}

Result<bool> VerificationTokenRepository::consume(qint64 id)
{
    // docs/security.md (email): single use, deleted atomically when used. SQLite serialises
    // writers, so of several callers only one DELETE sees the row.
    auto query = m_db.run(u"DELETE FROM verification_tokens WHERE id = ?"_s, {id},
                          u"use the sign-in link"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected() == 1;
}

Result<int> VerificationTokenRepository::removeForIdentifier(const QString &identifier)
{
    auto query = m_db.run(u"DELETE FROM verification_tokens WHERE identifier = ?"_s, {identifier},
                          u"remove the pending sign-ins"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

Result<int> VerificationTokenRepository::purgeExpired(const QDateTime &now)
{
    auto query = m_db.run(u"DELETE FROM verification_tokens WHERE expires <= ?"_s,
                          {sql::fromTime(now)}, u"remove expired sign-in links"_s);
    if (!query.ok())
        return query.error();
    return query.value().numRowsAffected();
}

} // namespace latchkey
