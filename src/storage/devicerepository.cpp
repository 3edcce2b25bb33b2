#include "devicerepository.h"

#include "storage/database.h"
#include "storage/sqlvalues.h"

using namespace Qt::StringLiterals;

namespace latchkey {

Result<qint64> DeviceRepository::activeUser()
{
    auto query = m_db.run(u"SELECT user_id FROM device_accounts WHERE active = 1"_s, {},
                          u"look up the active account"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(u"No account is active on this device."_s);
    return query.value().value(0).toLongLong();
}

Status DeviceRepository::activate(qint64 userId, const QDateTime &now)
{
    return m_db.transaction([&]() -> Status {
        if (auto cleared = deactivate(); !cleared)
            return cleared;
        auto query = m_db.run(u"INSERT INTO device_accounts (user_id, active, last_used_at)"
                              u" VALUES (?, 1, ?) ON CONFLICT (user_id)"
                              u" DO UPDATE SET active = 1, last_used_at = excluded.last_used_at"_s,
                              {userId, sql::fromTime(now)}, u"make the account active"_s);
        if (!query.ok())
            return query.error();
        return {};
    });
}

Status DeviceRepository::deactivate()
{
    auto query = m_db.run(u"UPDATE device_accounts SET active = 0 WHERE active = 1"_s, {},
                          u"leave the active account"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status DeviceRepository::remove(qint64 userId)
{
    auto query = m_db.run(u"DELETE FROM device_accounts WHERE user_id = ?"_s, {userId},
                          u"remove the account from this device"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status DeviceRepository::setSessionExpires(qint64 userId, const QDateTime &expires)
{
    auto query = m_db.run(u"UPDATE device_accounts SET session_expires = ? WHERE user_id = ?"_s,
                          {sql::fromTime(expires), userId}, u"note when the session runs out"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status DeviceRepository::removeAll()
{
    auto query = m_db.run(u"DELETE FROM device_accounts"_s, {},
                          u"remove every account from this device"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Result<QList<DeviceAccountRecord>> DeviceRepository::accounts()
{
    auto query = m_db.run(
            u"SELECT d.user_id, d.active, d.last_used_at,"
            u" COALESCE((SELECT MAX(s.expires) FROM sessions s WHERE s.user_id = d.user_id),"
            u" d.session_expires)"
            u" FROM device_accounts d"
            u" ORDER BY d.active DESC, d.last_used_at DESC, d.user_id"_s,
            {}, u"list the accounts on this device"_s);
    if (!query.ok())
        return query.error();
    QList<DeviceAccountRecord> accounts;
    while (query.value().next()) {
        const QSqlQuery &row = query.value();
        accounts.append(DeviceAccountRecord{row.value(0).toLongLong(), row.value(1).toInt() == 1,
                                            sql::timeAt(row, 2), sql::timeAt(row, 3)});
    }
    return accounts;
}

Result<QString> DeviceRepository::value(const QString &key)
{
    auto query = m_db.run(u"SELECT value FROM device_state WHERE key = ?"_s, {key},
                          u"read a device setting"_s);
    if (!query.ok())
        return query.error();
    if (!query.value().next())
        return sql::notFound(u"Nothing is stored under %1."_s.arg(key));
    return query.value().value(0).toString();
}

Status DeviceRepository::setValue(const QString &key, const QString &value)
{
    auto query = m_db.run(u"INSERT INTO device_state (key, value) VALUES (?, ?)"
                          u" ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s,
                          {key, value}, u"store a device setting"_s);
    if (!query.ok())
        return query.error();
    return {};
}

Status DeviceRepository::removeValue(const QString &key)
{
    auto query = m_db.run(u"DELETE FROM device_state WHERE key = ?"_s, {key},
                          u"remove a device setting"_s);
    if (!query.ok())
        return query.error();
    return {};
}

} // namespace latchkey
