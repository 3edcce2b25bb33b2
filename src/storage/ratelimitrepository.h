#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

namespace latchkey {

class Database;

/// The wrong codes of one address and its cooldown (the `email_failures` row). A row whose
/// `expires` has passed counts as none.
struct CodeFailures
{
    int consecutive = 0; ///< wrong codes since the last success or the last cooldown
    int cooldowns = 0; ///< cooldowns so far; each one lasts longer than the one before
    QDateTime lockedUntil; ///< the end of the current cooldown; invalid when there is none
    QDateTime expires; ///< when the row is forgotten (and purged)
};

/// What the email rate limits need (docs/security.md: resend cooldown, emails per address and per
/// install per hour, the cooldown after wrong codes): the `email_send_log` and `email_failures`
/// tables. Identifiers are canonical addresses.
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
    /// When the `n`-th newest email (1 = the newest) to `identifier` was sent, or to any address
    /// when `identifier` is empty; NotFound when fewer than `n` are logged.
    Result<QDateTime> nthLatestSend(int n, const QString &identifier = {});
    /// Removes the entry recordSend(`identifier`, `at`) made, for an email that could not be sent
    /// after all, so it does not count against the limit. Forgetting an absent entry succeeds.
    Status forgetSend(const QString &identifier, const QDateTime &at);
    /// Deletes send-log rows older than `cutoff`; returns how many.
    Result<int> purgeSendsBefore(const QDateTime &cutoff);

    /// The wrong codes and cooldown of `identifier` at `now` (all zero when none, or when its row
    /// has expired).
    Result<CodeFailures> codeFailures(const QString &identifier, const QDateTime &now);
    /// Stores `failures` as the row of `identifier`, written at `now`.
    Status saveCodeFailures(const QString &identifier, const CodeFailures &failures,
                            const QDateTime &now);
    /// Clears the failures of `identifier` (after a success). Clearing none succeeds.
    Status resetFailures(const QString &identifier);
    /// Deletes failure rows that expired at or before `now`; returns how many.
    Result<int> purgeFailuresExpired(const QDateTime &now);

private:
    Database &m_db;
};

} // namespace latchkey
