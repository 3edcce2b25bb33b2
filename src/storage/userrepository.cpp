#include "userrepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr auto kUserColumns = "id, name, email, email_verified, image, created_at, updated_at";

User userAt(const QSqlQuery &query)
{
    User user;
    user.id = query.value(0).toLongLong();
    user.name = sql::textAt(query, 1);
    user.email = sql::textAt(query, 2);
    user.emailVerified = sql::timeAt(query, 3);
    user.image = sql::textAt(query, 4);
    user.createdAt = sql::timeAt(query, 5);
    user.updatedAt = sql::timeAt(query, 6);
    return user;
}

} // namespace

Result<User> UserRepository::create(const User &profile, const QDateTime &now)
{
    auto query = m_db.run(u"INSERT INTO users (name, email, email_verified, image, created_at, "
                          u"updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING "_s +
                                  QLatin1String(kUserColumns),
                          {sql::textOrNull(profile.name), sql::textOrNull(profile.email),
                           sql::fromTime(profile.emailVerified), sql::textOrNull(profile.image),
                           sql::fromTime(now), sql::fromTime(now)},
                          u"create the user"_s);
    if (!query.ok())
        return query.error();
    query.value().next();
    const User user = userAt(query.value());
    query.value().finish(); // ends the statement, which commits the row
    return user;
}

Result<User> UserRepository::findById(qint64 id)
{
    return findOne(u"id = ?"_s, id, u"There is no user with id %1."_s.arg(id));
}

Result<User> UserRepository::findByEmail(const QString &email)
{
    return findOne(u"email = ?"_s, email, u"There is no user with this email address."_s);
}

Result<User> UserRepository::findOne(const QString &where, const QVariant &value,
                                     const QString &missing)
{
    // Only constant fragments are joined; the value is bound.
    auto query =
            m_db.run(u"SELECT %1 FROM users WHERE %2"_s.arg(QLatin1String(kUserColumns), where),
                     {value}, u"look up the user"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(missing);
    return userAt(query.value());
}

Status UserRepository::updateProfile(qint64 id, const QString &name, const QString &image,
                                     const QDateTime &now)
{
    auto query = m_db.run(u"UPDATE users SET name = ?, image = ?, updated_at = ? WHERE id = ?"_s,
                          {sql::textOrNull(name), sql::textOrNull(image), sql::fromTime(now), id},
                          u"update the user's profile"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return sql::notFound(u"There is no user with id %1."_s.arg(id));
    return {};
}

Status UserRepository::setEmailVerified(qint64 id, const QDateTime &at)
{
    auto query = m_db.run(u"UPDATE users SET email_verified = ?, updated_at = ? WHERE id = ?"_s,
                          {sql::fromTime(at), sql::fromTime(at), id},
                          u"mark the email address verified"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return sql::notFound(u"There is no user with id %1."_s.arg(id));
    return {};
}

Result<qint64> UserRepository::sessionGeneration(qint64 id)
{
    auto query = m_db.run(u"SELECT session_generation FROM users WHERE id = ?"_s, {id},
                          u"read the session generation"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(u"There is no user with id %1."_s.arg(id));
    return query.value().value(0).toLongLong();
}

Result<qint64> UserRepository::nextSessionGeneration(qint64 id)
{
    return m_db.transaction([&]() -> Result<qint64> {
        auto query = m_db.run(
                u"UPDATE users SET session_generation = session_generation + 1 WHERE id = ?"_s,
                {id}, u"end the jwt sessions"_s);
        if (!query.ok())
            return query.error();
        return sessionGeneration(id);
    });
}

Status UserRepository::nextSessionGenerationForAll()
{
    auto query = m_db.run(u"UPDATE users SET session_generation = session_generation + 1"_s, {},
                          u"end every jwt session"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status UserRepository::remove(qint64 id)
{
    auto query = m_db.run(u"DELETE FROM users WHERE id = ?"_s, {id}, u"remove the user"_s);
    if (!query.ok())
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return sql::notFound(u"There is no user with id %1."_s.arg(id));
    return {};
}

} // namespace latchkey
