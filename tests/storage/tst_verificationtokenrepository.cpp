#include "storage/verificationtokenrepository.h"
#include "storagetest.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestVerificationTokenRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createAndFind();
    void reusedTokenHashIsRefused();
    void latestForIdentifier();
    void newestPendingKeepsTheCallbackPort();
    void incrementAttemptsCounts();
    void consumeIsSingleUse();
    void consumeIsSingleUseAcrossConnections();
    void removeForIdentifier();
    void purgeExpiredRemovesOnlyExpired();

private:
    QString m_path;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    const QString m_alice = u"alice@example.com"_s;
};

void TestVerificationTokenRepository::init()
{
    m_path = freshPath(m_dir);
    m_db = openDatabase(m_path);
    QVERIFY(m_db);
}

void TestVerificationTokenRepository::cleanup() { m_db.reset(); }

void TestVerificationTokenRepository::newestPendingKeepsTheCallbackPort()
{
    VerificationTokenRepository tokens(*m_db);
    QCOMPARE(tokens.findNewestPending(m_now).error().kind, ErrorKind::NotFound);
    QVERIFY(tokens.create(m_alice, hashOf("old"), hashOf("c1"), m_now.addSecs(60),
                          m_now.addSecs(-600), 40001));
    QVERIFY(tokens.create(m_alice, hashOf("new"), hashOf("c2"), m_now.addSecs(600), m_now, 40002));
    auto pending = tokens.findNewestPending(m_now);
    QVERIFY(pending.ok());
    QCOMPARE(pending->tokenHash, hashOf("new"));
    QCOMPARE(pending->callbackPort, quint16(40002));
    // Once every request has expired there is nothing to resume.
    QCOMPARE(tokens.findNewestPending(m_now.addSecs(600)).error().kind, ErrorKind::NotFound);
}

void TestVerificationTokenRepository::createAndFind()
{
    VerificationTokenRepository tokens(*m_db);
    const Result<VerificationTokenRecord> created =
            tokens.create(m_alice, hashOf("link"), hashOf("code"), m_now.addSecs(600), m_now);
    QVERIFY(created.ok());
    QCOMPARE(created->attempts, 0);

    const Result<VerificationTokenRecord> found = tokens.findByTokenHash(hashOf("link"));
    QVERIFY(found.ok());
    QCOMPARE(found->id, created->id);
    QCOMPARE(found->identifier, m_alice);
    QCOMPARE(found->codeHash, hashOf("code"));
    QCOMPARE(found->expires, m_now.addSecs(600));
    QCOMPARE(found->createdAt, m_now);
    QVERIFY(isNotFound(tokens.findByTokenHash(hashOf("code"))));
}

void TestVerificationTokenRepository::reusedTokenHashIsRefused()
{
    VerificationTokenRepository tokens(*m_db);
    QVERIFY(tokens.create(m_alice, hashOf("link"), hashOf("c1"), m_now.addSecs(600), m_now).ok());
    const Result<VerificationTokenRecord> duplicate = tokens.create(
            u"bob@example.com"_s, hashOf("link"), hashOf("c2"), m_now.addSecs(600), m_now);
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().reason, QLatin1String(storage::kUnique));
}

void TestVerificationTokenRepository::latestForIdentifier()
{
    VerificationTokenRepository tokens(*m_db);
    QVERIFY(isNotFound(tokens.findLatestForIdentifier(m_alice)));
    QVERIFY(tokens.create(m_alice, hashOf("first"), {}, m_now.addSecs(600), m_now).ok());
    QVERIFY(tokens.create(m_alice, hashOf("second"), {}, m_now.addSecs(660), m_now.addSecs(60))
                    .ok());
    // Same second as "second": the later insert wins.
    QVERIFY(tokens.create(m_alice, hashOf("third"), {}, m_now.addSecs(660), m_now.addSecs(60))
                    .ok());
    QVERIFY(tokens.create(u"bob@example.com"_s, hashOf("bob"), {}, m_now.addSecs(900),
                          m_now.addSecs(300))
                    .ok());
    const Result<VerificationTokenRecord> latest = tokens.findLatestForIdentifier(m_alice);
    QVERIFY(latest.ok());
    QCOMPARE(latest->tokenHash, hashOf("third"));
    QVERIFY(latest->codeHash.isEmpty());
}

void TestVerificationTokenRepository::incrementAttemptsCounts()
{
    VerificationTokenRepository tokens(*m_db);
    const Result<VerificationTokenRecord> created =
            tokens.create(m_alice, hashOf("link"), hashOf("code"), m_now.addSecs(600), m_now);
    QVERIFY(created.ok());
    for (int expected = 1; expected <= 5; ++expected)
        QCOMPARE(*tokens.incrementAttempts(created->id), expected);
    QCOMPARE(tokens.findByTokenHash(hashOf("link"))->attempts, 5);
    QVERIFY(isNotFound(tokens.incrementAttempts(created->id + 1)));
}

void TestVerificationTokenRepository::consumeIsSingleUse()
{
    VerificationTokenRepository tokens(*m_db);
    const Result<VerificationTokenRecord> created =
            tokens.create(m_alice, hashOf("link"), hashOf("code"), m_now.addSecs(600), m_now);
    QVERIFY(created.ok());
    QCOMPARE(*tokens.consume(created->id), true);
    QCOMPARE(*tokens.consume(created->id), false);
    QVERIFY(isNotFound(tokens.findByTokenHash(hashOf("link"))));
}

void TestVerificationTokenRepository::consumeIsSingleUseAcrossConnections()
{
    const Result<VerificationTokenRecord> created = VerificationTokenRepository(*m_db).create(
            m_alice, hashOf("link"), hashOf("code"), m_now.addSecs(600), m_now);
    QVERIFY(created.ok());
    constexpr int kRacers = 6;
    std::atomic<int> ready{0};
    std::atomic<int> winners{0};
    std::atomic<int> failures{0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < kRacers; ++i) {
        threads.emplace_back(QThread::create([&] {
            // Each racer is its own connection, as another process would be.
            auto db = openDatabase(m_path);
            if (!db) {
                ++failures;
                ++ready;
                return;
            }
            ++ready;
            while (ready.load() < kRacers)
                QThread::yieldCurrentThread();
            const Result<bool> consumed = VerificationTokenRepository(*db).consume(created->id);
            if (!consumed.ok())
                ++failures;
            else if (*consumed)
                ++winners;
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(10000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(winners.load(), 1);
}

void TestVerificationTokenRepository::removeForIdentifier()
{
    VerificationTokenRepository tokens(*m_db);
    QVERIFY(tokens.create(m_alice, hashOf("a1"), {}, m_now.addSecs(600), m_now).ok());
    QVERIFY(tokens.create(m_alice, hashOf("a2"), {}, m_now.addSecs(600), m_now).ok());
    QVERIFY(tokens.create(u"bob@example.com"_s, hashOf("b"), {}, m_now.addSecs(600), m_now).ok());
    QCOMPARE(*tokens.removeForIdentifier(m_alice), 2);
    QVERIFY(isNotFound(tokens.findLatestForIdentifier(m_alice)));
    QVERIFY(tokens.findByTokenHash(hashOf("b")).ok());
}

void TestVerificationTokenRepository::purgeExpiredRemovesOnlyExpired()
{
    VerificationTokenRepository tokens(*m_db);
    QVERIFY(tokens.create(m_alice, hashOf("old"), {}, m_now.addSecs(-1), m_now.addSecs(-601)).ok());
    QVERIFY(tokens.create(m_alice, hashOf("edge"), {}, m_now, m_now.addSecs(-600)).ok());
    QVERIFY(tokens.create(m_alice, hashOf("live"), {}, m_now.addSecs(1), m_now).ok());
    QCOMPARE(*tokens.purgeExpired(m_now), 2);
    QVERIFY(tokens.findByTokenHash(hashOf("live")).ok());
    QVERIFY(isNotFound(tokens.findByTokenHash(hashOf("edge"))));
    QCOMPARE(*tokens.purgeExpired(m_now), 0);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestVerificationTokenRepository)
#include "tst_verificationtokenrepository.moc"
