#pragma once

#include "core/result.h"
#include "storage/records.h"

namespace latchkey {

class Database;

/// The `verification_tokens` table: pending email sign-ins (docs/security.md, email magic link and
/// code). Absent rows are NotFound errors (see Database).
class VerificationTokenRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit VerificationTokenRepository(Database &db) : m_db(db) { }

    /// Stores a pending sign-in for `identifier` (the canonical address) with the hashed link
    /// token and the keyed hash of the code, valid until `expires`, whose link points at
    /// `callbackPort` (0 = none). A reused token hash is a
    /// kUnique error.
    Result<VerificationTokenRecord> create(const QString &identifier, const QByteArray &tokenHash,
                                           const QByteArray &codeHash, const QDateTime &expires,
                                           const QDateTime &now, quint16 callbackPort = 0);
    /// The pending sign-in whose link token hashes to `tokenHash` (expired rows included).
    Result<VerificationTokenRecord> findByTokenHash(const QByteArray &tokenHash);
    /// The most recently created sign-in of any address that is still valid at `now`.
    Result<VerificationTokenRecord> findNewestPending(const QDateTime &now);
    /// The most recently created pending sign-in for `identifier` (expired rows included).
    Result<VerificationTokenRecord> findLatestForIdentifier(const QString &identifier);
    /// Counts one more wrong code on row `id` and returns the new count, atomically.
    Result<int> incrementAttempts(qint64 id);
    /// Deletes row `id` atomically: true for the one caller whose DELETE removed it, false for
    /// everyone else (already used or purged). Single use (docs/security.md).
    Result<bool> consume(qint64 id);
    /// Deletes every pending sign-in for `identifier`; returns how many.
    Result<int> removeForIdentifier(const QString &identifier);
    /// Deletes rows with `expires <= now`; returns how many.
    Result<int> purgeExpired(const QDateTime &now);

private:
    Result<VerificationTokenRecord> findOne(const QString &whereAndOrder, const QVariant &value);

    Database &m_db;
};

} // namespace latchkey
