#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace latchkey {

class Database;

/// A provider token waiting to be revoked (RFC 7009), sealed: only the key in the keychain opens
/// it (docs/security.md, the revocation queue).
struct PendingRevocation
{
    qint64 id = 0;
    QString provider; ///< configured provider id
    QString tokenTypeHint; ///< "refresh_token" or "access_token"
    QByteArray sealed;
    QDateTime queuedAt;
    int attempts = 0; ///< failed tries so far
    QDateTime nextAttemptAt;
};

/// The `pending_revocations` table.
class RevocationRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit RevocationRepository(Database &db) : m_db(db) { }

    /// Notes a token to revoke, due now; returns its row.
    Result<PendingRevocation> add(const QString &provider, const QString &tokenTypeHint,
                                  const QByteArray &sealed, const QDateTime &now);
    /// Every row, oldest first.
    Result<QList<PendingRevocation>> all();
    /// When the next row is due; an invalid time when none waits.
    Result<QDateTime> nextDue();
    /// Records a failed try of row `id`: one more attempt, due again at `next`.
    Status postpone(qint64 id, const QDateTime &next);
    /// Removes row `id` (revoked, or given up). Removing a row that is gone is not an error.
    Status remove(qint64 id);

private:
    Database &m_db;
};

} // namespace latchkey
