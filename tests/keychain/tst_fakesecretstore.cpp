#include "fakesecretstore.h"

#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

class TestFakeSecretStore : public QObject
{
    Q_OBJECT

private:
    std::optional<Result<QByteArray>> readNow(SecretStore &store, const QString &key)
    {
        std::optional<Result<QByteArray>> result;
        store.read(key, this, [&result](Result<QByteArray> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 2000))
            return std::nullopt;
        return result;
    }

    std::optional<Status> writeNow(SecretStore &store, const QString &key, const QByteArray &value)
    {
        std::optional<Status> status;
        store.write(key, value, this, [&status](Status s) { status = std::move(s); });
        if (!QTest::qWaitFor([&] { return status.has_value(); }, 2000))
            return std::nullopt;
        return status;
    }

    std::optional<Status> removeNow(SecretStore &store, const QString &key)
    {
        std::optional<Status> status;
        store.remove(key, this, [&status](Status s) { status = std::move(s); });
        if (!QTest::qWaitFor([&] { return status.has_value(); }, 2000))
            return std::nullopt;
        return status;
    }

    static Error locked() { return Error::make(ErrorKind::Keychain, u"The keychain is locked."_s); }

private slots:
    void failNextWriteFailsOnceAndStoresNothing()
    {
        FakeSecretStore store;
        store.failNextWrite(locked());
        auto first = writeNow(store, u"k"_s, "v1");
        QVERIFY(first && !first->ok());
        QCOMPARE(first->error().kind, ErrorKind::Keychain);
        QVERIFY(!store.contains(u"k"_s));
        auto second = writeNow(store, u"k"_s, "v2");
        QVERIFY(second && second->ok());
        QCOMPARE(store.value(u"k"_s), QByteArray("v2"));
        QCOMPARE(store.writeCount(), 2);
    }

    void failNextReadFailsOnce()
    {
        FakeSecretStore store;
        store.seed(u"k"_s, "v");
        store.failNextRead(Error::make(ErrorKind::Timeout, u"slow"_s));
        auto first = readNow(store, u"k"_s);
        QVERIFY(first && !first->ok());
        QCOMPARE(first->error().kind, ErrorKind::Timeout);
        auto second = readNow(store, u"k"_s);
        QVERIFY(second && second->ok());
        QCOMPARE(second->value(), QByteArray("v"));
        QCOMPARE(store.readCount(), 2);
    }

    void failNextRemoveKeepsEntry()
    {
        FakeSecretStore store;
        store.seed(u"k"_s, "v");
        store.failNextRemove(locked());
        auto first = removeNow(store, u"k"_s);
        QVERIFY(first && !first->ok());
        QVERIFY(store.contains(u"k"_s));
        auto second = removeNow(store, u"k"_s);
        QVERIFY(second && second->ok());
        QVERIFY(!store.contains(u"k"_s));
        QCOMPARE(store.removeCount(), 2);
    }

    void failAllUntilCleared()
    {
        FakeSecretStore store;
        store.failAll(locked());
        for (int i = 0; i < 2; ++i) {
            auto status = writeNow(store, u"k"_s, "v");
            QVERIFY(status && !status->ok());
        }
        store.clearFailures();
        auto status = writeNow(store, u"k"_s, "v");
        QVERIFY(status && status->ok());
    }

    void absentIsNotFoundAndCallbackIsAsynchronous()
    {
        FakeSecretStore store;
        std::optional<Result<QByteArray>> result;
        store.read(u"missing"_s, this, [&result](Result<QByteArray> r) { result = std::move(r); });
        QVERIFY(!result);
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestFakeSecretStore)
#include "tst_fakesecretstore.moc"
