#pragma once

#include "storage/records.h"

#include <QDateTime>
#include <QList>

namespace latchkey {

/// A signed-in session as the app sees it (the desktop twin of Auth.js `useSession().data`).
struct Session
{
    qint64 sessionId = 0;
    User user;
    QList<Account> accounts; ///< the user's linked sign-in methods
    QDateTime expires;
};

/// How sessions live (DESIGN.md §5 and §7; Auth.js `session.maxAge` / `session.updateAge`).
struct SessionPolicy
{
    qint64 maxAgeSecs = 30 * 24 * 3600;
    qint64 updateAgeSecs = 24 * 3600;
    QString deviceName; ///< shown in Profile's list of sessions
};

/// Where the session manager is (DESIGN.md §5).
enum class SessionState {
    Loading, ///< reading the keychain at start
    SignedOut,
    SignedIn,
    Expired, ///< the stored session ran out; sign in again
    Error, ///< the keychain is unavailable or locked; signing in works for this run only
};

} // namespace latchkey
