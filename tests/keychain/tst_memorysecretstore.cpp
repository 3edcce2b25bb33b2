#include "keychain/memorysecretstore.h"

#include <QTest>

#include <memory>
#include <optional>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

enum class Call { Read, Write, Remove };

// Issues one call of kind `call` and sets `*called` when its callback runs.
void issue(SecretStore &store, Call call, QObject *context, bool *called)
{
    switch (call) {
    case Call::Read:
        store.read(u"k"_s, context, [called](const Result<QByteArray> &) { *called = true; });
        break;
    case Call::Write:
        store.write(u"k"_s, "v", context, [called](const Status &) { *called = true; });
        break;
    case Call::Remove:
        store.remove(u"k"_s, context, [called](const Status &) { *called = true; });
        break;
    }
}

} // namespace

Q_DECLARE_METATYPE(Call)

class TestMemorySecretStore : public QObject
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

    bool writeNow(SecretStore &store, const QString &key, const QByteArray &value)
    {
        std::optional<Status> status;
        store.write(key, value, this, [&status](Status s) { status = std::move(s); });
        return QTest::qWaitFor([&] { return status.has_value(); }, 2000) && status->ok();
    }

    bool removeNow(SecretStore &store, const QString &key)
    {
        std::optional<Status> status;
        store.remove(key, this, [&status](Status s) { status = std::move(s); });
        return QTest::qWaitFor([&] { return status.has_value(); }, 2000) && status->ok();
    }

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("ascii") << QByteArray("session-token-value");
        QTest::newRow("binary with NUL and high bytes") << QByteArray("\x00\x01\xff\xfe\x00z", 6);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("4 KiB") << QByteArray(4096, 'x');
    }

    void roundTrip()
    {
        QFETCH(QByteArray, secret);
        MemorySecretStore store;
        QVERIFY(writeNow(store, u"key"_s, secret));
        const auto result = readNow(store, u"key"_s);
        QVERIFY(result);
        QVERIFY(result->ok());
        QCOMPARE(result->value(), secret);
    }

    void overwriteReplacesValue()
    {
        MemorySecretStore store;
        QVERIFY(writeNow(store, u"key"_s, "first"));
        QVERIFY(writeNow(store, u"key"_s, "second"));
        const auto result = readNow(store, u"key"_s);
        QVERIFY(result && result->ok());
        QCOMPARE(result->value(), QByteArray("second"));
    }

    void absentKeyIsNotFound()
    {
        MemorySecretStore store;
        const auto result = readNow(store, u"never-written"_s);
        QVERIFY(result);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::NotFound);
    }

    void removeDeletesOnlyThatKey()
    {
        MemorySecretStore store;
        QVERIFY(writeNow(store, u"a"_s, "1"));
        QVERIFY(writeNow(store, u"b"_s, "2"));
        QVERIFY(removeNow(store, u"a"_s));
        const auto a = readNow(store, u"a"_s);
        QVERIFY(a && !a->ok());
        QCOMPARE(a->error().kind, ErrorKind::NotFound);
        const auto b = readNow(store, u"b"_s);
        QVERIFY(b && b->ok());
        QCOMPARE(b->value(), QByteArray("2"));
    }

    void removeAbsentSucceeds()
    {
        MemorySecretStore store;
        QVERIFY(removeNow(store, u"never-written"_s));
    }

    void readSeesEarlierWriteBeforeItsCallback()
    {
        // Calls take effect in call order, even when issued back to back without waiting.
        MemorySecretStore store;
        store.write(u"k"_s, "v", this, [](const Status &) {});
        std::optional<Result<QByteArray>> result;
        store.read(u"k"_s, this, [&result](Result<QByteArray> r) { result = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QVERIFY(result->ok());
        QCOMPARE(result->value(), QByteArray("v"));
    }

    void notPersistent()
    {
        MemorySecretStore store;
        QVERIFY(!store.persistent());
    }

    void callbackNeverSynchronous_data()
    {
        QTest::addColumn<Call>("call");
        QTest::newRow("read") << Call::Read;
        QTest::newRow("write") << Call::Write;
        QTest::newRow("remove") << Call::Remove;
    }

    void callbackNeverSynchronous()
    {
        QFETCH(Call, call);
        MemorySecretStore store;
        bool called = false;
        issue(store, call, this, &called);
        QVERIFY2(!called, "the callback ran inside the call");
        QTRY_VERIFY_WITH_TIMEOUT(called, 2000);
    }

    void noCallbackAfterContextDestroyed_data() { callbackNeverSynchronous_data(); }

    void noCallbackAfterContextDestroyed()
    {
        QFETCH(Call, call);
        MemorySecretStore store;
        bool deadCalled = false;
        bool liveCalled = false;
        auto context = std::make_unique<QObject>();
        issue(store, call, context.get(), &deadCalled);
        issue(store, call, this, &liveCalled);
        context.reset();
        // Callbacks run in call order: once the later one has run, the earlier one had its turn.
        QTRY_VERIFY_WITH_TIMEOUT(liveCalled, 2000);
        QVERIFY(!deadCalled);
    }
};

QTEST_GUILESS_MAIN(TestMemorySecretStore)
#include "tst_memorysecretstore.moc"
