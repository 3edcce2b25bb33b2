#include "email/verificationservice.h"

#include "emailtest.h"
#include "fakeclock.h"
#include "session/sessionmanager.h"
#include "storage/userrepository.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

const QString kAlice = u"alice@example.com"_s;
const QString kBob = u"bob@example.com"_s;
const QByteArray kSecret = QByteArray(32, 'k');

// A 6-digit code that is not `code`.
QString otherCode(const QString &code)
{
    return QStringLiteral("%1").arg((code.toInt() + 1) % 1000000, 6, 10, QLatin1Char('0'));
}

// Rows this connection has inserted, updated or deleted since it was opened (SQLite's
// total_changes()): equal before and after means nothing was written.
int writesSoFar(Database &db)
{
    auto query = db.run(u"SELECT total_changes()"_s, {}, u"count the writes"_s);
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

} // namespace

class TestVerificationService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void issuesRandomTokenAndCode();
    void storesOnlyHashes();
    void codeHashIsKeyed();
    void expiry_data();
    void expiry();
    void singleUse_data();
    void singleUse();
    void linkWithAnotherAddressIsRefused();
    void fiveWrongCodesVoidTheRequest();
    void resendLimits_data();
    void resendLimits();
    void foreignLinksWriteNothing();
    void wrongCodesCoolTheAddressDown();
    void cooldownIsForgottenAndPurged();
    void successResetsTheWrongCodes();
    void sendLimitAcrossAddresses();
    void resendVoidsEarlierLinkAndCode();
    void withdrawRemovesTokenAndSendLog();
    void voidPendingKeepsTheSendLog();
    void messagesDoNotRevealAccounts();
    void uncountableFailureIsRefused();

private:
    Result<QString> redeem(const QString &method, const QString &identifier,
                           const IssuedVerification &issued);
    void wrongCodes(const QString &identifier, int count);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<VerificationService> m_service;
};

void TestVerificationService::init()
{
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_clock = std::make_unique<FakeClock>();
    m_service = std::make_unique<VerificationService>(*m_db, *m_clock, kSecret);
}

void TestVerificationService::cleanup()
{
    m_service.reset();
    m_db.reset();
}

Result<QString> TestVerificationService::redeem(const QString &method, const QString &identifier,
                                                const IssuedVerification &issued)
{
    return method == u"link" ? m_service->redeemLink(issued, identifier, issued.token)
                             : m_service->redeemCode(identifier, issued.code);
}

// Asks for an email for `identifier` (a minute after the last one) and types `count` wrong codes.
void TestVerificationService::wrongCodes(const QString &identifier, int count)
{
    m_clock->advance(60);
    const auto issued = m_service->issue(identifier);
    QVERIFY2(issued.ok(), qPrintable(issued.ok() ? QString() : issued.error().message));
    for (int i = 0; i < count; ++i)
        QVERIFY(!m_service->redeemCode(identifier, otherCode(issued->code)).ok());
}

void TestVerificationService::issuesRandomTokenAndCode()
{
    const auto first = m_service->issue(kAlice);
    QVERIFY(first.ok());
    // docs/security.md: link token 256 bits, base64url; code 6 digits.
    static const QRegularExpression base64Url(u"^[A-Za-z0-9_-]{43}$"_s);
    QVERIFY2(base64Url.match(first->token).hasMatch(), qPrintable(first->token));
    const QByteArray raw =
            QByteArray::fromBase64(first->token.toLatin1(),
                                   QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(raw.size(), 32);
    static const QRegularExpression sixDigits(u"^[0-9]{6}$"_s);
    QVERIFY(sixDigits.match(first->code).hasMatch());
    QCOMPARE(first->identifier, kAlice);
    QCOMPARE(first->expires, m_clock->now().addSecs(600));

    const auto second = m_service->issue(kBob);
    QVERIFY(second.ok());
    QVERIFY(second->token != first->token);
}

void TestVerificationService::storesOnlyHashes()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 1);
    const QList<QByteArray> values = allValues(*m_db, u"verification_tokens"_s);
    QVERIFY(!values.isEmpty());
    bool hasTokenHash = false;
    for (const QByteArray &value : values) {
        QVERIFY(!value.contains(issued->token.toLatin1()));
        QVERIFY(value != issued->code.toLatin1());
        hasTokenHash = hasTokenHash || value == hashToken(issued->token.toLatin1());
    }
    QVERIFY(hasTokenHash);
    // Nor anywhere in the file or its write-ahead log.
    const QByteArray file = databaseBytes(*m_db);
    QVERIFY(!file.isEmpty());
    QVERIFY(!file.contains(issued->token.toLatin1()));
    QVERIFY(!file.contains(issued->code.toLatin1()));
}

void TestVerificationService::codeHashIsKeyed()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    VerificationService otherInstall(*m_db, *m_clock, QByteArray(32, 'x'));
    const auto stolen = otherInstall.redeemCode(kAlice, issued->code);
    QVERIFY(!stolen.ok());
    QCOMPARE(stolen.error().reason, u"wrong_code"_s);
    // The code was right: this install's secret verifies it.
    const auto real = m_service->redeemCode(kAlice, issued->code);
    QVERIFY2(real.ok(), qPrintable(real.ok() ? QString() : real.error().message));
}

void TestVerificationService::expiry_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<qint64>("after");
    QTest::addColumn<bool>("accepted");
    for (const QString &method : {u"link"_s, u"code"_s}) {
        QTest::addRow("%s at 0:00", qPrintable(method)) << method << qint64(0) << true;
        QTest::addRow("%s at 9:59", qPrintable(method)) << method << qint64(599) << true;
        QTest::addRow("%s at 10:00", qPrintable(method)) << method << qint64(600) << false;
        QTest::addRow("%s at 1 day", qPrintable(method)) << method << qint64(86400) << false;
    }
}

void TestVerificationService::expiry()
{
    QFETCH(QString, method);
    QFETCH(qint64, after);
    QFETCH(bool, accepted);
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    m_clock->advance(after);
    const auto redeemed = redeem(method, kAlice, issued.value());
    QCOMPARE(redeemed.ok(), accepted);
    if (accepted)
        QCOMPARE(redeemed.value(), kAlice);
    else
        QCOMPARE(redeemed.error().reason, u"expired"_s);
}

void TestVerificationService::singleUse_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("link, link") << u"link"_s << u"link"_s;
    QTest::newRow("code, code") << u"code"_s << u"code"_s;
    QTest::newRow("link, code") << u"link"_s << u"code"_s;
    QTest::newRow("code, link") << u"code"_s << u"link"_s;
}

void TestVerificationService::singleUse()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    QVERIFY(redeem(first, kAlice, issued.value()).ok());
    const auto again = redeem(second, kAlice, issued.value());
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, ErrorKind::InvalidInput);
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 0);
}

void TestVerificationService::linkWithAnotherAddressIsRefused()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    const auto stolen = m_service->redeemLink(issued.value(), kBob, issued->token);
    QVERIFY(!stolen.ok());
    QCOMPARE(stolen.error().code, ErrorCode::LinkForOtherAddress);
    // Nor does Bob's address take Alice's code.
    QVERIFY(!m_service->redeemCode(kBob, issued->code).ok());
    // Alice's link still works.
    QVERIFY(m_service->redeemLink(issued.value(), kAlice, issued->token).ok());
}

void TestVerificationService::foreignLinksWriteNothing()
{
    // docs/security.md: a link belongs to one sign-in. A link of another request (or of none)
    // makes no write at all: no failure count, no deleted token.
    const auto alice = m_service->issue(kAlice);
    const auto bob = m_service->issue(kBob);
    QVERIFY(alice.ok() && bob.ok());
    const int writes = writesSoFar(*m_db);
    QVERIFY(writes > 0);
    struct Case
    {
        IssuedVerification request;
        QString identifier;
        QString token;
        ErrorCode code;
    };
    const QList<Case> cases{
            {alice.value(), kAlice, bob->token, ErrorCode::LinkForOtherAddress},
            {alice.value(), kBob, bob->token, ErrorCode::LinkForOtherAddress},
            {alice.value(), kBob, alice->token, ErrorCode::LinkForOtherAddress},
            {alice.value(), kAlice, u"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s,
             ErrorCode::LinkNotForThisSignIn},
    };
    for (int round = 0; round < 50; ++round) {
        for (const Case &c : cases) {
            const auto refused = m_service->redeemLink(c.request, c.identifier, c.token);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, c.code);
        }
    }
    // A request id that is not the token's, same address (an older email of this address).
    IssuedVerification older = alice.value();
    older.id = alice->id + 1000;
    QCOMPARE(m_service->redeemLink(older, kAlice, alice->token).error().code,
             ErrorCode::LinkNotForThisSignIn);
    QCOMPARE(writesSoFar(*m_db), writes);
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 0);
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 2);
    // Both requests still work.
    QVERIFY(m_service->redeemLink(alice.value(), kAlice, alice->token).ok());
    QVERIFY(m_service->redeemCode(kBob, bob->code).ok());
}

void TestVerificationService::fiveWrongCodesVoidTheRequest()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    const QString wrong = otherCode(issued->code);
    for (int attempt = 1; attempt <= 4; ++attempt) {
        const auto refused = m_service->redeemCode(kAlice, wrong);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().reason, u"wrong_code"_s);
        QVERIFY2(refused.error().message.contains(QStringLiteral("%1 tries left").arg(5 - attempt)),
                 qPrintable(refused.error().message));
    }
    const auto fifth = m_service->redeemCode(kAlice, wrong);
    QVERIFY(!fifth.ok());
    QCOMPARE(fifth.error().reason, u"void"_s);
    // Void: neither the right code nor the link works any more.
    QVERIFY(!m_service->redeemCode(kAlice, issued->code).ok());
    QVERIFY(!m_service->redeemLink(issued.value(), kAlice, issued->token).ok());
}

void TestVerificationService::resendLimits_data()
{
    // Sends happen at the given offsets (seconds after the first); the last one is checked.
    QTest::addColumn<QList<qint64>>("sends");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<qint64>("wait");
    QTest::newRow("cooldown: 1 s later") << QList<qint64>{0, 1} << false << qint64(59);
    QTest::newRow("cooldown: 59 s later") << QList<qint64>{0, 59} << false << qint64(1);
    QTest::newRow("cooldown: 60 s later") << QList<qint64>{0, 60} << true << qint64(0);
    QTest::newRow("5th in the hour") << QList<qint64>{0, 60, 120, 180, 240} << true << qint64(0);
    QTest::newRow("6th in the hour")
            << QList<qint64>{0, 60, 120, 180, 240, 300} << false << qint64(3300);
    QTest::newRow("6th, 1 s before the hour")
            << QList<qint64>{0, 60, 120, 180, 240, 3599} << false << qint64(1);
    QTest::newRow("6th, an hour after the first")
            << QList<qint64>{0, 60, 120, 180, 240, 3600} << true << qint64(0);
    QTest::newRow("7th, an hour after the first")
            << QList<qint64>{0, 60, 120, 180, 240, 3600, 3660} << true << qint64(0);
    QTest::newRow("7th, before the second leaves the hour")
            << QList<qint64>{0, 1000, 1100, 1200, 1300, 3600, 3700} << false << qint64(900);
}

void TestVerificationService::resendLimits()
{
    QFETCH(QList<qint64>, sends);
    QFETCH(bool, accepted);
    QFETCH(qint64, wait);
    const QDateTime start = m_clock->now();
    for (qsizetype i = 0; i + 1 < sends.size(); ++i) {
        m_clock->set(start.addSecs(sends[i]));
        QVERIFY2(m_service->issue(kAlice).ok(), qPrintable(QString::number(sends[i])));
    }
    m_clock->set(start.addSecs(sends.last()));
    const auto last = m_service->issue(kAlice);
    QCOMPARE(last.ok(), accepted);
    if (!accepted) {
        QCOMPARE(last.error().kind, ErrorKind::RateLimited);
        QCOMPARE(last.error().reason, QString::number(wait)); // the wait, in seconds
        QVERIFY(!last.error().message.isEmpty());
    }
    // Another address is not affected.
    QVERIFY(m_service->issue(kBob).ok());
}

void TestVerificationService::wrongCodesCoolTheAddressDown()
{
    // docs/security.md: 5 wrong codes void a request; 10 in a row cool the address down for 15
    // minutes, then 30, 60, ... Each cooldown ends on its own and says when.
    wrongCodes(kAlice, 5);
    m_clock->advance(60);
    const auto second = m_service->issue(kAlice);
    QVERIFY(second.ok());
    for (int i = 0; i < 4; ++i)
        QVERIFY(!m_service->redeemCode(kAlice, otherCode(second->code)).ok());
    const auto tenth = m_service->redeemCode(kAlice, otherCode(second->code));
    QVERIFY(!tenth.ok());
    QCOMPARE(tenth.error().kind, ErrorKind::RateLimited);
    QCOMPARE(tenth.error().retryAfterSecs, qint64(900));
    // Cooling down: no new email, and the right code of the void request does nothing.
    QVERIFY(!m_service->redeemCode(kAlice, second->code).ok());
    m_clock->advance(60);
    const auto during = m_service->issue(kAlice);
    QVERIFY(!during.ok());
    QCOMPARE(during.error().kind, ErrorKind::RateLimited);
    QCOMPARE(during.error().retryAfterSecs, qint64(840));
    QVERIFY2(errorMessage(during.error()).contains(u"14 minute"_s),
             qPrintable(errorMessage(during.error())));
    // Only that address.
    QVERIFY(m_service->issue(kBob).ok());
    m_clock->advance(839);
    const auto lastSecond = m_service->issue(kAlice);
    QVERIFY(!lastSecond.ok());
    QCOMPARE(lastSecond.error().retryAfterSecs, qint64(1));
    m_clock->advance(1);
    QVERIFY(m_service->issue(kAlice).ok());

    // Ten more wrong codes: the next cooldown lasts twice as long.
    wrongCodes(kAlice, 5);
    wrongCodes(kAlice, 5);
    m_clock->advance(60);
    const auto longer = m_service->issue(kAlice);
    QVERIFY(!longer.ok());
    QCOMPARE(longer.error().retryAfterSecs, qint64(1800 - 60));
}

void TestVerificationService::cooldownIsForgottenAndPurged()
{
    wrongCodes(kAlice, 5);
    wrongCodes(kAlice, 5);
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 1);
    m_clock->advance(900);
    QVERIFY(m_service->issue(kAlice).ok()); // the cooldown is over
    // The start-up purge keeps the row while it still matters (the next cooldown grows)…
    QVERIFY(m_db->purgeExpired(m_clock->now()).ok());
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 1);
    // … and removes it a day after the last wrong code, like other expired rows.
    m_clock->advance(86400);
    const auto purged = m_db->purgeExpired(m_clock->now());
    QVERIFY(purged.ok());
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 0);
    // Forgotten: the next cooldown is the first one again.
    wrongCodes(kAlice, 5);
    wrongCodes(kAlice, 5);
    const auto again = m_service->issue(kAlice);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().retryAfterSecs, qint64(900));
}

void TestVerificationService::successResetsTheWrongCodes()
{
    wrongCodes(kAlice, 5);
    m_clock->advance(60);
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    for (int i = 0; i < 4; ++i)
        QVERIFY(!m_service->redeemCode(kAlice, otherCode(issued->code)).ok());
    QVERIFY(m_service->redeemCode(kAlice, issued->code).ok());
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 0);
    // 9 wrong codes before the success, 5 after: the request is void, the address is not cooling.
    wrongCodes(kAlice, 5);
    m_clock->advance(60);
    QVERIFY(m_service->issue(kAlice).ok());
}

void TestVerificationService::sendLimitAcrossAddresses()
{
    // docs/security.md: at most 30 emails an hour per install, whatever the addresses, so the
    // program cannot be used to spray mail.
    const QDateTime start = m_clock->now();
    for (int i = 0; i < 30; ++i) {
        m_clock->set(start.addSecs(10 * i));
        const auto sent = m_service->issue(u"person%1@example.com"_s.arg(i));
        QVERIFY2(sent.ok(), qPrintable(QString::number(i)));
    }
    m_clock->set(start.addSecs(300));
    const auto refused = m_service->issue(u"another@example.com"_s);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, ErrorKind::RateLimited);
    QCOMPARE(refused.error().retryAfterSecs, qint64(3300)); // when the first send is an hour old
    QVERIFY2(errorMessage(refused.error()).contains(u"55 minute"_s),
             qPrintable(errorMessage(refused.error())));
    QVERIFY(!m_service->issue(kAlice).ok());
    m_clock->set(start.addSecs(3599));
    const auto lastSecond = m_service->issue(kAlice);
    QVERIFY(!lastSecond.ok());
    QCOMPARE(lastSecond.error().retryAfterSecs, qint64(1));
    m_clock->set(start.addSecs(3600));
    QVERIFY(m_service->issue(kAlice).ok());
}

void TestVerificationService::resendVoidsEarlierLinkAndCode()
{
    const auto first = m_service->issue(kAlice);
    QVERIFY(first.ok());
    m_clock->advance(60);
    auto second = m_service->issue(kAlice);
    QVERIFY(second.ok());
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 1);
    QVERIFY(!m_service->redeemLink(second.value(), kAlice, first->token).ok());
    if (first->code != second->code) // one chance in a million they match
        QVERIFY(!m_service->redeemCode(kAlice, first->code).ok());
    QVERIFY(m_service->redeemLink(second.value(), kAlice, second->token).ok());
}

void TestVerificationService::withdrawRemovesTokenAndSendLog()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    QCOMPARE(rowCount(*m_db, u"email_send_log"_s), 1);
    m_service->withdraw(issued.value());
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 0);
    QCOMPARE(rowCount(*m_db, u"email_send_log"_s), 0);
    QVERIFY(!m_service->redeemLink(issued.value(), kAlice, issued->token).ok());
    // The email never went out, so the user may retry at once.
    QCOMPARE(m_service->resendWaitSecs(kAlice), 0);
    QVERIFY(m_service->issue(kAlice).ok());
}

void TestVerificationService::voidPendingKeepsTheSendLog()
{
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    m_service->voidPending(kAlice);
    QVERIFY(!m_service->redeemLink(issued.value(), kAlice, issued->token).ok());
    QVERIFY(!m_service->redeemCode(kAlice, issued->code).ok());
    QVERIFY(!m_service->pendingExpiry(kAlice).isValid());
    // Cancelling does not bypass the cooldown.
    QCOMPARE(rowCount(*m_db, u"email_send_log"_s), 1);
    QCOMPARE(m_service->resendWaitSecs(kAlice), 60);
    const auto again = m_service->issue(kAlice);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, ErrorKind::RateLimited);
}

void TestVerificationService::messagesDoNotRevealAccounts()
{
    User known;
    known.email = kBob;
    known.emailVerified = m_clock->now();
    QVERIFY(UserRepository(*m_db).create(known, m_clock->now()).ok());

    QStringList messages[2];
    const QString addresses[2] = {u"never-seen@example.com"_s, kBob};
    for (int i = 0; i < 2; ++i) {
        const QString &address = addresses[i];
        // Nothing pending.
        const auto noCode = m_service->redeemCode(address, u"123456"_s);
        IssuedVerification none;
        none.identifier = address;
        const auto noLink = m_service->redeemLink(none, address, u"not-a-token"_s);
        QVERIFY(!noCode.ok() && !noLink.ok());
        // Pending: a wrong code, a second email too soon.
        const auto issued = m_service->issue(address);
        QVERIFY(issued.ok());
        const auto wrong = m_service->redeemCode(address, otherCode(issued->code));
        const auto tooSoon = m_service->issue(address);
        QVERIFY(!wrong.ok() && !tooSoon.ok());
        messages[i] = {noCode.error().message, noLink.error().message, wrong.error().message,
                       tooSoon.error().message};
    }
    QCOMPARE(messages[0], messages[1]);
}

void TestVerificationService::uncountableFailureIsRefused()
{
    // The failure counter is what limits guessing: when it cannot be written, a wrong code is
    // refused with the storage error instead of being allowed to go uncounted.
    const auto issued = m_service->issue(kAlice);
    QVERIFY(issued.ok());
    QVERIFY(m_db->run(u"DROP TABLE email_failures"_s, {}, u"break the counter"_s).ok());
    const QString wrong = issued->code == u"000000"_s ? u"111111"_s : u"000000"_s;
    const auto refused = m_service->redeemCode(kAlice, wrong);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, ErrorKind::Storage);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestVerificationService)
#include "tst_verificationservice.moc"
