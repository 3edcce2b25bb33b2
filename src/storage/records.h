#pragma once

#include <latchkey/types.h>

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

// Plain rows of the Latchkey database (docs/architecture.md, the Auth.js adapter model). Times are
// UTC QDateTime values stored as INTEGER unix seconds (sub-second parts are dropped); an invalid
// QDateTime is SQL NULL. Empty optional text is stored as NULL and read back as an empty string.

namespace latchkey {

/// A database-strategy session (docs/architecture.md). Only the hash of the session token is
/// stored.
struct SessionRecord
{
    qint64 id = 0; ///< assigned by the database
    QByteArray tokenHash; ///< SHA-256 of the session token (raw bytes)
    qint64 userId = 0; ///< the signed-in user
    QDateTime expires; ///< after this instant the session is invalid (30 days, rolled forward by
                       ///< touch)
    QDateTime createdAt; ///< when the session was created (sign-in)
    QDateTime lastSeenAt; ///< last activity
    QString deviceName; ///< a label for "this device" in the session list
    QString method; ///< how it signed in: a provider id or "email" (empty: not known)
    QDateTime authenticatedAt; ///< when the person last proved it: sign-in or step-up
};

/// A pending email sign-in: the hashed link token and keyed hash of the code (docs/security.md).
struct VerificationTokenRecord
{
    qint64 id = 0; ///< assigned by the database
    QString identifier; ///< the canonical address the link and code were sent to
    QByteArray tokenHash; ///< SHA-256 of the link token (raw bytes), unique
    QByteArray codeHash; ///< HMAC of the 6-digit code (raw bytes)
    QDateTime expires; ///< after this instant the link and code are void (10 minutes)
    int attempts = 0; ///< wrong codes entered so far
    quint16 callbackPort = 0; ///< the loopback port the link points at (0 = none), so a restarted
                              ///< app can listen there again while the link is valid
    QDateTime createdAt; ///< when the email was issued
};

/// One entry of the audit trail (Auth.js events: signIn, signOut, createUser, linkAccount, ...).
/// `userId` keeps the id of a user even after that user is removed (ids are never reused).
struct Event
{
    qint64 id = 0; ///< assigned by the database
    QDateTime at; ///< when it happened
    QString kind; ///< Auth.js event name: signIn, signOut, createUser, linkAccount, sessionExpired,
                  ///< error
    std::optional<qint64> userId; ///< the user concerned; none for anonymous events
    QString detail; ///< free text; never a secret
};

} // namespace latchkey
