#include "verificationservice.h"

#include "core/digest.h"
#include "core/logging.h"
#include "core/random.h"
#include "storage/database.h"
#include "storage/ratelimitrepository.h"
#include "storage/verificationtokenrepository.h"

#include <QMessageAuthenticationCode>

#include <algorithm>

namespace latchkey {

namespace {

constexpr int kLinkTokenBytes = 32; // 256 bits (docs/security.md)
constexpr int kCodeDigits = 6;
constexpr qint64 kHourSecs = 3600;

// Messages never reveal whether an address has an account (docs/security.md).
Error expiredOrUsed()
{
    return Error::make(ErrorKind::InvalidInput, ErrorCode::CodeOrLinkExpired,
                       QStringLiteral("This sign-in link or code has expired or was already used. "
                                      "Request a new email."),
                       QStringLiteral("expired"));
}

QString waitText(qint64 seconds)
{
    if (seconds < 120)
        return QStringLiteral("%1 seconds").arg(seconds);
    return QStringLiteral("%1 minutes").arg((seconds + 59) / 60);
}

/// A refused send: what happened, and when another send will be allowed.
Error rateLimited(ErrorCode code, const QString &what, qint64 waitSecs)
{
    Error error = Error::make(
            ErrorKind::RateLimited, code,
            what + QStringLiteral(" You can ask for another in %1.").arg(waitText(waitSecs)),
            QString::number(waitSecs));
    error.retryAfterSecs = waitSecs;
    return error;
}

} // namespace

VerificationService::VerificationService(Database &db, const Clock &clock, QByteArray installSecret,
                                         EmailPolicy policy)
    : m_db(db), m_clock(clock), m_installSecret(std::move(installSecret)), m_policy(policy)
{ }

QByteArray VerificationService::codeHash(const QByteArray &tokenHash, const QString &code) const
{
    // Keyed (docs/security.md): without the install secret from the keychain, a copy of the
    // database gives nothing to brute-force. Bound to the request through its token hash.
    return QMessageAuthenticationCode::hash(tokenHash + ':' + code.toLatin1(), m_installSecret,
                                            QCryptographicHash::Sha256);
}

Status VerificationService::checkLockout(const QString &identifier) const
{
    auto failures = RateLimitRepository(m_db).consecutiveFailures(identifier);
    if (failures && failures.value() >= m_policy.maxConsecutiveFailures)
        return Error::make(ErrorKind::RateLimited, ErrorCode::AddressLocked,
                           QStringLiteral("Too many failed sign-in attempts for this address. "
                                          "Sign in another way, or ask for help."),
                           QStringLiteral("locked"));
    return {};
}

qint64 VerificationService::resendWaitSecs(const QString &identifier) const
{
    auto last = RateLimitRepository(m_db).lastSend(identifier);
    if (!last)
        return 0;
    return std::max<qint64>(0, m_clock.now().secsTo(last->addSecs(m_policy.resendCooldownSecs)));
}

qint64 VerificationService::hourlyCapWaitSecs(const QString &identifier) const
{
    // A send counts for one hour: the window is (now - 1 h, now].
    RateLimitRepository log(m_db);
    const QDateTime now = m_clock.now();
    auto sent = log.sendsSince(identifier, now.addSecs(1 - kHourSecs));
    if (!sent || sent.value() < m_policy.maxSendsPerHour)
        return 0;
    // The newest second `since` that still sees maxSendsPerHour sends is when the oldest send
    // that keeps the cap reached was made; the cap lifts one hour after it. sendsSince() falls
    // as `since` grows, so a binary search over the window finds it in ~12 indexed lookups.
    qint64 low = 1 - kHourSecs; // sees >= cap (checked above)
    qint64 high = 0; // candidates are in [low, high]
    while (low < high) {
        const qint64 mid = low + (high - low + 1) / 2;
        auto count = log.sendsSince(identifier, now.addSecs(mid));
        if (count && count.value() >= m_policy.maxSendsPerHour)
            low = mid;
        else
            high = mid - 1;
    }
    return std::max<qint64>(1, low + kHourSecs);
}

QDateTime VerificationService::pendingExpiry(const QString &identifier) const
{
    auto latest = VerificationTokenRepository(m_db).findLatestForIdentifier(identifier);
    if (!latest || latest->expires <= m_clock.now())
        return {};
    return latest->expires;
}

Result<IssuedVerification> VerificationService::newestPending() const
{
    auto record = VerificationTokenRepository(m_db).findNewestPending(m_clock.now());
    if (!record)
        return record.error();
    IssuedVerification pending;
    pending.id = record->id;
    pending.identifier = record->identifier;
    pending.expires = record->expires;
    pending.callbackPort = record->callbackPort;
    return pending;
}

Result<IssuedVerification> VerificationService::issue(const QString &identifier,
                                                      quint16 callbackPort)
{
    if (auto locked = checkLockout(identifier); !locked)
        return locked.error();
    if (const qint64 wait = resendWaitSecs(identifier); wait > 0)
        return rateLimited(ErrorCode::ResendTooSoon,
                           QStringLiteral("An email was sent to this address a moment ago."), wait);
    // docs/security.md: at most 5 emails per address per hour.
    if (const qint64 wait = hourlyCapWaitSecs(identifier); wait > 0)
        return rateLimited(ErrorCode::HourlyLimit,
                           QStringLiteral("Several emails were sent to this address in the last "
                                          "hour."),
                           wait);

    IssuedVerification issued;
    issued.identifier = identifier;
    issued.callbackPort = callbackPort;
    issued.token = random::base64Url(kLinkTokenBytes);
    issued.code = random::digits(kCodeDigits);
    const QDateTime now = m_clock.now();
    issued.expires = now.addSecs(m_policy.lifetimeSecs);
    const QByteArray tokenHash = hashToken(issued.token.toLatin1());

    auto created = m_db.transaction([&]() -> Result<VerificationTokenRecord> {
        VerificationTokenRepository tokens(m_db);
        // One pending request per address: a new email voids the earlier link and code.
        if (auto removed = tokens.removeForIdentifier(identifier); !removed)
            return removed.error();
        if (auto logged = RateLimitRepository(m_db).recordSend(identifier, now); !logged)
            return logged.error();
        return tokens.create(identifier, tokenHash, codeHash(tokenHash, issued.code),
                             issued.expires, now, callbackPort);
    });
    if (!created)
        return created.error();
    issued.id = created->id;
    return issued;
}

void VerificationService::withdraw(const IssuedVerification &issued)
{
    (void)m_db.transaction([&]() -> Status {
        (void)VerificationTokenRepository(m_db).removeForIdentifier(issued.identifier);
        return RateLimitRepository(m_db).forgetSend(issued.identifier,
                                                    issued.expires.addSecs(-m_policy.lifetimeSecs));
    });
}

void VerificationService::voidPending(const QString &identifier)
{
    (void)VerificationTokenRepository(m_db).removeForIdentifier(identifier);
}

Error VerificationService::fail(const QString &identifier, Error error)
{
    // The failure counter is what stops guessing: when it cannot be written, the attempt is
    // refused with that storage error rather than going uncounted.
    if (auto recorded = RateLimitRepository(m_db).recordFailure(identifier, m_clock.now());
        !recorded) {
        qCWarning(lcEmail) << "could not count a failed sign-in attempt; refused";
        return recorded.error();
    }
    return error;
}

Result<QString> VerificationService::redeemLink(const QString &identifier, const QString &token)
{
    if (auto locked = checkLockout(identifier); !locked)
        return locked.error();
    VerificationTokenRepository tokens(m_db);
    auto record = tokens.findByTokenHash(hashToken(token.toLatin1()));
    if (!record)
        return fail(identifier, expiredOrUsed());
    // Redeemed only together with the address it was issued for (docs/security.md).
    if (record->identifier != identifier) {
        qCInfo(lcEmail) << "link presented with a different address; refused";
        return fail(identifier,
                    Error::make(ErrorKind::InvalidInput, ErrorCode::LinkForOtherAddress,
                                QStringLiteral("This sign-in link was sent to a different email "
                                               "address. Open the link from the newest email."),
                                QStringLiteral("mismatch")));
    }
    if (record->expires <= m_clock.now()) {
        (void)tokens.consume(record->id);
        return fail(identifier, expiredOrUsed());
    }
    auto consumed = tokens.consume(record->id);
    if (!consumed)
        return consumed.error();
    if (!consumed.value())
        return fail(identifier, expiredOrUsed()); // someone else redeemed it first
    (void)RateLimitRepository(m_db).resetFailures(identifier);
    return identifier;
}

Result<QString> VerificationService::redeemCode(const QString &identifier, const QString &code)
{
    if (auto locked = checkLockout(identifier); !locked)
        return locked.error();
    VerificationTokenRepository tokens(m_db);
    auto record = tokens.findLatestForIdentifier(identifier);
    if (!record || record->expires <= m_clock.now() ||
        record->attempts >= m_policy.maxCodeAttempts) {
        if (record)
            (void)tokens.consume(record->id);
        return fail(identifier, expiredOrUsed());
    }
    const bool wellFormed = code.size() == kCodeDigits &&
            std::all_of(code.cbegin(), code.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    const QByteArray expected = record->codeHash;
    const QByteArray actual = codeHash(record->tokenHash, wellFormed ? code : QString());
    if (!wellFormed || !constantTimeEquals(expected, actual)) {
        auto attempts = tokens.incrementAttempts(record->id);
        const int used = attempts ? attempts.value() : m_policy.maxCodeAttempts;
        if (used >= m_policy.maxCodeAttempts) {
            (void)tokens.consume(record->id);
            return fail(identifier,
                        Error::make(ErrorKind::InvalidInput, ErrorCode::RequestVoid,
                                    QStringLiteral("Too many wrong codes. This email's link and "
                                                   "code no longer work; request a new email."),
                                    QStringLiteral("void")));
        }
        Error wrong = Error::make(ErrorKind::InvalidInput, ErrorCode::CodeWrong,
                                  QStringLiteral("That code is not right. Check the newest email "
                                                 "and try again (%1 tries left).")
                                          .arg(m_policy.maxCodeAttempts - used),
                                  QStringLiteral("wrong_code"));
        wrong.remainingAttempts = m_policy.maxCodeAttempts - used;
        return fail(identifier, wrong);
    }
    auto consumed = tokens.consume(record->id);
    if (!consumed)
        return consumed.error();
    if (!consumed.value())
        return fail(identifier, expiredOrUsed());
    (void)RateLimitRepository(m_db).resetFailures(identifier);
    return identifier;
}

} // namespace latchkey
