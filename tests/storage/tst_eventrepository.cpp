#include "storage/eventrepository.h"
#include "storage/userrepository.h"
#include "storagetest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestEventRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void appendAndReadNewestFirst();
    void eventsOutliveTheirUser();
    void housekeepingDropsActivityOlderThanAYear();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
};

void TestEventRepository::init()
{
    m_db = openDatabase(freshPath(m_dir));
    QVERIFY(m_db);
}

void TestEventRepository::cleanup() { m_db.reset(); }

void TestEventRepository::housekeepingDropsActivityOlderThanAYear()
{
    EventRepository events(*m_db);
    QVERIFY(events.append(u"signIn"_s, 7, {}, m_now.addDays(-366)).ok());
    QVERIFY(events.append(u"signOut"_s, 7, {}, m_now.addDays(-364)).ok());
    const auto purged = m_db->purgeExpired(m_now);
    QVERIFY(purged.ok());
    QCOMPARE(purged->events, 1);
    const auto left = events.recent(10);
    QCOMPARE(left->size(), 1);
    QCOMPARE(left->first().kind, u"signOut"_s);
}

void TestEventRepository::appendAndReadNewestFirst()
{
    EventRepository events(*m_db);
    const Result<Event> first = events.append(u"signIn"_s, 7, u"google"_s, m_now);
    QVERIFY(first.ok());
    QCOMPARE(first->userId, std::optional<qint64>(7));
    QVERIFY(events.append(u"error"_s, std::nullopt, u"x'); DROP TABLE events; --"_s,
                          m_now.addSecs(5))
                    .ok());
    QVERIFY(events.append(u"signOut"_s, 7, {}, m_now.addSecs(5)).ok());

    const Result<QList<Event>> recent = events.recent(2);
    QVERIFY(recent.ok());
    QCOMPARE(recent->size(), 2);
    QCOMPARE(recent->at(0).kind, u"signOut"_s); // same second: the later insert first
    QVERIFY(recent->at(0).detail.isEmpty());
    QCOMPARE(recent->at(1).kind, u"error"_s);
    QVERIFY(!recent->at(1).userId.has_value());
    QCOMPARE(recent->at(1).detail, u"x'); DROP TABLE events; --"_s);
    QCOMPARE(recent->at(1).at, m_now.addSecs(5));

    const Result<QList<Event>> all = events.recent(100);
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->last().id, first->id);
    QVERIFY(events.recent(0)->isEmpty());
}

void TestEventRepository::eventsOutliveTheirUser()
{
    User profile;
    profile.email = u"gone@example.com"_s;
    const Result<User> user = UserRepository(*m_db).create(profile, m_now);
    QVERIFY(user.ok());
    EventRepository events(*m_db);
    QVERIFY(events.append(u"createUser"_s, user->id, {}, m_now).ok());
    QVERIFY(UserRepository(*m_db).remove(user->id).ok());
    const Result<QList<Event>> recent = events.recent(10);
    QCOMPARE(recent->size(), 1);
    QCOMPARE(recent->at(0).userId, std::optional<qint64>(user->id));
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestEventRepository)
#include "tst_eventrepository.moc"
