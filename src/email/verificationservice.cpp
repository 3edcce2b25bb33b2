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

/// The address cools down after wrong codes: when a new email may be asked for.
Error cooling(qint64 waitSecs)
{
    Error error = Error::make(ErrorKind::RateLimited, ErrorCode::AddressLocked,
                              QStringLiteral("Too many wrong codes were typed for this address. "
                                             "You can ask for a new email in %1.")
                                      .arg(waitText(waitSecs)),
                              QString::number(waitSecs));
    error.retryAfterSecs = waitSecs;
    return error;
}

/// What a wrong code ends in (a transaction needs a value to commit, and Result<Error> would be
/// ambiguous).
struct Refusal
{
    Error error;
};

// docs/security.md: a link belongs to one sign-in; any other link is ignored, and says so.
Error notThisSignIn()
{
    return Error::make(ErrorKind::InvalidInput, ErrorCode::LinkNotForThisSignIn,
                       QStringLiteral("That link is not for the sign-in in progress, so it was "
                                      "not used. Open the link in the newest email, or type its "
                                      "code."),
                       QStringLiteral("not_this_sign_in"));
}

Error forOtherAddress()
{
    return Error::make(ErrorKind::InvalidInput, ErrorCode::LinkForOtherAddress,
                       QStringLiteral("This sign-in link was sent to a different email address. "
                                      "Open the link from the newest email."),
                       QStringLiteral("mismatch"));
}

bool isDigits(const QString &code, int count)
{
    return code.size() == count &&
            std::all_of(code.cbegin(), code.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
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

Status VerificationService::checkCooldown(const QString &identifier) const
{
    const QDateTime now = m_clock.now();
    auto failures = RateLimitRepository(m_db).codeFailures(identifier, now);
    if (!failures)
        return failures.error();
    if (failures->lockedUntil.isValid() && failures->lockedUntil > now)
        return cooling(now.secsTo(failures->lockedUntil));
    return {};
}

qint64 VerificationService::resendWaitSecs(const QString &identifier) const
{
    auto last = RateLimitRepository(m_db).lastSend(identifier);
    if (!last)
        return 0;
    return std::max<qint64>(0, m_clock.now().secsTo(last->addSecs(m_policy.resendCooldownSecs)));
}

qint64 VerificationService::hourlyCapWaitSecs(int cap, const QString &identifier) const
{
    // A send counts for one hour: the window is (now - 1 h, now]. The cap is reached while the
    // cap-th newest send is inside it, and lifts when that send is an hour old.
    auto nth = RateLimitRepository(m_db).nthLatestSend(cap, identifier);
    if (!nth)
        return 0;
    return std::max<qint64>(0, m_clock.now().secsTo(nth->addSecs(kHourSecs)));
}

QDateTime VerificationService::pendingExpiry(const QString &identifier) const
{
    auto latest = VerificationTokenRepository(m_db).findLatestForIdentifier(identifier);
    if (!latest || latest->expires <= m_clock.now())
        return {};
    return latest->expires;
}

namespace {

Result<IssuedVerification> pendingFrom(const Result<VerificationTokenRecord> &record)
{
    if (!record)
        return record.error();
    IssuedVerification pending;
    pending.id = record->id;
    pending.identifier = record->identifier;
    pending.expires = record->expires;
    pending.callbackPort = record->callbackPort;
    return pending;
}

} // namespace

Result<IssuedVerification> VerificationService::newestPending() const
{
    return pendingFrom(VerificationTokenRepository(m_db).findNewestPending(m_clock.now()));
}

Result<IssuedVerification> VerificationService::pendingFor(const QString &identifier) const
{
    auto record = VerificationTokenRepository(m_db).findLatestForIdentifier(identifier);
    if (record && record->expires <= m_clock.now())
        return Error::make(ErrorKind::NotFound, ErrorCode::NoPendingSignIn,
                           QStringLiteral("The email sent to this address has expired."));
    return pendingFrom(record);
}

Result<IssuedVerification> VerificationService::issue(const QString &identifier,
                                                      quint16 callbackPort)
{
    if (auto cool = checkCooldown(identifier); !cool)
        return cool.error();
    if (const qint64 wait = resendWaitSecs(identifier); wait > 0)
        return rateLimited(ErrorCode::ResendTooSoon,
                           QStringLiteral("An email was sent to this address a moment ago."), wait);
    // docs/security.md: at most 5 emails per address and 30 per install per hour.
    if (const qint64 wait = hourlyCapWaitSecs(m_policy.maxSendsPerHour, identifier); wait > 0)
        return rateLimited(ErrorCode::HourlyLimit,
                           QStringLiteral("Several emails were sent to this address in the last "
                                          "hour."),
                           wait);
    if (const qint64 wait = hourlyCapWaitSecs(m_policy.maxSendsPerHourOverall, {}); wait > 0)
        return rateLimited(ErrorCode::SendLimit,
                           QStringLiteral("This app has sent many sign-in emails in the last "
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

Result<QString> VerificationService::redeemLink(const IssuedVerification &request,
                                                const QString &identifier, const QString &token)
{
    // docs/security.md: a link belongs to one sign-in. Every refusal before the token is known
    // to be this request's writes nothing: a web page that finds the listener can neither count
    // failures against an address nor spoil a request.
    if (identifier != request.identifier) {
        qCInfo(lcEmail) << "link names another address; ignored";
        return forOtherAddress();
    }
    VerificationTokenRepository tokens(m_db);
    auto record = tokens.findByTokenHash(hashToken(token.toLatin1()));
    if (!record)
        return record.error().kind == ErrorKind::NotFound ? notThisSignIn() : record.error();
    if (record->identifier != request.identifier) {
        qCInfo(lcEmail) << "token of another address; ignored";
        return forOtherAddress();
    }
    if (record->id != request.id) {
        qCInfo(lcEmail) << "link of another request; ignored";
        return notThisSignIn();
    }
    if (record->expires <= m_clock.now()) {
        (void)tokens.consume(record->id); // this request's own link: it is over
        return expiredOrUsed();
    }
    auto consumed = tokens.consume(record->id);
    if (!consumed)
        return consumed.error();
    if (!consumed.value())
        return expiredOrUsed(); // someone else redeemed it first
    (void)RateLimitRepository(m_db).resetFailures(request.identifier);
    return request.identifier;
}

Error VerificationService::refuseWrongCode(const QString &identifier, qint64 requestId)
{
    // One transaction: the request's count and the address's count move together, or the attempt
    // is refused with the storage error rather than going uncounted.
    auto refused = m_db.transaction([&]() -> Result<Refusal> {
        const QDateTime now = m_clock.now();
        VerificationTokenRepository tokens(m_db);
        RateLimitRepository limits(m_db);
        auto attempts = tokens.incrementAttempts(requestId);
        if (!attempts)
            return attempts.error();
        auto failures = limits.codeFailures(identifier, now);
        if (!failures)
            return failures.error();
        CodeFailures next = failures.value();
        next.lockedUntil = {};
        if (++next.consecutive >= m_policy.codesBeforeCooldown) {
            // NIST SP 800-63B §5.2.2: slow guessing down, never lock for good. Each cooldown
            // doubles, up to maxCooldownSecs; all of it is forgotten after failureMemorySecs.
            const int doublings = std::min(next.cooldowns, 20);
            next.lockedUntil = now.addSecs(
                    std::min(m_policy.cooldownSecs << doublings, m_policy.maxCooldownSecs));
            next.consecutive = 0;
            ++next.cooldowns;
        }
        next.expires = std::max(now.addSecs(m_policy.failureMemorySecs), next.lockedUntil);
        if (auto saved = limits.saveCodeFailures(identifier, next, now); !saved)
            return saved.error();
        const int used = attempts.value();
        if (next.lockedUntil.isValid() || used >= m_policy.maxCodeAttempts) {
            if (auto consumed = tokens.consume(requestId); !consumed)
                return consumed.error();
        }
        if (next.lockedUntil.isValid())
            return Refusal{cooling(now.secsTo(next.lockedUntil))};
        if (used >= m_policy.maxCodeAttempts)
            return Refusal{Error::make(ErrorKind::InvalidInput, ErrorCode::RequestVoid,
                                       QStringLiteral("Too many wrong codes. This email's link and "
                                                      "code no longer work; request a new email."),
                                       QStringLiteral("void"))};
        Error wrong = Error::make(ErrorKind::InvalidInput, ErrorCode::CodeWrong,
                                  QStringLiteral("That code is not right. Check the newest email "
                                                 "and try again (%1 tries left).")
                                          .arg(m_policy.maxCodeAttempts - used),
                                  QStringLiteral("wrong_code"));
        wrong.remainingAttempts = m_policy.maxCodeAttempts - used;
        return Refusal{wrong};
    });
    if (!refused) {
        qCWarning(lcEmail) << "could not count a wrong code; refused";
        return refused.error();
    }
    return refused->error;
}

Result<QString> VerificationService::redeemCode(const QString &identifier, const QString &code)
{
    if (auto cool = checkCooldown(identifier); !cool)
        return cool.error();
    VerificationTokenRepository tokens(m_db);
    auto record = tokens.findLatestForIdentifier(identifier);
    if (!record || record->expires <= m_clock.now() ||
        record->attempts >= m_policy.maxCodeAttempts) {
        if (record)
            (void)tokens.consume(record->id);
        return expiredOrUsed();
    }
    const bool wellFormed = isDigits(code, kCodeDigits);
    const QByteArray actual = codeHash(record->tokenHash, wellFormed ? code : QString());
    if (!wellFormed || !constantTimeEquals(record->codeHash, actual))
        return refuseWrongCode(identifier, record->id);
    auto consumed = tokens.consume(record->id);
    if (!consumed)
        return consumed.error();
    if (!consumed.value())
        return expiredOrUsed();
    (void)RateLimitRepository(m_db).resetFailures(identifier);
    return identifier;
}

} // namespace latchkey
