#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

namespace latchkey {

class Database;

/// What the email rate limits need (docs/security.md: resend cooldown 60 s, at most 5 emails per
/// address per hour, at most 100 consecutive failures per address): the `email_send_log` and
/// `email_failures` tables. Identifiers are canonical addresses.
class RateLimitRepository
{
public:
    /// Works on `db`, which must outlive this repository.
    explicit RateLimitRepository(Database &db) : m_db(db) { }

    /// Records that an email was sent to `identifier` at `at`.
    Status recordSend(const QString &identifier, const QDateTime &at);
    /// How many emails were sent to `identifier` at or after `since`.
    Result<int> sendsSince(const QString &identifier, const QDateTime &since);
    /// When the last email to `identifier` was sent; NotFound when none is logged.
    Result<QDateTime> lastSend(const QString &identifier);
    /// Removes the entry recordSend(`identifier`, `at`) made, for an email that could not be sent
    /// after all, so it does not count against the limit. Forgetting an absent entry succeeds.
    Status forgetSend(const QString &identifier, const QDateTime &at);
    /// Deletes send-log rows older than `cutoff`; returns how many.
    Result<int> purgeSendsBefore(const QDateTime &cutoff);

    /// Counts one more failed attempt for `identifier` at `at`; returns the consecutive count.
    Result<int> recordFailure(const QString &identifier, const QDateTime &at);
    /// The consecutive failures of `identifier` (0 when none).
    Result<int> consecutiveFailures(const QString &identifier);
    /// Clears the failures of `identifier` (after a success). Clearing none succeeds.
    Status resetFailures(const QString &identifier);

private:
    Database &m_db;
};

} // namespace latchkey
