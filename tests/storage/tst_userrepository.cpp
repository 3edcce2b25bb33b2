#include "storage/accountrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"
#include "storagetest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestUserRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createAndFind();
    void absentUserIsNotFound();
    void duplicateEmailIsRefused();
    void usersWithoutEmailDoNotCollide();
    void updateProfile();
    void setEmailVerified();
    void removeCascadesToAccountsAndSessions();
    void storesHostileValuesVerbatim_data();
    void storesHostileValuesVerbatim();

private:
    User makeUser(const QString &email);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
};

void TestUserRepository::init()
{
    m_db = openDatabase(freshPath(m_dir));
    QVERIFY(m_db);
}

void TestUserRepository::cleanup() { m_db.reset(); }

User TestUserRepository::makeUser(const QString &email)
{
    User user;
    user.email = email;
    user.name = u"Alice"_s;
    user.image = u"https://example.com/a.png"_s;
    return user;
}

void TestUserRepository::createAndFind()
{
    UserRepository users(*m_db);
    User profile = makeUser(u"alice@example.com"_s);
    profile.emailVerified = m_now.addSecs(-60);
    const Result<User> created = users.create(profile, m_now);
    QVERIFY(created.ok());
    QVERIFY(created->id > 0);
    QCOMPARE(created->email, u"alice@example.com"_s);
    QCOMPARE(created->emailVerified, m_now.addSecs(-60));
    QCOMPARE(created->createdAt, m_now);
    QCOMPARE(created->updatedAt, m_now);
    QCOMPARE(created->createdAt.timeSpec(), Qt::UTC);

    const Result<User> byId = users.findById(created->id);
    QVERIFY(byId.ok());
    QCOMPARE(byId->email, u"alice@example.com"_s);
    QCOMPARE(byId->name, u"Alice"_s);
    QCOMPARE(byId->image, u"https://example.com/a.png"_s);
    const Result<User> byEmail = users.findByEmail(u"alice@example.com"_s);
    QVERIFY(byEmail.ok());
    QCOMPARE(byEmail->id, created->id);
}

void TestUserRepository::absentUserIsNotFound()
{
    UserRepository users(*m_db);
    QVERIFY(isNotFound(users.findById(42)));
    QVERIFY(isNotFound(users.findByEmail(u"nobody@example.com"_s)));
    QVERIFY(isNotFound(users.updateProfile(42, u"x"_s, {}, m_now)));
    QVERIFY(isNotFound(users.setEmailVerified(42, m_now)));
    QVERIFY(isNotFound(users.remove(42)));
}

void TestUserRepository::duplicateEmailIsRefused()
{
    UserRepository users(*m_db);
    QVERIFY(users.create(makeUser(u"alice@example.com"_s), m_now).ok());
    const Result<User> duplicate = users.create(makeUser(u"alice@example.com"_s), m_now);
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().kind, ErrorKind::Storage);
    QCOMPARE(duplicate.error().reason, QLatin1String(storage::kUnique));
    QVERIFY2(duplicate.error().message.contains(u"users.email"_s),
             qPrintable(duplicate.error().message));
}

void TestUserRepository::usersWithoutEmailDoNotCollide()
{
    UserRepository users(*m_db);
    const Result<User> first = users.create(makeUser({}), m_now);
    const Result<User> second = users.create(makeUser({}), m_now);
    QVERIFY(first.ok() && second.ok());
    QVERIFY(first->id != second->id);
    QVERIFY(second->email.isEmpty());
}

void TestUserRepository::updateProfile()
{
    UserRepository users(*m_db);
    const Result<User> created = users.create(makeUser(u"alice@example.com"_s), m_now);
    QVERIFY(created.ok());
    QVERIFY(users.updateProfile(created->id, u"Alice Liddell"_s, {}, m_now.addSecs(10)).ok());
    const Result<User> updated = users.findById(created->id);
    QCOMPARE(updated->name, u"Alice Liddell"_s);
    QVERIFY(updated->image.isEmpty());
    QCOMPARE(updated->updatedAt, m_now.addSecs(10));
    QCOMPARE(updated->createdAt, m_now);
    QCOMPARE(updated->email, u"alice@example.com"_s);
}

void TestUserRepository::setEmailVerified()
{
    UserRepository users(*m_db);
    const Result<User> created = users.create(makeUser(u"alice@example.com"_s), m_now);
    QVERIFY(created.ok());
    QVERIFY(!created->emailVerified.isValid());
    QVERIFY(users.setEmailVerified(created->id, m_now.addSecs(5)).ok());
    QCOMPARE(users.findById(created->id)->emailVerified, m_now.addSecs(5));
}

void TestUserRepository::removeCascadesToAccountsAndSessions()
{
    UserRepository users(*m_db);
    const Result<User> doomed = users.create(makeUser(u"doomed@example.com"_s), m_now);
    const Result<User> other = users.create(makeUser(u"other@example.com"_s), m_now);
    QVERIFY(doomed.ok() && other.ok());
    AccountRepository accounts(*m_db);
    SessionRepository sessions(*m_db);
    Account account;
    account.userId = doomed->id;
    account.provider = u"google"_s;
    account.providerAccountId = u"sub-1"_s;
    QVERIFY(accounts.create(account, m_now).ok());
    account.userId = other->id;
    account.providerAccountId = u"sub-2"_s;
    QVERIFY(accounts.create(account, m_now).ok());
    QVERIFY(sessions.create(hashOf("doomed"), doomed->id, m_now.addDays(30), {}, m_now).ok());
    QVERIFY(sessions.create(hashOf("other"), other->id, m_now.addDays(30), {}, m_now).ok());

    QVERIFY(users.remove(doomed->id).ok());

    QVERIFY(isNotFound(users.findById(doomed->id)));
    QVERIFY(isNotFound(accounts.findByProviderAccount(u"google"_s, u"sub-1"_s)));
    QVERIFY(isNotFound(sessions.findByTokenHash(hashOf("doomed"))));
    QVERIFY(accounts.findByProviderAccount(u"google"_s, u"sub-2"_s).ok());
    QVERIFY(sessions.findByTokenHash(hashOf("other")).ok());
    // Ids are never reused, so the audit trail's user ids stay truthful.
    const Result<User> next = users.create(makeUser(u"next@example.com"_s), m_now);
    QVERIFY(next.ok());
    QVERIFY(next->id > other->id);
}

void TestUserRepository::storesHostileValuesVerbatim_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("sql injection") << u"x'); DROP TABLE users; --"_s;
    QTest::newRow("quotes") << u"O'Hara \"the\" `user`"_s;
    QTest::newRow("percent and placeholders") << u"%1 %s ? :name @p $1"_s;
    QTest::newRow("unicode") << u"김철수 Zoë 😀"_s;
    QTest::newRow("control characters") << u"line\nbreak\ttab\r\x1b[31m"_s;
    QTest::newRow("embedded nul") << QString(u"before\0after"_s);
}

void TestUserRepository::storesHostileValuesVerbatim()
{
    QFETCH(QString, value);
    UserRepository users(*m_db);
    User profile;
    profile.name = value;
    profile.email = value + u"@example.com"_s;
    profile.image = value;
    const Result<User> created = users.create(profile, m_now);
    QVERIFY(created.ok());
    const Result<User> found = users.findByEmail(value + u"@example.com"_s);
    QVERIFY(found.ok());
    QCOMPARE(found->id, created->id);
    QCOMPARE(found->name, value);
    QCOMPARE(found->image, value);
    // The table is still there and holds exactly this row.
    auto count = m_db->run(u"SELECT count(*) FROM users"_s, {}, u"count"_s);
    QVERIFY(count.ok() && count.value().next());
    QCOMPARE(count.value().value(0).toInt(), 1);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestUserRepository)
#include "tst_userrepository.moc"
