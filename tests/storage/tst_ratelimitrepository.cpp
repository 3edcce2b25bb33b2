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
    QCOMPARE(*limits.consecutiveFailures(m_alice), 0);
    QCOMPARE(*limits.recordFailure(m_alice, m_now), 1);
    QCOMPARE(*limits.recordFailure(m_alice, m_now.addSecs(1)), 2);
    QCOMPARE(*limits.recordFailure(m_bob, m_now), 1);
    QCOMPARE(*limits.recordFailure(m_alice, m_now.addSecs(2)), 3);
    QCOMPARE(*limits.consecutiveFailures(m_alice), 3);
    QVERIFY(limits.resetFailures(m_alice).ok());
    QCOMPARE(*limits.consecutiveFailures(m_alice), 0);
    QCOMPARE(*limits.consecutiveFailures(m_bob), 1);
    QVERIFY(limits.resetFailures(m_alice).ok()); // nothing to clear is fine
    QCOMPARE(*limits.recordFailure(m_alice, m_now.addSecs(3)), 1);
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
