#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace latchkey {

class Database;

/// One account signed in on this device (docs/architecture.md, accounts on this device).
struct DeviceAccountRecord
{
    qint64 userId = 0;
    bool active = false; ///< the account the next start opens
    QDateTime lastUsedAt; ///< when it was last signed in to or switched to
    /// The latest expiry of its session rows, or of its jwt session; invalid when it has none.
    QDateTime sessionExpires;
};

/// What this device remembers besides the sessions: which accounts are signed in here, which one
/// is active (the `device_accounts` table), and small settings such as the last view
/// (`device_state`). Nothing here is secret: the session tokens are in the keychain.
class DeviceRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit DeviceRepository(Database &db) : m_db(db) { }

    /// The active account's user id; NotFound when none is active.
    Result<qint64> activeUser();
    /// Adds `userId` to this device's accounts if needed and makes it the only active one.
    Status activate(qint64 userId, const QDateTime &now);
    /// Leaves every account signed in here, but none active (signed out of the active one).
    Status deactivate();
    /// Removes `userId` from this device's accounts.
    Status remove(qint64 userId);
    /// Removes every account from this device.
    Status removeAll();
    /// Notes when the jwt session of `userId` on this device runs out (it has no row to say so).
    Status setSessionExpires(qint64 userId, const QDateTime &expires);
    /// This device's accounts: the active one first, then the most recently used.
    Result<QList<DeviceAccountRecord>> accounts();

    /// The value stored under `key`; NotFound when there is none.
    Result<QString> value(const QString &key);
    /// Stores `value` under `key`, replacing what was there.
    Status setValue(const QString &key, const QString &value);
    /// Removes `key` (nothing happens when it is absent).
    Status removeValue(const QString &key);

private:
    Database &m_db;
};

} // namespace latchkey
