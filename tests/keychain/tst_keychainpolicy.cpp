// KeychainPolicy: the one place that decides where this run's secrets live — the keychain, or
// memory for the rest of the run once the keychain has failed (never a file).

#include "fakesecretstore.h"
#include "keychain/keychainpolicy.h"

#include <QSignalSpy>
#include <QTest>

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

} // namespace

class TestKeychainPolicy : public QObject
{
    Q_OBJECT

private slots:
    void healthyKeychainKeepsEverything();
    void failedWriteFallsBackToMemoryAndSaysSo();
    void absentEntryIsNotAFailure();
    void failedReadIsReportedAndLaterSecretsStayInMemory();
};

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
