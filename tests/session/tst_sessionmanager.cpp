#include "keychain/keychainpolicy.h"
#include "session/sessionmanager.h"

#include "fakeclock.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "storage/database.h"
#include "storage/devicerepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 2000;
constexpr qint64 kDay = 24 * 3600;

Error lockedKeychain()
{
    return Error::make(ErrorKind::Keychain,
                       u"The keychain is locked. Unlock it and start Latchkey again."_s, u"4"_s);
}

} // namespace

class TestSessionManager : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void restore_data();
    void restore();
    void keychainErrorFallsBackToMemory_data();
    void keychainErrorFallsBackToMemory();
    void unreadableDatabaseKeepsTheToken();
    void validSessionFailsClosed_data();
    void validSessionFailsClosed();
    void renewsAfterUpdateAge_data();
    void renewsAfterUpdateAge();
    void storedSessionIsCutToMaxAge();
    void establishIssuesNewTokenEachTime();
    void killedWhileEstablishingLeavesNoRowWithoutToken();
    void signOut_data();
    void signOut();
    void nobodyActiveMeansNoKeychainRead();
    void severalAccountsKeepSeparateEntries();
    void restartOpensTheActiveAccount();
    void switchToAnAccountWhoseSessionIsGone();
    void accountsDropThoseWhoseSessionRanOut();
    void signOutAccountLeavesTheActiveOne();
    void legacyEntryIsMovedOnce();
    void expiresWhileRunning_data();
    void expiresWhileRunning();
    void aNewerSignInElsewhereIsLeftAlone();

    // The jwt strategy.
    void jwtSessionHasNoRow();
    void jwtTokenFailingACheckSignsOut_data();
    void jwtTokenFailingACheckSignsOut();
    void jwtRenewsAfterUpdateAge();
    void jwtSignOutEndsEveryCopy();
    void jwtEndOtherSessionsKeepsTheOneInUse();
    void jwtStepUpIsKept();
    void switchingStrategySignsEveryoneOut();

private:
    std::unique_ptr<SessionManager> makeManager(SessionStrategy strategy = {});
    /// A manager of `strategy` that restored what is stored; nullptr when it did not finish.
    std::unique_ptr<SessionManager> restored(SessionStrategy strategy);
    std::optional<Result<Session>> establishNow(SessionManager &manager);
    std::optional<Result<Session>> establishNow(SessionManager &manager, qint64 userId);
    std::optional<Result<Session>> switchNow(SessionManager &manager, qint64 userId);
    qint64 addUser(const QString &email);
    std::optional<Status> signOutNow(SessionManager &manager);
    int sessionRows();

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<FakeSecretStore> m_memory;
    std::unique_ptr<KeychainPolicy> m_secrets;
    qint64 m_userId = 0;
    QString m_key; // the signed-in user's keychain entry
};

void TestSessionManager::init()
{
    static int counter = 0;
    auto opened = Database::open(m_dir.filePath(u"session-%1.db"_s.arg(++counter)));
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    m_db = std::move(opened).value();
    m_clock = std::make_unique<FakeClock>();
    m_keychain = std::make_unique<FakeSecretStore>();
    m_memory = std::make_unique<FakeSecretStore>();
    m_secrets = std::make_unique<KeychainPolicy>(*m_keychain, *m_memory);
    m_memory->setPersistent(false);
    User alice;
    alice.email = u"alice@example.com"_s;
    alice.name = u"Alice"_s;
    auto created = UserRepository(*m_db).create(alice, m_clock->now());
    QVERIFY(created.ok());
    m_userId = created->id;
    m_key = secretkeys::sessionToken(m_userId);
}

void TestSessionManager::cleanup()
{
    m_keychain.reset();
    m_memory.reset();
    m_db.reset();
}

std::unique_ptr<SessionManager> TestSessionManager::makeManager(SessionStrategy strategy)
{
    SessionPolicy policy;
    policy.deviceName = u"test-device"_s;
    policy.strategy = strategy;
    return std::make_unique<SessionManager>(*m_db, *m_secrets, *m_clock, policy);
}

std::unique_ptr<SessionManager> TestSessionManager::restored(SessionStrategy strategy)
{
    auto manager = makeManager(strategy);
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    manager->restore();
    if (!QTest::qWaitFor([&] { return changed.count() > 0; }, kWaitMs))
        return nullptr;
    QTest::qWait(20); // the keychain erasures of a refused token
    return manager;
}

std::optional<Result<Session>> TestSessionManager::establishNow(SessionManager &manager)
{
    return establishNow(manager, m_userId);
}

std::optional<Result<Session>> TestSessionManager::switchNow(SessionManager &manager, qint64 userId)
{
    std::optional<Result<Session>> result;
    manager.switchTo(userId, this,
                     [&result](Result<Session> session) { result = std::move(session); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs))
        return std::nullopt;
    return result;
}

qint64 TestSessionManager::addUser(const QString &email)
{
    User user;
    user.email = email;
    auto created = UserRepository(*m_db).create(user, m_clock->now());
    return created ? created->id : 0;
}

std::optional<Result<Session>> TestSessionManager::establishNow(SessionManager &manager,
                                                                qint64 userId)
{
    std::optional<Result<Session>> result;
    manager.establish(userId, u"email"_s, this,
                      [&result](Result<Session> session) { result = std::move(session); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs))
        return std::nullopt;
    return result;
}

std::optional<Status> TestSessionManager::signOutNow(SessionManager &manager)
{
    std::optional<Status> result;
    manager.signOut(this, [&result](Status status) { result = std::move(status); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs))
        return std::nullopt;
    return result;
}

int TestSessionManager::sessionRows()
{
    auto query = m_db->run(u"SELECT count(*) FROM sessions"_s, {}, u"count sessions"_s);
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

void TestSessionManager::unreadableDatabaseKeepsTheToken()
{
    auto manager = makeManager();
    auto established = establishNow(*manager);
    QVERIFY(established && established->ok());
    const QByteArray token = m_keychain->value(m_key);
    // The sessions table cannot be read (a damaged or foreign database): fail closed for this
    // run, tell the user, but do not throw away a token that may be valid again later.
    QVERIFY(m_db->run(u"ALTER TABLE sessions RENAME TO sessions_elsewhere"_s, {}, u"break"_s).ok());
    auto restarted = makeManager();
    QSignalSpy changed(restarted.get(), &SessionManager::stateChanged);
    restarted->restore();
    QVERIFY(changed.wait(kWaitMs));
    QCOMPARE(restarted->state(), SessionState::SignedOut);
    QVERIFY(restarted->problem().has_value());
    QCOMPARE(restarted->problem()->kind, ErrorKind::Storage);
    QTest::qWait(50);
    QCOMPARE(m_keychain->value(m_key), token);
}

void TestSessionManager::restore_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<SessionState>("expected");
    QTest::addColumn<bool>("entryKept");
    QTest::newRow("no entry") << u"none"_s << SessionState::SignedOut << false;
    QTest::newRow("valid token") << u"valid"_s << SessionState::SignedIn << true;
    QTest::newRow("expired row") << u"expired"_s << SessionState::Expired << false;
    QTest::newRow("row deleted elsewhere") << u"deleted"_s << SessionState::SignedOut << false;
    QTest::newRow("garbage bytes") << u"garbage"_s << SessionState::SignedOut << false;
    QTest::newRow("empty value") << u"empty"_s << SessionState::SignedOut << false;
}

void TestSessionManager::restore()
{
    QFETCH(QString, stored);
    QFETCH(SessionState, expected);
    QFETCH(bool, entryKept);

    const QByteArray token = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    SessionRepository sessions(*m_db);
    const QDateTime now = m_clock->now();
    if (stored == u"valid" || stored == u"deleted")
        QVERIFY(sessions.create(hashToken(token), m_userId, now.addDays(30), {}, now).ok());
    if (stored == u"expired")
        QVERIFY(sessions.create(hashToken(token), m_userId, now, {}, now.addDays(-30)).ok());
    if (stored == u"deleted")
        QVERIFY(sessions.removeByTokenHash(hashToken(token)).ok());
    if (stored == u"garbage")
        m_keychain->seed(m_key, QByteArray("\x00\xff\r\n garbage \x80", 14));
    else if (stored == u"empty")
        m_keychain->seed(m_key, QByteArray());
    else if (stored != u"none")
        m_keychain->seed(m_key, token);
    // This device last had the user active.
    QVERIFY(DeviceRepository(*m_db).activate(m_userId, now).ok());

    auto manager = makeManager();
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    manager->restore();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kWaitMs);
    QCOMPARE(manager->state(), expected);
    QCOMPARE(changed.first().first().value<SessionState>(), expected);
    QCOMPARE(manager->current().has_value(), expected == SessionState::SignedIn);
    if (expected == SessionState::SignedIn) {
        QCOMPARE(manager->current()->user.email, u"alice@example.com"_s);
        QVERIFY(manager->validSession().ok());
    } else {
        QCOMPARE(manager->validSession().error().kind, ErrorKind::Unauthorized);
    }
    // A useless token is erased so the next start is clean.
    QTRY_COMPARE_WITH_TIMEOUT(m_keychain->contains(m_key), entryKept, kWaitMs);
    if (stored == u"expired")
        QCOMPARE(sessionRows(), 0);
}

void TestSessionManager::keychainErrorFallsBackToMemory_data()
{
    QTest::addColumn<SessionStrategy>("strategy");
    QTest::addColumn<bool>("atStart");
    for (const SessionStrategy strategy : {SessionStrategy::Database, SessionStrategy::Jwt}) {
        const char *name = strategy == SessionStrategy::Jwt ? "jwt" : "database";
        QTest::addRow("%s, failing at start", name) << strategy << true;
        // Nobody was signed in, so the start read nothing: the sign-in meets the failure first.
        QTest::addRow("%s, failing at sign-in", name) << strategy << false;
    }
}

void TestSessionManager::keychainErrorFallsBackToMemory()
{
    QFETCH(SessionStrategy, strategy);
    QFETCH(bool, atStart);
    if (atStart) {
        QVERIFY(restored(strategy)); // the device has used this strategy before
        QVERIFY(DeviceRepository(*m_db).activate(m_userId, m_clock->now()).ok());
        m_keychain->failAll(lockedKeychain());
    }
    auto manager = makeManager(strategy);
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    manager->restore();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kWaitMs);
    if (atStart) {
        QCOMPARE(manager->state(), SessionState::Error);
        QVERIFY(manager->problem().has_value());
        QCOMPARE(manager->problem()->message, lockedKeychain().message);
        QVERIFY(!manager->persistent());
    } else {
        QCOMPARE(manager->state(), SessionState::SignedOut);
        m_keychain->failAll(lockedKeychain());
    }

    // Signing in still works, for this run only.
    const auto session = establishNow(*manager);
    QVERIFY(session.has_value());
    QVERIFY2(session->ok(), qPrintable(session->ok() ? QString() : session->error().message));
    QCOMPARE(manager->state(), SessionState::SignedIn);
    QVERIFY(!manager->persistent());
    QVERIFY(m_memory->contains(m_key));
    QVERIFY(!m_keychain->contains(m_key));
    QVERIFY(manager->validSession().ok());
}

void TestSessionManager::validSessionFailsClosed_data()
{
    QTest::addColumn<SessionStrategy>("strategy");
    QTest::addColumn<QString>("change");
    QTest::addColumn<SessionState>("expected");
    for (const SessionStrategy strategy : {SessionStrategy::Database, SessionStrategy::Jwt}) {
        const char *name = strategy == SessionStrategy::Jwt ? "jwt" : "database";
        // The database strategy's row goes; the jwt strategy's generation moves on (both are
        // what signing out in another process does).
        QTest::addRow("%s: signed out elsewhere", name)
                << strategy << u"elsewhere"_s << SessionState::SignedOut;
        QTest::addRow("%s: user removed", name) << strategy << u"user"_s << SessionState::SignedOut;
        QTest::addRow("%s: expiry passed", name)
                << strategy << u"expiry"_s << SessionState::Expired;
        QTest::addRow("%s: one second before expiry", name)
                << strategy << u"almost"_s << SessionState::SignedIn;
    }
}

void TestSessionManager::validSessionFailsClosed()
{
    QFETCH(SessionStrategy, strategy);
    QFETCH(QString, change);
    QFETCH(SessionState, expected);
    auto manager = makeManager(strategy);
    const auto session = establishNow(*manager);
    QVERIFY(session && session->ok());
    QVERIFY(manager->validSession().ok());

    if (change == u"elsewhere" && strategy == SessionStrategy::Jwt)
        QVERIFY(UserRepository(*m_db).nextSessionGeneration(m_userId).ok());
    else if (change == u"elsewhere")
        QVERIFY(SessionRepository(*m_db).removeForUser(m_userId).ok());
    else if (change == u"user")
        QVERIFY(UserRepository(*m_db).remove(m_userId).ok());
    else if (change == u"expiry")
        m_clock->advance(30 * kDay);
    else if (change == u"almost")
        m_clock->advance(30 * kDay - 1);

    const auto valid = manager->validSession();
    QCOMPARE(valid.ok(), expected == SessionState::SignedIn);
    QCOMPARE(manager->state(), expected);
    if (expected != SessionState::SignedIn) {
        QCOMPARE(valid.error().kind, ErrorKind::Unauthorized);
        QVERIFY(!manager->current().has_value());
        QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(m_key), kWaitMs);
        // Stays closed.
        QVERIFY(!manager->validSession().ok());
    }
}

void TestSessionManager::renewsAfterUpdateAge_data()
{
    QTest::addColumn<qint64>("after");
    QTest::addColumn<bool>("renewed");
    QTest::newRow("at once") << qint64(0) << false;
    QTest::newRow("23:59:59") << qint64(kDay - 1) << false;
    QTest::newRow("24:00:00") << qint64(kDay) << true;
    QTest::newRow("10 days") << qint64(10 * kDay) << true;
}

void TestSessionManager::renewsAfterUpdateAge()
{
    QFETCH(qint64, after);
    QFETCH(bool, renewed);
    auto manager = makeManager();
    const QDateTime start = m_clock->now();
    const auto session = establishNow(*manager);
    QVERIFY(session && session->ok());
    QCOMPARE(session->value().expires, start.addSecs(30 * kDay));

    m_clock->advance(after);
    const auto valid = manager->validSession();
    QVERIFY(valid.ok());
    const QDateTime expected =
            renewed ? m_clock->now().addSecs(30 * kDay) : start.addSecs(30 * kDay);
    QCOMPARE(valid->expires, expected);
    // The database agrees (a restart sees the same expiry).
    auto rows = SessionRepository(*m_db).listForUser(m_userId);
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->first().expires, expected);
}

void TestSessionManager::storedSessionIsCutToMaxAge()
{
    // A row that claims to live for five years (written under an older, longer policy, or edited
    // by hand) lives no longer than the policy's max age from now.
    auto manager = makeManager();
    const auto session = establishNow(*manager);
    QVERIFY(session && session->ok());
    const QDateTime now = m_clock->now();
    QVERIFY(SessionRepository(*m_db).touch(session->value().sessionId, now, now.addYears(5)).ok());

    const auto valid = manager->validSession();
    QVERIFY(valid.ok());
    QCOMPARE(valid->expires, now.addSecs(30 * kDay));
    auto rows = SessionRepository(*m_db).listForUser(m_userId);
    QVERIFY(rows.ok() && rows->size() == 1);
    QCOMPARE(rows->first().expires, now.addSecs(30 * kDay));
}

void TestSessionManager::killedWhileEstablishingLeavesNoRowWithoutToken()
{
    // The process dies right after the keychain took the token (the fake stores at once and
    // answers later; the manager is gone before the answer). The next start must be signed in or
    // signed out, never half: no row that no stored token opens.
    {
        auto manager = makeManager();
        manager->establish(m_userId, u"email"_s, this, [](Result<Session>) {});
    }
    QCOMPARE(sessionRows(), 0);
    QVERIFY(m_keychain->contains(m_key));

    auto restarted = makeManager();
    restarted->restore();
    QTRY_COMPARE_WITH_TIMEOUT(restarted->state(), SessionState::SignedOut, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(m_key), kWaitMs); // the useless token goes
    QCOMPARE(sessionRows(), 0);

    // Signed in, then killed while signing in again: the old session ended, the new one never
    // had a row, so the next start is cleanly signed out.
    const auto first = establishNow(*restarted);
    QVERIFY(first && first->ok());
    restarted->establish(m_userId, u"email"_s, this, [](Result<Session>) {});
    restarted.reset();
    QCOMPARE(sessionRows(), 0);
    auto again = makeManager();
    again->restore();
    QTRY_COMPARE_WITH_TIMEOUT(again->state(), SessionState::SignedOut, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(m_key), kWaitMs);
}

void TestSessionManager::establishIssuesNewTokenEachTime()
{
    auto manager = makeManager();
    const auto first = establishNow(*manager);
    QVERIFY(first && first->ok());
    const QByteArray firstToken = m_keychain->value(m_key);
    QCOMPARE(firstToken.size(), 43); // 256 bits, base64url
    auto firstRow = SessionRepository(*m_db).findByTokenHash(hashToken(firstToken));
    QVERIFY(firstRow.ok());
    QCOMPARE(firstRow->userId, m_userId);
    QCOMPARE(firstRow->deviceName, u"test-device"_s);

    const auto second = establishNow(*manager);
    QVERIFY(second && second->ok());
    const QByteArray secondToken = m_keychain->value(m_key);
    QVERIFY(secondToken != firstToken);
    // The previous row is gone: the old token opens nothing.
    QVERIFY(!SessionRepository(*m_db).findByTokenHash(hashToken(firstToken)).ok());
    QVERIFY(SessionRepository(*m_db).findByTokenHash(hashToken(secondToken)).ok());
    QCOMPARE(sessionRows(), 1);

    // Only the hash is stored, never the token.
    auto query = m_db->run(u"SELECT token_hash FROM sessions"_s, {}, u"read"_s);
    QVERIFY(query.ok() && query.value().next());
    QCOMPARE(query.value().value(0).toByteArray(), hashToken(secondToken));
}

void TestSessionManager::signOut_data()
{
    QTest::addColumn<bool>("removeFails");
    QTest::newRow("keychain ok") << false;
    QTest::newRow("keychain remove fails") << true;
}

void TestSessionManager::signOut()
{
    QFETCH(bool, removeFails);
    auto manager = makeManager();
    const auto session = establishNow(*manager);
    QVERIFY(session && session->ok());
    const QByteArray token = m_keychain->value(m_key);
    QVERIFY(!token.isEmpty());
    if (removeFails)
        m_keychain->failNextRemove(lockedKeychain());

    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    const auto status = signOutNow(*manager);
    QVERIFY(status.has_value());
    QCOMPARE(status->ok(), !removeFails);
    if (removeFails)
        QCOMPARE(status->error().kind, ErrorKind::Keychain);
    QCOMPARE(manager->state(), SessionState::SignedOut);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!manager->current().has_value());
    QCOMPARE(m_keychain->contains(m_key), removeFails);
    // Even when the keychain kept it, the token is useless: its row is gone.
    QCOMPARE(sessionRows(), 0);
    QVERIFY(!manager->validSession().ok());

    // A restart with whatever the keychain kept does not sign in.
    m_keychain->clearFailures();
    auto restarted = makeManager();
    QSignalSpy restartedChanged(restarted.get(), &SessionManager::stateChanged);
    restarted->restore();
    QTRY_COMPARE_WITH_TIMEOUT(restartedChanged.count(), 1, kWaitMs);
    QCOMPARE(restarted->state(), SessionState::SignedOut);
}

void TestSessionManager::nobodyActiveMeansNoKeychainRead()
{
    // A device where nobody is signed in starts signed out without asking the keychain (which may
    // be locked, or prompt): the database says nobody is there.
    m_keychain->failAll(lockedKeychain());
    auto manager = makeManager();
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    manager->restore();
    QCOMPARE(changed.count(), 0); // still asynchronous, like every restore
    QVERIFY(changed.wait(kWaitMs));
    QCOMPARE(manager->state(), SessionState::SignedOut);
    QVERIFY(!manager->problem().has_value());
    QVERIFY(manager->persistent());
}

void TestSessionManager::severalAccountsKeepSeparateEntries()
{
    auto manager = makeManager();
    const qint64 bob = addUser(u"bob@example.com"_s);
    QVERIFY(bob > 0);
    auto alice = establishNow(*manager);
    QVERIFY(alice && alice->ok());
    auto second = establishNow(*manager, bob);
    QVERIFY(second && second->ok());

    // Bob is active; Alice is still signed in on this device, with her own entry and row.
    QCOMPARE(manager->current()->user.email, u"bob@example.com"_s);
    const QString bobKey = secretkeys::sessionToken(bob);
    QVERIFY(m_keychain->contains(m_key));
    QVERIFY(m_keychain->contains(bobKey));
    QVERIFY(m_keychain->value(m_key) != m_keychain->value(bobKey));
    QCOMPARE(sessionRows(), 2);
    auto accounts = manager->accounts();
    QVERIFY(accounts.ok());
    QCOMPARE(accounts->size(), 2);
    QCOMPARE(accounts->at(0).user.email, u"bob@example.com"_s);
    QVERIFY(accounts->at(0).active);
    QCOMPARE(accounts->at(0).methods, QStringList());
    QCOMPARE(accounts->at(1).user.email, u"alice@example.com"_s);
    QVERIFY(!accounts->at(1).active);

    // Switching back to Alice uses her stored session; Bob stays signed in.
    auto switched = switchNow(*manager, m_userId);
    QVERIFY(switched && switched->ok());
    QCOMPARE(switched->value().user.email, u"alice@example.com"_s);
    QCOMPARE(manager->current()->user.email, u"alice@example.com"_s);
    QCOMPARE(manager->state(), SessionState::SignedIn);
    QVERIFY(manager->validSession().ok());
    QCOMPARE(sessionRows(), 2);

    // Signing out signs the active account out only.
    const auto status = signOutNow(*manager);
    QVERIFY(status && status->ok());
    QCOMPARE(manager->state(), SessionState::SignedOut);
    QVERIFY(!m_keychain->contains(m_key));
    QVERIFY(m_keychain->contains(bobKey));
    accounts = manager->accounts();
    QVERIFY(accounts.ok());
    QCOMPARE(accounts->size(), 1);
    QCOMPARE(accounts->first().user.id, bob);
    QVERIFY(!accounts->first().active);
    // Nobody active now: a restart is signed out, and Bob can be switched to.
    auto restarted = makeManager();
    restarted->restore();
    QTRY_COMPARE_WITH_TIMEOUT(restarted->state(), SessionState::SignedOut, kWaitMs);
    switched = switchNow(*restarted, bob);
    QVERIFY(switched && switched->ok());
    QCOMPARE(restarted->current()->user.id, bob);
}

void TestSessionManager::restartOpensTheActiveAccount()
{
    auto manager = makeManager();
    const qint64 bob = addUser(u"bob@example.com"_s);
    QVERIFY(establishNow(*manager)->ok());
    QVERIFY(establishNow(*manager, bob)->ok());
    QVERIFY(switchNow(*manager, m_userId)->ok());
    manager.reset();

    auto restarted = makeManager();
    restarted->restore();
    QTRY_COMPARE_WITH_TIMEOUT(restarted->state(), SessionState::SignedIn, kWaitMs);
    QCOMPARE(restarted->current()->user.id, m_userId);
}

void TestSessionManager::switchToAnAccountWhoseSessionIsGone()
{
    auto manager = makeManager();
    const qint64 bob = addUser(u"bob@example.com"_s);
    const qint64 stranger = addUser(u"stranger@example.com"_s);
    QVERIFY(establishNow(*manager, bob)->ok());
    QVERIFY(establishNow(*manager)->ok());
    // Bob's keychain entry was removed outside the app.
    m_keychain->erase(secretkeys::sessionToken(bob));

    auto switched = switchNow(*manager, bob);
    QVERIFY(switched && !switched->ok());
    QCOMPARE(switched->error().code, ErrorCode::AccountNotOnDevice);
    // Alice stays active; Bob leaves the list (his row, which nothing opens now, expires).
    QCOMPARE(manager->state(), SessionState::SignedIn);
    QCOMPARE(manager->current()->user.id, m_userId);
    QVERIFY(manager->validSession().ok());
    QCOMPARE(manager->accounts()->size(), 1);

    // A user who never signed in here cannot be switched to, whatever the keychain holds.
    m_keychain->seed(secretkeys::sessionToken(stranger), m_keychain->value(m_key));
    switched = switchNow(*manager, stranger);
    QVERIFY(switched && !switched->ok());
    QCOMPARE(switched->error().code, ErrorCode::AccountNotOnDevice);
    QCOMPARE(manager->current()->user.id, m_userId);
}

void TestSessionManager::accountsDropThoseWhoseSessionRanOut()
{
    auto manager = makeManager();
    const qint64 bob = addUser(u"bob@example.com"_s);
    QVERIFY(establishNow(*manager, bob)->ok());
    m_clock->advance(20 * kDay);
    QVERIFY(establishNow(*manager)->ok());
    m_clock->advance(11 * kDay); // Bob's unused session ran out; Alice's did not
    QSignalSpy left(manager.get(), &SessionManager::accountLeft);

    auto accounts = manager->accounts();
    QVERIFY(accounts.ok());
    QCOMPARE(accounts->size(), 1);
    QCOMPARE(accounts->first().user.id, m_userId);
    QCOMPARE(accounts->first().expires, manager->current()->expires);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(secretkeys::sessionToken(bob)), kWaitMs);
    // What is kept for Bob alone (his picture) goes with him.
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().at(0).toLongLong(), bob);
}

void TestSessionManager::signOutAccountLeavesTheActiveOne()
{
    auto manager = makeManager();
    const qint64 bob = addUser(u"bob@example.com"_s);
    QVERIFY(establishNow(*manager, bob)->ok());
    QVERIFY(establishNow(*manager)->ok());
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);
    QSignalSpy left(manager.get(), &SessionManager::accountLeft);

    std::optional<Status> status;
    manager->signOutAccount(bob, this, [&status](Status done) { status = done; });
    QTRY_VERIFY_WITH_TIMEOUT(status.has_value(), kWaitMs);
    QVERIFY(status->ok());
    QVERIFY(!m_keychain->contains(secretkeys::sessionToken(bob)));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(manager->state(), SessionState::SignedIn);
    QCOMPARE(manager->current()->user.id, m_userId);
    QCOMPARE(manager->accounts()->size(), 1);
    QCOMPARE(sessionRows(), 1);
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().at(0).toLongLong(), bob);

    // Then the active account: it leaves too, and only it.
    status.reset();
    manager->signOut(this, [&status](Status done) { status = done; });
    QTRY_VERIFY_WITH_TIMEOUT(status.has_value(), kWaitMs);
    QCOMPARE(left.size(), 2);
    QCOMPARE(left.last().at(0).toLongLong(), m_userId);
}

void TestSessionManager::legacyEntryIsMovedOnce()
{
    // A database upgraded from before several accounts: its one session lives under "session".
    const QByteArray token = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    const QDateTime now = m_clock->now();
    QVERIFY(SessionRepository(*m_db)
                    .create(hashToken(token), m_userId, now.addDays(30), {}, now)
                    .ok());
    QVERIFY(DeviceRepository(*m_db).setValue(u"legacy_session"_s, u"1"_s).ok());
    m_keychain->seed(secretkeys::legacySessionToken(), token);

    auto manager = makeManager();
    manager->restore();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), SessionState::SignedIn, kWaitMs);
    QCOMPARE(manager->current()->user.id, m_userId);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(secretkeys::legacySessionToken()), kWaitMs);
    QCOMPARE(m_keychain->value(m_key), token);
    QVERIFY(!DeviceRepository(*m_db).value(u"legacy_session"_s).ok());

    // The next start reads the new entry.
    auto restarted = makeManager();
    restarted->restore();
    QTRY_COMPARE_WITH_TIMEOUT(restarted->state(), SessionState::SignedIn, kWaitMs);
    QCOMPARE(restarted->current()->user.id, m_userId);
}

void TestSessionManager::aNewerSignInElsewhereIsLeftAlone()
{
    // This run's session is signed out by another process, which then signs the same account in
    // again: this run's gate closes, but the other process's new token and row stay.
    auto manager = makeManager();
    QVERIFY(establishNow(*manager)->ok());
    auto other = makeManager();
    QVERIFY(establishNow(*other)->ok()); // replaces the session of `manager` (one per account)
    const QByteArray newer = m_keychain->value(m_key);

    QVERIFY(!manager->validSession().ok());
    QCOMPARE(manager->state(), SessionState::SignedOut);
    QTest::qWait(100);
    QCOMPARE(m_keychain->value(m_key), newer);
    QCOMPARE(sessionRows(), 1);
    QVERIFY(other->validSession().ok());
    QCOMPARE(other->accounts()->size(), 1);
}

void TestSessionManager::expiresWhileRunning_data()
{
    QTest::addColumn<SessionStrategy>("strategy");
    QTest::newRow("database") << SessionStrategy::Database;
    QTest::newRow("jwt") << SessionStrategy::Jwt;
}

void TestSessionManager::expiresWhileRunning()
{
    QFETCH(SessionStrategy, strategy);
    auto manager = makeManager(strategy);
    manager->setExpiryCheckInterval(std::chrono::milliseconds(20));
    QVERIFY(establishNow(*manager)->ok());
    QSignalSpy changed(manager.get(), &SessionManager::stateChanged);

    // Used the day before its end: renewed, so the old expiry passes without ending it.
    m_clock->advance(29 * kDay);
    QVERIFY(manager->validSession().ok());
    m_clock->advance(2 * kDay);
    QTest::qWait(100);
    QCOMPARE(manager->state(), SessionState::SignedIn);
    QCOMPARE(changed.count(), 0);

    // Not used again: once the clock passes its expiry (here a jump, as after a wake-up from
    // sleep), it ends by itself, without anyone asking the gate.
    m_clock->advance(28 * kDay + 1);
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), SessionState::Expired, kWaitMs);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!manager->current());
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(m_key), kWaitMs);
    QCOMPARE(sessionRows(), 0);
}

// The jwt strategy keeps the session in the token itself: an encrypted JWT in the keychain and
// the key beside it, no row in the sessions table.
void TestSessionManager::jwtSessionHasNoRow()
{
    auto manager = makeManager(SessionStrategy::Jwt);
    const auto session = establishNow(*manager);
    QVERIFY(session && session->ok());
    QCOMPARE(sessionRows(), 0);
    const QByteArray token = m_keychain->value(m_key);
    QCOMPARE(token.count('.'), 4); // JWE compact serialization: five parts
    const QByteArray header =
            QByteArray::fromBase64(token.left(token.indexOf('.')), QByteArray::Base64UrlEncoding);
    const QJsonObject fields = QJsonDocument::fromJson(header).object();
    QCOMPARE(fields.value(u"alg"_s).toString(), u"dir"_s);
    QCOMPARE(fields.value(u"enc"_s).toString(), u"A256GCM"_s);
    QVERIFY(!token.contains("alice")); // the claims are encrypted, not only signed
    QVERIFY(m_keychain->contains(secretkeys::jwtSessionKey()));

    auto again = restored(SessionStrategy::Jwt);
    QVERIFY(again);
    QCOMPARE(again->state(), SessionState::SignedIn);
    QCOMPARE(again->current()->user.email, u"alice@example.com"_s);
    QCOMPARE(again->current()->expires, session->value().expires);
    QCOMPARE(again->current()->method, u"email"_s);
    QVERIFY(again->validSession().ok());
    // Only the session in use can be listed: other jwt sessions have no row.
    auto sessions = again->sessions();
    QVERIFY(sessions.ok());
    QCOMPARE(sessions->size(), 1);
    QCOMPARE(sessions->first().deviceName, u"test-device"_s);
    // The device's account list knows the session's expiry without a row.
    auto accounts = again->accounts();
    QVERIFY(accounts.ok() && accounts->size() == 1);
    QCOMPARE(accounts->first().expires, session->value().expires);
}

void TestSessionManager::jwtTokenFailingACheckSignsOut_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<SessionState>("expected");
    QTest::newRow("tampered") << u"tampered"_s << SessionState::SignedOut;
    QTest::newRow("another key") << u"another key"_s << SessionState::SignedOut;
    QTest::newRow("key missing") << u"key missing"_s << SessionState::SignedOut;
    QTest::newRow("not a JWE") << u"garbage"_s << SessionState::SignedOut;
    QTest::newRow("another account's token") << u"swapped"_s << SessionState::SignedOut;
    QTest::newRow("signed out elsewhere") << u"generation"_s << SessionState::SignedOut;
    QTest::newRow("expired") << u"expired"_s << SessionState::Expired;
}

void TestSessionManager::jwtTokenFailingACheckSignsOut()
{
    QFETCH(QString, change);
    QFETCH(SessionState, expected);
    const qint64 bob = addUser(u"bob@example.com"_s);
    {
        auto manager = makeManager(SessionStrategy::Jwt);
        QVERIFY(establishNow(*manager, bob).value_or(notSignedIn()).ok());
        QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    }
    QByteArray token = m_keychain->value(m_key);
    if (change == u"tampered") {
        // One byte of the ciphertext (the fourth part) changed: GCM's tag no longer matches.
        const qsizetype at = token.lastIndexOf('.') - 3;
        token[at] = token[at] == 'A' ? 'B' : 'A';
        m_keychain->seed(m_key, token);
    } else if (change == u"another key") {
        m_keychain->seed(
                secretkeys::jwtSessionKey(),
                QByteArray(jwtsession::kKeyBytes, 'k')
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    } else if (change == u"key missing") {
        m_keychain->erase(secretkeys::jwtSessionKey());
    } else if (change == u"garbage") {
        m_keychain->seed(m_key, "eyJhbGciOiJub25lIn0.e30.");
    } else if (change == u"swapped") {
        m_keychain->seed(m_key, m_keychain->value(secretkeys::sessionToken(bob)));
    } else if (change == u"generation") {
        QVERIFY(UserRepository(*m_db).nextSessionGeneration(m_userId).ok());
    } else if (change == u"expired") {
        m_clock->advance(30 * kDay);
    }
    auto manager = restored(SessionStrategy::Jwt);
    QVERIFY(manager);
    QCOMPARE(manager->state(), expected);
    QVERIFY(!manager->current().has_value());
    QCOMPARE(manager->validSession().error().kind, ErrorKind::Unauthorized);
    // The useless token is erased; the other account's stays.
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(m_key), kWaitMs);
    if (change != u"another key" && change != u"key missing")
        QVERIFY(m_keychain->contains(secretkeys::sessionToken(bob)));
}

void TestSessionManager::jwtRenewsAfterUpdateAge()
{
    auto manager = makeManager(SessionStrategy::Jwt);
    const QDateTime start = m_clock->now();
    QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    const QByteArray first = m_keychain->value(m_key);

    m_clock->advance(3600); // within updateAge: the same token
    QCOMPARE(manager->validSession()->expires, start.addSecs(30 * kDay));
    QTest::qWait(20);
    QCOMPARE(m_keychain->value(m_key), first);

    m_clock->advance(kDay); // past updateAge: a new token with the expiry moved on
    const auto renewed = manager->validSession();
    QVERIFY(renewed.ok());
    QCOMPARE(renewed->expires, m_clock->now().addSecs(30 * kDay));
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->value(m_key) != first, kWaitMs);
    auto again = restored(SessionStrategy::Jwt);
    QVERIFY(again);
    QCOMPARE(again->state(), SessionState::SignedIn);
    QCOMPARE(again->current()->expires, renewed->expires);
    QCOMPARE(again->current()->authenticatedAt, start);
}

// A JWT cannot be deleted like a row; signing out moves the user's generation on instead, so a
// copy of the token (taken before, kept elsewhere) opens nothing afterwards.
void TestSessionManager::jwtSignOutEndsEveryCopy()
{
    auto manager = makeManager(SessionStrategy::Jwt);
    QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    const QByteArray copy = m_keychain->value(m_key);
    QVERIFY(signOutNow(*manager).has_value());
    QVERIFY(!m_keychain->contains(m_key));

    m_keychain->seed(m_key, copy);
    QVERIFY(DeviceRepository(*m_db).activate(m_userId, m_clock->now()).ok());
    auto again = restored(SessionStrategy::Jwt);
    QVERIFY(again);
    QCOMPARE(again->state(), SessionState::SignedOut);
}

void TestSessionManager::jwtEndOtherSessionsKeepsTheOneInUse()
{
    auto manager = makeManager(SessionStrategy::Jwt);
    QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    const QByteArray copy = m_keychain->value(m_key);
    const auto ended = manager->endOtherSessions();
    QVERIFY(ended.ok());
    QVERIFY(manager->validSession().ok());
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->value(m_key) != copy, kWaitMs);
    auto again = restored(SessionStrategy::Jwt);
    QVERIFY(again);
    QCOMPARE(again->state(), SessionState::SignedIn);

    m_keychain->seed(m_key, copy); // the token from before: ended
    auto withCopy = restored(SessionStrategy::Jwt);
    QVERIFY(withCopy);
    QCOMPARE(withCopy->state(), SessionState::SignedOut);
}

void TestSessionManager::jwtStepUpIsKept()
{
    auto manager = makeManager(SessionStrategy::Jwt);
    QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    m_clock->advance(3600);
    const auto confirmed = manager->markAuthenticated();
    QVERIFY(confirmed.ok());
    QCOMPARE(confirmed->authenticatedAt, m_clock->now());
    QTest::qWait(20);
    auto again = restored(SessionStrategy::Jwt);
    QVERIFY(again);
    QCOMPARE(again->current()->authenticatedAt, m_clock->now());
}

// A token of the other strategy opens nothing: a start with the other strategy signs every
// account out cleanly (entries, rows, the account list) instead of failing each check.
void TestSessionManager::switchingStrategySignsEveryoneOut()
{
    const qint64 bob = addUser(u"bob@example.com"_s);
    {
        auto manager = makeManager(SessionStrategy::Database);
        QVERIFY(establishNow(*manager, bob).value_or(notSignedIn()).ok());
        QVERIFY(establishNow(*manager).value_or(notSignedIn()).ok());
    }
    QCOMPARE(sessionRows(), 2);
    auto jwtManager = makeManager(SessionStrategy::Jwt);
    QSignalSpy left(jwtManager.get(), &SessionManager::accountLeft);
    QSignalSpy changed(jwtManager.get(), &SessionManager::stateChanged);
    jwtManager->restore();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kWaitMs);
    QCOMPARE(jwtManager->state(), SessionState::SignedOut);
    QCOMPARE(left.count(), 2);
    QCOMPARE(sessionRows(), 0);
    QVERIFY(jwtManager->accounts()->isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->keys().isEmpty(), kWaitMs);

    // Signed in under jwt; the same again the other way, and the jwt key goes too.
    QVERIFY(establishNow(*jwtManager).value_or(notSignedIn()).ok());
    QVERIFY(restored(SessionStrategy::Jwt)->state() == SessionState::SignedIn);
    auto back = restored(SessionStrategy::Database);
    QVERIFY(back);
    QCOMPARE(back->state(), SessionState::SignedOut);
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->keys().isEmpty(), kWaitMs);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestSessionManager)
#include "tst_sessionmanager.moc"
