#include "storage/sessionrepository.h"
#include "storage/userrepository.h"
#include "storagetest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestSessionRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createAndFind();
    void reusedTokenHashIsRefused();
    void unknownUserIsRefused();
    void touchRenews();
    void removeByTokenHash();
    void listAndRemoveForUser();
    void purgeExpiredRemovesOnlyExpired_data();
    void purgeExpiredRemovesOnlyExpired();

private:
    qint64 makeUser(const QString &email);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_userId = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
};

void TestSessionRepository::init()
{
    m_db = openDatabase(freshPath(m_dir));
    QVERIFY(m_db);
    m_userId = makeUser(u"alice@example.com"_s);
    QVERIFY(m_userId > 0);
}

void TestSessionRepository::cleanup() { m_db.reset(); }

qint64 TestSessionRepository::makeUser(const QString &email)
{
    User user;
    user.email = email;
    const Result<User> created = UserRepository(*m_db).create(user, m_now);
    return created.ok() ? created->id : 0;
}

void TestSessionRepository::createAndFind()
{
    SessionRepository sessions(*m_db);
    const QDateTime expires = m_now.addDays(30);
    const Result<SessionRecord> created =
            sessions.create(hashOf("token"), m_userId, expires, u"laptop"_s, m_now);
    QVERIFY(created.ok());
    QVERIFY(created->id > 0);
    QCOMPARE(created->tokenHash, hashOf("token"));

    const Result<SessionRecord> found = sessions.findByTokenHash(hashOf("token"));
    QVERIFY(found.ok());
    QCOMPARE(found->id, created->id);
    QCOMPARE(found->userId, m_userId);
    QCOMPARE(found->expires, expires);
    QCOMPARE(found->createdAt, m_now);
    QCOMPARE(found->lastSeenAt, m_now);
    QCOMPARE(found->deviceName, u"laptop"_s);
    QVERIFY(isNotFound(sessions.findByTokenHash(hashOf("other"))));
    // A prefix of the hash is not the hash.
    QVERIFY(isNotFound(sessions.findByTokenHash(hashOf("token").left(16))));
}

void TestSessionRepository::reusedTokenHashIsRefused()
{
    SessionRepository sessions(*m_db);
    QVERIFY(sessions.create(hashOf("token"), m_userId, m_now.addDays(1), {}, m_now).ok());
    const Result<SessionRecord> duplicate =
            sessions.create(hashOf("token"), m_userId, m_now.addDays(1), {}, m_now);
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().reason, QLatin1String(storage::kUnique));
}

void TestSessionRepository::unknownUserIsRefused()
{
    const Result<SessionRecord> created = SessionRepository(*m_db).create(
            hashOf("token"), m_userId + 50, m_now.addDays(1), {}, m_now);
    QVERIFY(!created.ok());
    QCOMPARE(created.error().reason, QLatin1String(storage::kForeignKey));
}

void TestSessionRepository::touchRenews()
{
    SessionRepository sessions(*m_db);
    const Result<SessionRecord> created =
            sessions.create(hashOf("token"), m_userId, m_now.addDays(30), {}, m_now);
    QVERIFY(created.ok());
    const QDateTime later = m_now.addDays(2);
    QVERIFY(sessions.touch(created->id, later, later.addDays(30)).ok());
    const Result<SessionRecord> found = sessions.findByTokenHash(hashOf("token"));
    QCOMPARE(found->lastSeenAt, later);
    QCOMPARE(found->expires, later.addDays(30));
    QCOMPARE(found->createdAt, m_now);
    QVERIFY(isNotFound(sessions.touch(created->id + 1, later, later)));
}

void TestSessionRepository::removeByTokenHash()
{
    SessionRepository sessions(*m_db);
    QVERIFY(sessions.create(hashOf("a"), m_userId, m_now.addDays(1), {}, m_now).ok());
    QVERIFY(sessions.create(hashOf("b"), m_userId, m_now.addDays(1), {}, m_now).ok());
    QVERIFY(sessions.removeByTokenHash(hashOf("a")).ok());
    QVERIFY(isNotFound(sessions.findByTokenHash(hashOf("a"))));
    QVERIFY(sessions.findByTokenHash(hashOf("b")).ok());
    QVERIFY(isNotFound(sessions.removeByTokenHash(hashOf("a"))));
}

void TestSessionRepository::listAndRemoveForUser()
{
    SessionRepository sessions(*m_db);
    const qint64 otherUser = makeUser(u"bob@example.com"_s);
    QVERIFY(otherUser > 0);
    QVERIFY(sessions.create(hashOf("old"), m_userId, m_now.addDays(1), u"old"_s, m_now).ok());
    QVERIFY(sessions.create(hashOf("new"), m_userId, m_now.addDays(1), u"new"_s, m_now.addSecs(60))
                    .ok());
    QVERIFY(sessions.create(hashOf("bob"), otherUser, m_now.addDays(1), {}, m_now).ok());

    const Result<QList<SessionRecord>> listed = sessions.listForUser(m_userId);
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), 2);
    QCOMPARE(listed->at(0).deviceName, u"new"_s); // most recently seen first
    QCOMPARE(listed->at(1).deviceName, u"old"_s);

    QCOMPARE(*sessions.removeForUser(m_userId), 2);
    QVERIFY(sessions.listForUser(m_userId)->isEmpty());
    QCOMPARE(sessions.listForUser(otherUser)->size(), 1);
    QCOMPARE(*sessions.removeForUser(m_userId), 0);
}

void TestSessionRepository::purgeExpiredRemovesOnlyExpired_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("purged");
    QTest::newRow("expired a month ago") << qint64(-30 * 86400) << true;
    QTest::newRow("expired a second ago") << qint64(-1) << true;
    QTest::newRow("expires now") << qint64(0) << true;
    QTest::newRow("expires in a second") << qint64(1) << false;
    QTest::newRow("expires in a month") << qint64(30 * 86400) << false;
}

void TestSessionRepository::purgeExpiredRemovesOnlyExpired()
{
    QFETCH(qint64, offset);
    QFETCH(bool, purged);
    SessionRepository sessions(*m_db);
    QVERIFY(sessions.create(hashOf("row"), m_userId, m_now.addSecs(offset), {}, m_now).ok());
    QVERIFY(sessions.create(hashOf("keeper"), m_userId, m_now.addDays(60), {}, m_now).ok());
    QCOMPARE(*sessions.purgeExpired(m_now), purged ? 1 : 0);
    QCOMPARE(sessions.findByTokenHash(hashOf("row")).ok(), !purged);
    QVERIFY(sessions.findByTokenHash(hashOf("keeper")).ok());
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestSessionRepository)
#include "tst_sessionrepository.moc"
