#pragma once

#include "storage/records.h"

#include <latchkey/options.h>

#include <QDateTime>
#include <QList>

namespace latchkey {

/// How sessions live (docs/architecture.md and §7; Auth.js `session.maxAge` / `session.updateAge`).
struct SessionPolicy
{
    qint64 maxAgeSecs = 30 * 24 * 3600;
    qint64 updateAgeSecs = 24 * 3600;
    QString deviceName; ///< shown in Profile's list of sessions
    SessionStrategy strategy = SessionStrategy::Database;
};

/// Where the session manager is (docs/architecture.md).
enum class SessionState {
    Loading, ///< reading the keychain at start
    SignedOut,
    SignedIn,
    Expired, ///< the stored session ran out; sign in again
    Error, ///< the keychain is unavailable or locked; signing in works for this run only
};

} // namespace latchkey
