#include "storage/ratelimitrepository.h"
#include "storagetest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestRateLimitRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void sendsAreCountedPerIdentifierAndWindow();
    void lastSend();
    void forgetSendRemovesOneEntry();
    void failuresCountAndReset();
    void expiredFailuresReadAsNoneAndArePurged();
    void nthLatestSend();
    void purgeSendsBefore();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    const QString m_alice = u"alice@example.com"_s;
    const QString m_bob = u"bob@example.com"_s;
};

void TestRateLimitRepository::init()
{
    m_db = openDatabase(freshPath(m_dir));
    QVERIFY(m_db);
}

void TestRateLimitRepository::cleanup() { m_db.reset(); }

void TestRateLimitRepository::sendsAreCountedPerIdentifierAndWindow()
{
    RateLimitRepository limits(*m_db);
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-3600)), 0);
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-4000)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-3600)).ok()); // on the boundary: counted
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-10)).ok());
    QVERIFY(limits.recordSend(m_bob, m_now).ok());
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-3600)), 2);
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-86400)), 3);
    QCOMPARE(*limits.sendsSince(m_bob, m_now.addSecs(-3600)), 1);
}

void TestRateLimitRepository::lastSend()
{
    RateLimitRepository limits(*m_db);
    QVERIFY(isNotFound(limits.lastSend(m_alice)));
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-30)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-90)).ok());
    QVERIFY(limits.recordSend(m_bob, m_now).ok());
    QCOMPARE(*limits.lastSend(m_alice), m_now.addSecs(-30));
}

void TestRateLimitRepository::forgetSendRemovesOneEntry()
{
    RateLimitRepository limits(*m_db);
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-60)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now).ok());
    QVERIFY(limits.recordSend(m_alice, m_now).ok());
    QVERIFY(limits.recordSend(m_bob, m_now).ok());
    QVERIFY(limits.forgetSend(m_alice, m_now).ok());
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-3600)), 2);
    QCOMPARE(*limits.sendsSince(m_bob, m_now.addSecs(-3600)), 1);
    QVERIFY(limits.forgetSend(m_alice, m_now).ok());
    QCOMPARE(*limits.lastSend(m_alice), m_now.addSecs(-60));
    QVERIFY(limits.forgetSend(m_alice, m_now).ok()); // nothing left at that time: still fine
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-3600)), 1);
}

void TestRateLimitRepository::failuresCountAndReset()
{
    RateLimitRepository limits(*m_db);
    QCOMPARE(limits.codeFailures(m_alice, m_now)->consecutive, 0);
    CodeFailures alice;
    alice.consecutive = 3;
    alice.cooldowns = 1;
    alice.lockedUntil = m_now.addSecs(900);
    alice.expires = m_now.addSecs(86400);
    QVERIFY(limits.saveCodeFailures(m_alice, alice, m_now).ok());
    CodeFailures bob;
    bob.consecutive = 1;
    bob.expires = m_now.addSecs(60);
    QVERIFY(limits.saveCodeFailures(m_bob, bob, m_now).ok());
    const auto read = limits.codeFailures(m_alice, m_now);
    QVERIFY(read.ok());
    QCOMPARE(read->consecutive, 3);
    QCOMPARE(read->cooldowns, 1);
    QCOMPARE(read->lockedUntil, m_now.addSecs(900));
    QCOMPARE(read->expires, m_now.addSecs(86400));
    alice.consecutive = 4; // saving again replaces the row
    QVERIFY(limits.saveCodeFailures(m_alice, alice, m_now).ok());
    QCOMPARE(limits.codeFailures(m_alice, m_now)->consecutive, 4);
    QVERIFY(limits.resetFailures(m_alice).ok());
    QCOMPARE(limits.codeFailures(m_alice, m_now)->cooldowns, 0);
    QCOMPARE(limits.codeFailures(m_bob, m_now)->consecutive, 1);
    QVERIFY(limits.resetFailures(m_alice).ok()); // nothing to clear is fine
}

void TestRateLimitRepository::expiredFailuresReadAsNoneAndArePurged()
{
    RateLimitRepository limits(*m_db);
    CodeFailures failures;
    failures.consecutive = 2;
    failures.cooldowns = 3;
    failures.lockedUntil = m_now.addSecs(900);
    failures.expires = m_now.addSecs(3600);
    QVERIFY(limits.saveCodeFailures(m_alice, failures, m_now).ok());
    failures.expires = m_now.addSecs(7200);
    QVERIFY(limits.saveCodeFailures(m_bob, failures, m_now).ok());
    QCOMPARE(limits.codeFailures(m_alice, m_now.addSecs(3599))->cooldowns, 3);
    const auto expired = limits.codeFailures(m_alice, m_now.addSecs(3600));
    QCOMPARE(expired->cooldowns, 0); // before any purge
    QVERIFY(!expired->lockedUntil.isValid());
    QCOMPARE(*limits.purgeFailuresExpired(m_now.addSecs(3600)), 1);
    QCOMPARE(*limits.purgeFailuresExpired(m_now.addSecs(3600)), 0);
    QCOMPARE(limits.codeFailures(m_bob, m_now.addSecs(3600))->cooldowns, 3);
}

void TestRateLimitRepository::nthLatestSend()
{
    RateLimitRepository limits(*m_db);
    QVERIFY(isNotFound(limits.nthLatestSend(1)));
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-30)).ok());
    QVERIFY(limits.recordSend(m_bob, m_now.addSecs(-20)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-10)).ok());
    QCOMPARE(*limits.nthLatestSend(1), m_now.addSecs(-10));
    QCOMPARE(*limits.nthLatestSend(2), m_now.addSecs(-20));
    QCOMPARE(*limits.nthLatestSend(3), m_now.addSecs(-30));
    QVERIFY(isNotFound(limits.nthLatestSend(4)));
    QCOMPARE(*limits.nthLatestSend(2, m_alice), m_now.addSecs(-30));
    QVERIFY(isNotFound(limits.nthLatestSend(2, m_bob)));
}

void TestRateLimitRepository::purgeSendsBefore()
{
    RateLimitRepository limits(*m_db);
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-7200)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now.addSecs(-3600)).ok());
    QVERIFY(limits.recordSend(m_alice, m_now).ok());
    QCOMPARE(*limits.purgeSendsBefore(m_now.addSecs(-3600)), 1);
    QCOMPARE(*limits.sendsSince(m_alice, m_now.addSecs(-86400)), 2);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestRateLimitRepository)
#include "tst_ratelimitrepository.moc"
