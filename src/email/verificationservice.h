#pragma once

#include "core/clock.h"
#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace latchkey {

class Database;

/// Limits of email sign-in (docs/architecture.md; docs/security.md, email magic link and code).
struct EmailPolicy
{
    qint64 lifetimeSecs = 600; ///< link and code live 10 minutes
    int maxCodeAttempts = 5; ///< wrong codes per request, then it is void
    int maxConsecutiveFailures = 100; ///< per address, until a success
    qint64 resendCooldownSecs = 60;
    int maxSendsPerHour = 5;
};

/// A freshly issued link token and code. They exist only here and in the email: the database
/// keeps their hashes.
struct IssuedVerification
{
    qint64 id = 0;
    QString identifier; ///< the canonical address
    QString token; ///< 256-bit link token, base64url
    QString code; ///< 6 digits
    QDateTime expires;
    quint16 callbackPort = 0; ///< where the link points (127.0.0.1:<port>/callback/email)
};

/// Issues and redeems email link tokens and codes against the database.
///
/// The link token is stored as SHA-256; the code as HMAC-SHA-256 keyed with the install secret
/// (kept in the keychain) so a stolen database cannot brute-force codes offline. Both are bound to
/// one request and one address, single use (deleted atomically when redeemed), and expire.
/// Addresses are canonical (core/emailaddress.h) before they reach this class.
class VerificationService
{
public:
    /// `db` and `clock` must outlive the service. `installSecret` keys the code hash.
    VerificationService(Database &db, const Clock &clock, QByteArray installSecret,
                        EmailPolicy policy = {});

    /// Checks the rate limits (cooldown, hourly cap, failure lockout), voids earlier requests for
    /// the address and issues a new link token and code. RateLimited errors say when to retry.
    /// The link will point at the loopback listener on `callbackPort` (remembered so a restarted
    /// app can listen there again).
    Result<IssuedVerification> issue(const QString &identifier, quint16 callbackPort = 0);

    /// The newest request of any address that is still valid: the sign-in a restarted app
    /// resumes. NotFound when there is none.
    Result<IssuedVerification> newestPending() const;

    /// Withdraws a request whose email could not be sent: its token and its send-log entry go,
    /// so nothing half-made stays behind and the user may retry at once.
    void withdraw(const IssuedVerification &issued);

    /// Voids the pending request for `identifier` (the user cancelled): its link and code stop
    /// working. The send log is kept, so cancelling does not bypass the rate limits.
    void voidPending(const QString &identifier);

    /// Redeems a link: the token must exist, be unexpired and belong to `identifier`.
    /// Returns the identifier on success; the token is consumed exactly once.
    Result<QString> redeemLink(const QString &identifier, const QString &token);

    /// Redeems a typed code for `identifier`. A wrong code counts; the fifth wrong code voids the
    /// request. Returns the identifier on success; the request is consumed exactly once.
    Result<QString> redeemCode(const QString &identifier, const QString &code);

    /// Seconds until the address may be sent another email (0 = now).
    qint64 resendWaitSecs(const QString &identifier) const;

    /// When the pending request for `identifier` expires; invalid when none is pending.
    QDateTime pendingExpiry(const QString &identifier) const;

private:
    QByteArray codeHash(const QByteArray &tokenHash, const QString &code) const;
    Status checkLockout(const QString &identifier) const;
    qint64 hourlyCapWaitSecs(const QString &identifier) const;
    Error fail(const QString &identifier, Error error);

    Database &m_db;
    const Clock &m_clock;
    QByteArray m_installSecret;
    EmailPolicy m_policy;
};

} // namespace latchkey
