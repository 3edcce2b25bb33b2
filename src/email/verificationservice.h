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
    int codesBeforeCooldown = 10; ///< wrong codes in a row for one address, then it cools down
    qint64 cooldownSecs = 900; ///< the first cooldown; each further one lasts twice as long
    qint64 maxCooldownSecs = 86400; ///< no cooldown lasts longer
    qint64 failureMemorySecs = 86400; ///< wrong codes are forgotten this long after the last one
    qint64 resendCooldownSecs = 60;
    int maxSendsPerHour = 5; ///< per address
    int maxSendsPerHourOverall = 30; ///< per install, across addresses: no spraying mail
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

    /// Checks the rate limits (the address's cooldown after wrong codes, the resend cooldown, the
    /// hourly caps per address and per install), voids earlier requests for the address and
    /// issues a new link token and code. RateLimited errors say when to retry (retryAfterSecs).
    /// The link will point at the loopback listener on `callbackPort` (remembered so a restarted
    /// app can listen there again).
    Result<IssuedVerification> issue(const QString &identifier, quint16 callbackPort = 0);

    /// The newest request of any address that is still valid: the sign-in a restarted app
    /// resumes. NotFound when there is none.
    Result<IssuedVerification> newestPending() const;
    /// The request for `identifier` if it is still valid. NotFound when there is none.
    Result<IssuedVerification> pendingFor(const QString &identifier) const;

    /// Withdraws a request whose email could not be sent: its token and its send-log entry go,
    /// so nothing half-made stays behind and the user may retry at once.
    void withdraw(const IssuedVerification &issued);

    /// Voids the pending request for `identifier` (the user cancelled): its link and code stop
    /// working. The send log is kept, so cancelling does not bypass the rate limits.
    void voidPending(const QString &identifier);

    /// Redeems a link for the sign-in waiting for `request` (its id and identifier): the address
    /// the link names (`identifier`, canonical) must be the request's and the token must be that
    /// request's, unexpired. Returns the identifier on success; the token is consumed exactly
    /// once. Any other link is refused with LinkForOtherAddress or LinkNotForThisSignIn and
    /// writes nothing: links are never counted against an address, since a 256-bit token cannot
    /// be guessed.
    Result<QString> redeemLink(const IssuedVerification &request, const QString &identifier,
                               const QString &token);

    /// Redeems a typed code for `identifier`. A wrong code counts against the request (the fifth
    /// voids it) and the address (EmailPolicy::codesBeforeCooldown in a row start a cooldown,
    /// AddressLocked with retryAfterSecs). Returns the identifier on success; the request is
    /// consumed exactly once.
    Result<QString> redeemCode(const QString &identifier, const QString &code);

    /// Seconds until the address may be sent another email (0 = now).
    qint64 resendWaitSecs(const QString &identifier) const;

    /// When the pending request for `identifier` expires; invalid when none is pending.
    QDateTime pendingExpiry(const QString &identifier) const;

private:
    QByteArray codeHash(const QByteArray &tokenHash, const QString &code) const;
    Status checkCooldown(const QString &identifier) const;
    qint64 hourlyCapWaitSecs(int cap, const QString &identifier) const;
    Error refuseWrongCode(const QString &identifier, qint64 requestId);

    Database &m_db;
    const Clock &m_clock;
    QByteArray m_installSecret;
    EmailPolicy m_policy;
};

} // namespace latchkey
