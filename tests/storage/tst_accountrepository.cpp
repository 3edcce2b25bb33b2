#include "storage/accountrepository.h"
#include "storage/userrepository.h"
#include "storagetest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestAccountRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createFindAndList();
    void sameIdentityTwiceIsRefused();
    void sameSubjectAtAnotherProviderIsAllowed();
    void unknownUserIsRefused();
    void removeUnlinks();
    void setExpiresAtStoresAndClears();

private:
    Account makeAccount(const QString &sub) const;

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_userId = 0;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
};

void TestAccountRepository::init()
{
    m_db = openDatabase(freshPath(m_dir));
    QVERIFY(m_db);
    User user;
    user.email = u"alice@example.com"_s;
    const Result<User> created = UserRepository(*m_db).create(user, m_now);
    QVERIFY(created.ok());
    m_userId = created->id;
}

void TestAccountRepository::cleanup() { m_db.reset(); }

Account TestAccountRepository::makeAccount(const QString &sub) const
{
    Account account;
    account.userId = m_userId;
    account.type = Account::Type::Oidc;
    account.provider = u"google"_s;
    account.providerAccountId = sub;
    account.issuer = u"https://accounts.google.com"_s;
    account.scope = u"openid email profile"_s;
    account.expiresAt = m_now.addSecs(3600);
    return account;
}

void TestAccountRepository::createFindAndList()
{
    AccountRepository accounts(*m_db);
    const Result<Account> oidc = accounts.create(makeAccount(u"1234567890"_s), m_now);
    QVERIFY(oidc.ok());
    QVERIFY(oidc->id > 0);
    QCOMPARE(oidc->createdAt, m_now);
    Account email;
    email.userId = m_userId;
    email.type = Account::Type::Email;
    email.provider = u"email"_s;
    email.providerAccountId = u"alice@example.com"_s;
    QVERIFY(accounts.create(email, m_now.addSecs(1)).ok());

    const Result<Account> found = accounts.findByProviderAccount(u"google"_s, u"1234567890"_s);
    QVERIFY(found.ok());
    QCOMPARE(found->id, oidc->id);
    QCOMPARE(found->userId, m_userId);
    QCOMPARE(found->type, Account::Type::Oidc);
    QCOMPARE(found->issuer, u"https://accounts.google.com"_s);
    QCOMPARE(found->scope, u"openid email profile"_s);
    QCOMPARE(found->expiresAt, m_now.addSecs(3600));

    const Result<QList<Account>> listed = accounts.listForUser(m_userId);
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), 2);
    QCOMPARE(listed->at(0).provider, u"google"_s);
    QCOMPARE(listed->at(1).type, Account::Type::Email);
    QVERIFY(!listed->at(1).expiresAt.isValid());
    QVERIFY(accounts.listForUser(m_userId + 100)->isEmpty());
    QVERIFY(isNotFound(accounts.findByProviderAccount(u"google"_s, u"other"_s)));
}

void TestAccountRepository::sameIdentityTwiceIsRefused()
{
    AccountRepository accounts(*m_db);
    QVERIFY(accounts.create(makeAccount(u"sub"_s), m_now).ok());
    const Result<Account> duplicate = accounts.create(makeAccount(u"sub"_s), m_now);
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().kind, ErrorKind::Storage);
    QCOMPARE(duplicate.error().reason, QLatin1String(storage::kUnique));
}

void TestAccountRepository::sameSubjectAtAnotherProviderIsAllowed()
{
    AccountRepository accounts(*m_db);
    QVERIFY(accounts.create(makeAccount(u"sub"_s), m_now).ok());
    Account other = makeAccount(u"sub"_s);
    other.provider = u"acme"_s;
    other.issuer = u"https://id.acme.example"_s;
    QVERIFY(accounts.create(other, m_now).ok());
    QCOMPARE(accounts.findByProviderAccount(u"acme"_s, u"sub"_s)->issuer, other.issuer);
}

void TestAccountRepository::unknownUserIsRefused()
{
    Account orphan = makeAccount(u"sub"_s);
    orphan.userId = m_userId + 999;
    const Result<Account> created = AccountRepository(*m_db).create(orphan, m_now);
    QVERIFY(!created.ok());
    QCOMPARE(created.error().reason, QLatin1String(storage::kForeignKey));
}

void TestAccountRepository::removeUnlinks()
{
    AccountRepository accounts(*m_db);
    const Result<Account> created = accounts.create(makeAccount(u"sub"_s), m_now);
    QVERIFY(created.ok());
    QVERIFY(accounts.remove(created->id).ok());
    QVERIFY(isNotFound(accounts.findByProviderAccount(u"google"_s, u"sub"_s)));
    QVERIFY(isNotFound(accounts.remove(created->id)));
    // The identity can be linked again afterwards.
    QVERIFY(accounts.create(makeAccount(u"sub"_s), m_now).ok());
}

void TestAccountRepository::setExpiresAtStoresAndClears()
{
    AccountRepository accounts(*m_db);
    const Result<Account> created = accounts.create(makeAccount(u"sub"_s), m_now);
    QVERIFY(created.ok());
    const Result<Account> other = accounts.create(makeAccount(u"other"_s), m_now);
    QVERIFY(other.ok());

    const QDateTime later = m_now.addSecs(7200);
    QVERIFY(accounts.setExpiresAt(created->id, later).ok());
    QCOMPARE(accounts.findByProviderAccount(u"google"_s, u"sub"_s)->expiresAt, later);
    // Only that row changed.
    QCOMPARE(accounts.findByProviderAccount(u"google"_s, u"other"_s)->expiresAt,
             m_now.addSecs(3600));

    // An invalid time is NULL: the expiry is unknown.
    QVERIFY(accounts.setExpiresAt(created->id, QDateTime()).ok());
    QVERIFY(!accounts.findByProviderAccount(u"google"_s, u"sub"_s)->expiresAt.isValid());

    QVERIFY(isNotFound(accounts.setExpiresAt(created->id + 100, later)));
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestAccountRepository)
#include "tst_accountrepository.moc"
