#include "auth/accountlinker.h"

#include "fakeclock.h"
#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/userrepository.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

const QString kIssuer = u"https://issuer.example"_s;

OidcIdentity identity(const QString &sub, const QString &email = {})
{
    OidcIdentity id;
    id.provider = u"acme"_s;
    id.issuer = kIssuer;
    id.subject = sub;
    id.email = email;
    id.emailVerified = !email.isEmpty();
    id.name = u"Alice"_s;
    id.picture = u"https://img.example/a.png"_s;
    id.scope = u"openid email profile"_s;
    return id;
}

} // namespace

class TestAccountLinker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void emailCreatesUserOnce();
    void emailVerifiesExistingUser();
    void oidcCreatesUserAndAccount();
    void oidcSameSubjectReturnsSameUser_data();
    void oidcSameSubjectReturnsSameUser();
    void oidcEmailOwnedByAnotherUserIsRefused_data();
    void oidcEmailOwnedByAnotherUserIsRefused();
    void oidcUnverifiedEmailIsNotClaimed();
    void oidcIssuerChangedIsRefused();
    void linkAttachesIdentityToSignedInUser();
    void linkOfAnotherUsersIdentityIsRefused();

private:
    int rows(const QString &table);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<AccountLinker> m_linker;
};

void TestAccountLinker::init()
{
    static int counter = 0;
    auto opened = Database::open(m_dir.filePath(u"auth-%1.db"_s.arg(++counter)));
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    m_db = std::move(opened).value();
    m_clock = std::make_unique<FakeClock>();
    m_linker = std::make_unique<AccountLinker>(*m_db, *m_clock);
}

void TestAccountLinker::cleanup()
{
    m_linker.reset();
    m_db.reset();
}

int TestAccountLinker::rows(const QString &table)
{
    auto query = m_db->run(u"SELECT count(*) FROM "_s + table, {}, u"count rows"_s);
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

void TestAccountLinker::emailCreatesUserOnce()
{
    const auto first = m_linker->signInWithEmail(u"alice@example.com"_s);
    QVERIFY(first.ok());
    QCOMPARE(first->email, u"alice@example.com"_s);
    QCOMPARE(first->emailVerified, m_clock->now());
    auto account =
            AccountRepository(*m_db).findByProviderAccount(u"email"_s, u"alice@example.com"_s);
    QVERIFY(account.ok());
    QCOMPARE(account->userId, first->id);
    QCOMPARE(account->type, Account::Type::Email);

    m_clock->advance(3600);
    const auto second = m_linker->signInWithEmail(u"alice@example.com"_s);
    QVERIFY(second.ok());
    QCOMPARE(second->id, first->id);
    QCOMPARE(rows(u"users"_s), 1);
    QCOMPARE(rows(u"accounts"_s), 1);

    const auto other = m_linker->signInWithEmail(u"bob@example.com"_s);
    QVERIFY(other.ok());
    QVERIFY(other->id != first->id);
}

void TestAccountLinker::emailVerifiesExistingUser()
{
    User unverified;
    unverified.email = u"alice@example.com"_s;
    auto created = UserRepository(*m_db).create(unverified, m_clock->now());
    QVERIFY(created.ok());
    QVERIFY(!created->emailVerified.isValid());
    m_clock->advance(60);
    const auto user = m_linker->signInWithEmail(u"alice@example.com"_s);
    QVERIFY(user.ok());
    QCOMPARE(user->id, created->id);
    QCOMPARE(user->emailVerified, m_clock->now());
    QCOMPARE(UserRepository(*m_db).findById(created->id)->emailVerified, m_clock->now());
}

void TestAccountLinker::oidcCreatesUserAndAccount()
{
    const auto user = m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(user.ok());
    QCOMPARE(user->user.email, u"alice@example.com"_s);
    QCOMPARE(user->user.name, u"Alice"_s);
    QCOMPARE(user->user.image, u"https://img.example/a.png"_s);
    QVERIFY(user->user.emailVerified.isValid());
    auto account = AccountRepository(*m_db).findByProviderAccount(u"acme"_s, u"sub-1"_s);
    QVERIFY(account.ok());
    QCOMPARE(account->userId, user->user.id);
    QCOMPARE(user->account.id, account->id); // the flow needs no second lookup
    QCOMPARE(account->issuer, kIssuer);
    QCOMPARE(account->type, Account::Type::Oidc);
    QCOMPARE(account->scope, u"openid email profile"_s);
}

void TestAccountLinker::oidcSameSubjectReturnsSameUser_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("picture");
    QTest::addColumn<QString>("expectedName");
    QTest::addColumn<QString>("expectedImage");
    QTest::newRow("unchanged") << u"Alice"_s << u"https://img.example/a.png"_s << u"Alice"_s
                               << u"https://img.example/a.png"_s;
    QTest::newRow("new name") << u"Alice Liddell"_s << u"https://img.example/a.png"_s
                              << u"Alice Liddell"_s << u"https://img.example/a.png"_s;
    QTest::newRow("new picture") << u"Alice"_s << u"https://img.example/b.png"_s << u"Alice"_s
                                 << u"https://img.example/b.png"_s;
    QTest::newRow("nothing given")
            << QString() << QString() << u"Alice"_s << u"https://img.example/a.png"_s;
}

void TestAccountLinker::oidcSameSubjectReturnsSameUser()
{
    QFETCH(QString, name);
    QFETCH(QString, picture);
    QFETCH(QString, expectedName);
    QFETCH(QString, expectedImage);
    const auto first = m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(first.ok());

    m_clock->advance(3600);
    OidcIdentity again = identity(u"sub-1"_s, u"alice@example.com"_s);
    again.name = name;
    again.picture = picture;
    const auto second = m_linker->signInWithOidc(again);
    QVERIFY(second.ok());
    QCOMPARE(second->user.id, first->user.id);
    QCOMPARE(second->user.name, expectedName);
    QCOMPARE(second->user.image, expectedImage);
    // Stored, not just returned.
    const auto stored = UserRepository(*m_db).findById(first->user.id);
    QVERIFY(stored.ok());
    QCOMPARE(stored->name, expectedName);
    QCOMPARE(stored->image, expectedImage);
    QCOMPARE(rows(u"users"_s), 1);
    QCOMPARE(rows(u"accounts"_s), 1);
}

void TestAccountLinker::oidcEmailOwnedByAnotherUserIsRefused_data()
{
    QTest::addColumn<QString>("existing");
    QTest::newRow("owned through an email sign-in") << u"email"_s;
    QTest::newRow("owned through another provider") << u"oidc"_s;
}

void TestAccountLinker::oidcEmailOwnedByAnotherUserIsRefused()
{
    QFETCH(QString, existing);
    if (existing == u"email") {
        QVERIFY(m_linker->signInWithEmail(u"alice@example.com"_s).ok());
    } else {
        OidcIdentity other = identity(u"other-sub"_s, u"alice@example.com"_s);
        other.provider = u"google"_s;
        other.issuer = u"https://accounts.google.com"_s;
        QVERIFY(m_linker->signInWithOidc(other).ok());
    }
    const int users = rows(u"users"_s);
    const int accounts = rows(u"accounts"_s);
    const int events = rows(u"events"_s);

    const auto refused = m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().reason, u"email_in_use"_s);
    QVERIFY(!refused.error().message.isEmpty());
    // Nothing created.
    QCOMPARE(rows(u"users"_s), users);
    QCOMPARE(rows(u"accounts"_s), accounts);
    QCOMPARE(rows(u"events"_s), events);
    QVERIFY(!AccountRepository(*m_db).findByProviderAccount(u"acme"_s, u"sub-1"_s).ok());
}

void TestAccountLinker::oidcUnverifiedEmailIsNotClaimed()
{
    // A provider that does not vouch for the address must not let its user own it: the person
    // who later proves that mailbox by email link would land in this user (pre-hijacking).
    OidcIdentity unverified = identity(u"sub-1"_s, u"victim@example.com"_s);
    unverified.emailVerified = false;
    const auto attacker = m_linker->signInWithOidc(unverified);
    QVERIFY(attacker.ok());
    QVERIFY(attacker->user.email.isEmpty());

    const auto victim = m_linker->signInWithEmail(u"victim@example.com"_s);
    QVERIFY(victim.ok());
    QVERIFY(victim->id != attacker->user.id);
}

void TestAccountLinker::oidcIssuerChangedIsRefused()
{
    const auto first = m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(first.ok());
    OidcIdentity moved = identity(u"sub-1"_s, u"alice@example.com"_s);
    moved.issuer = u"https://evil.example"_s;
    moved.name = u"Mallory"_s;
    const auto refused = m_linker->signInWithOidc(moved);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().reason, u"issuer_changed"_s);
    // The existing user is untouched.
    QCOMPARE(UserRepository(*m_db).findById(first->user.id)->name, u"Alice"_s);
    QCOMPARE(rows(u"users"_s), 1);
}

void TestAccountLinker::linkAttachesIdentityToSignedInUser()
{
    const auto alice = m_linker->signInWithEmail(u"alice@example.com"_s);
    QVERIFY(alice.ok());
    // The provider's sign-in alone is refused: the address belongs to Alice's email account.
    QCOMPARE(m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s)).error().reason,
             u"email_in_use"_s);
    // Signed in, Alice links it; linking twice is harmless.
    const auto linked = m_linker->linkOidc(alice->id, identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(linked.ok());
    QCOMPARE(linked->user.id, alice->id);
    QVERIFY(m_linker->linkOidc(alice->id, identity(u"sub-1"_s)).ok());
    QCOMPARE(AccountRepository(*m_db).listForUser(alice->id)->size(), 2);
    // From now on the provider signs her in to the same user.
    const auto viaProvider = m_linker->signInWithOidc(identity(u"sub-1"_s, u"alice@example.com"_s));
    QVERIFY(viaProvider.ok());
    QCOMPARE(viaProvider->user.id, alice->id);
}

void TestAccountLinker::linkOfAnotherUsersIdentityIsRefused()
{
    const auto bob = m_linker->signInWithOidc(identity(u"bob-sub"_s, u"bob@example.com"_s));
    QVERIFY(bob.ok());
    const auto alice = m_linker->signInWithEmail(u"alice@example.com"_s);
    QVERIFY(alice.ok());
    const auto refused = m_linker->linkOidc(alice->id, identity(u"bob-sub"_s));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().reason, u"linked_elsewhere"_s);
    QCOMPARE(AccountRepository(*m_db).listForUser(alice->id)->size(), 1);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestAccountLinker)
#include "tst_accountlinker.moc"
