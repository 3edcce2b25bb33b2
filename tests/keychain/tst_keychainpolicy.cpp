// KeychainPolicy: the one place that decides where this run's secrets live — the keychain, or
// memory for the rest of the run once the keychain has failed (never a file).

#include "fakesecretstore.h"
#include "keychain/keychainpolicy.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

Status writeAndWait(SecretStore &store, const QString &key, const QByteArray &secret)
{
    std::optional<Status> result;
    QObject context;
    store.write(key, secret, &context, [&result](Status status) { result = status; });
    (void)QTest::qWaitFor([&result]() { return result.has_value(); }, 2000);
    return result.value_or(Error::make(ErrorKind::Timeout, u"no answer"_s));
}

Result<QByteArray> readAndWait(SecretStore &store, const QString &key)
{
    std::optional<Result<QByteArray>> result;
    QObject context;
    store.read(key, &context, [&result](Result<QByteArray> secret) { result = secret; });
    (void)QTest::qWaitFor([&result]() { return result.has_value(); }, 2000);
    return result.value_or(Error::make(ErrorKind::Timeout, u"no answer"_s));
}

Error locked() { return Error::make(ErrorKind::Keychain, ErrorCode::KeychainLocked, u"locked"_s); }

/// A keychain whose removals take a while (like a D-Bus round trip): the entry goes, and the
/// callback runs, only after `delayMs`.
class SlowRemovals final : public SecretStore
{
public:
    static constexpr int kDelayMs = 100;
    QHash<QString, QByteArray> entries;

    void read(const QString &key, QObject *context, ReadCallback callback) override
    {
        QTimer::singleShot(0, context, [this, key, callback]() { callback(entries.value(key)); });
    }
    void write(const QString &key, const QByteArray &secret, QObject *context,
               DoneCallback callback) override
    {
        entries.insert(key, secret);
        QTimer::singleShot(0, context, [callback]() { callback(Status()); });
    }
    void remove(const QString &key, QObject *context, DoneCallback callback) override
    {
        QTimer::singleShot(kDelayMs, context, [this, key, callback]() {
            entries.remove(key);
            callback(Status());
        });
    }
    bool persistent() const override { return true; }
};

} // namespace

class TestKeychainPolicy : public QObject
{
    Q_OBJECT

private slots:
    void healthyKeychainKeepsEverything();
    void failedWriteFallsBackToMemoryAndSaysSo();
    void absentEntryIsNotAFailure();
    void failedReadIsReportedAndLaterSecretsStayInMemory();
    void idleWaitsForARemovalWhoseCallerIsGone();
    void lockedKeyringIsTheProblemUntilUnlocked();
    void retryMovesMemoryToTheKeychain();
};

void TestKeychainPolicy::retryMovesMemoryToTheKeychain()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    QSignalSpy problem(&policy, &KeychainPolicy::problemChanged);
    keychain.failAll(locked());
    QVERIFY(writeAndWait(policy, u"session"_s, "token").ok()); // kept in memory
    QVERIFY(writeAndWait(policy, u"install"_s, "secret").ok());
    QVERIFY(!policy.persistent());
    const auto retry = [&policy]() {
        std::optional<Status> result;
        QObject context;
        policy.retry(&context, [&result](Status status) { result = status; });
        (void)QTest::qWaitFor([&result]() { return result.has_value(); }, 2000);
        return result.value_or(Error::make(ErrorKind::Timeout, u"no answer"_s));
    };

    // Still failing: nothing moves, the run stays in memory.
    QCOMPARE(retry().error().code, ErrorCode::KeychainLocked);
    QVERIFY(!policy.persistent());
    QVERIFY(policy.problem());
    QVERIFY(!keychain.contains(u"session"_s));

    // The keychain answers: every secret of this run goes there and leaves memory.
    keychain.clearFailures();
    QVERIFY(retry().ok());
    QVERIFY(policy.persistent());
    QVERIFY(!policy.problem());
    QCOMPARE(problem.size(), 1);
    QCOMPARE(keychain.value(u"session"_s), QByteArray("token"));
    QCOMPARE(keychain.value(u"install"_s), QByteArray("secret"));
    QTRY_COMPARE_WITH_TIMEOUT(memory.size(), 0, 2000);
    QCOMPARE(readAndWait(policy, u"session"_s).value(), QByteArray("token"));
}

void TestKeychainPolicy::idleWaitsForARemovalWhoseCallerIsGone()
{
    // A fire-and-forget removal (the caller's context is gone at once) still holds whenIdle():
    // a command that exits then never cuts it off.
    SlowRemovals keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    keychain.entries.insert(u"session"_s, "token");
    {
        QObject gone;
        policy.remove(u"session"_s, &gone, [](Status) {});
    }
    bool idle = false;
    bool removedFirst = false;
    QObject context;
    policy.whenIdle(&context, [&]() {
        idle = true;
        removedFirst = !keychain.entries.contains(u"session"_s);
    });
    QTRY_VERIFY_WITH_TIMEOUT(idle, 2000);
    QVERIFY2(removedFirst, "whenIdle() ran before the removal finished");

    bool again = false; // nothing running: later, but at once
    policy.whenIdle(&context, [&again]() { again = true; });
    QVERIFY(!again);
    QTRY_VERIFY_WITH_TIMEOUT(again, 2000);
}

void TestKeychainPolicy::lockedKeyringIsTheProblemUntilUnlocked()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    keychain.setLocked(true);
    QSignalSpy changed(&policy, &KeychainPolicy::problemChanged);
    std::optional<bool> locked;
    QObject context;
    policy.isLocked(&context, [&locked](bool answer) { locked = answer; });
    QTRY_VERIFY_WITH_TIMEOUT(locked.has_value(), 2000);
    QVERIFY(*locked);
    QVERIFY(policy.problem());
    QCOMPARE(policy.problem()->code, ErrorCode::KeychainLockedAtStart);
    QVERIFY(policy.persistent()); // nothing fell back: writes still go to the keychain
    QCOMPARE(changed.size(), 1);

    std::optional<Status> unlocked;
    policy.unlock(&context, [&unlocked](Status status) { unlocked = status; });
    QTRY_VERIFY_WITH_TIMEOUT(unlocked.has_value(), 2000);
    QVERIFY(unlocked->ok());
    QVERIFY(!policy.problem());
    QCOMPARE(changed.size(), 2);
}

void TestKeychainPolicy::healthyKeychainKeepsEverything()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    QVERIFY(writeAndWait(policy, u"session"_s, "token").ok());
    QCOMPARE(keychain.value(u"session"_s), QByteArray("token"));
    QCOMPARE(memory.size(), 0);
    QVERIFY(policy.persistent());
    QVERIFY(!policy.problem());
}

void TestKeychainPolicy::failedWriteFallsBackToMemoryAndSaysSo()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    QSignalSpy fellBack(&policy, &KeychainPolicy::fellBack);
    keychain.failAll(locked());
    QVERIFY(writeAndWait(policy, u"session"_s, "token").ok()); // kept, for this run
    QCOMPARE(memory.value(u"session"_s), QByteArray("token"));
    QVERIFY(!policy.persistent());
    QCOMPARE(policy.problem()->code, ErrorCode::KeychainLocked);
    QCOMPARE(fellBack.size(), 1);
    // From now on the run uses memory, even if the keychain comes back.
    keychain.clearFailures();
    QVERIFY(writeAndWait(policy, u"install-secret"_s, "s").ok());
    QVERIFY(!keychain.contains(u"install-secret"_s));
    QCOMPARE(readAndWait(policy, u"session"_s).value(), QByteArray("token"));
    QCOMPARE(fellBack.size(), 1);
}

void TestKeychainPolicy::absentEntryIsNotAFailure()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    QCOMPARE(readAndWait(policy, u"session"_s).error().kind, ErrorKind::NotFound);
    QVERIFY(policy.persistent());
    QVERIFY(!policy.problem());
}

void TestKeychainPolicy::failedReadIsReportedAndLaterSecretsStayInMemory()
{
    FakeSecretStore keychain;
    FakeSecretStore memory;
    KeychainPolicy policy(keychain, memory);
    keychain.failNextRead(locked());
    QCOMPARE(readAndWait(policy, u"session"_s).error().code, ErrorCode::KeychainLocked);
    QVERIFY(!policy.persistent());
    QVERIFY(writeAndWait(policy, u"session"_s, "new").ok());
    QVERIFY(!keychain.contains(u"session"_s));
    QCOMPARE(memory.value(u"session"_s), QByteArray("new"));
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestKeychainPolicy)
#include "tst_keychainpolicy.moc"
