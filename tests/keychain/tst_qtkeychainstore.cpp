// QtKeychainStore against the real gnome-keyring (libsecret / Secret Service), as provided by
// tests/harness/with-services: a session bus with an unlocked keyring. A locked keyring and a
// missing session bus are exercised in child processes with their own bus and XDG dirs, so the
// shared keyring is never locked.

#include "keychain/qtkeychainstore.h"
#include "keychain/secretprefetch.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

constexpr int kCallWaitMs = 5000; // longer than the store's own 3 s timeout

struct ProcessOutput
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessOutput runProcess(const QString &program, const QStringList &arguments,
                         const QProcessEnvironment &environment, const QByteArray &input = {},
                         int timeoutMs = 20000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProcessOutput output;
    if (!process.waitForStarted(5000))
        return output;
    process.write(input);
    process.closeWriteChannel();
    output.finished = process.waitForFinished(timeoutMs);
    if (!output.finished) {
        process.kill(); // our own child only
        process.waitForFinished(2000);
    }
    output.exitCode = process.exitCode();
    output.out = process.readAllStandardOutput();
    output.err = process.readAllStandardError();
    return output;
}

// QVERIFY2 evaluates its message even on success, so never call error() on a success.
template<typename T>
QString messageOf(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().message;
}

} // namespace

class TestQtKeychainStore : public QObject
{
    Q_OBJECT

private:
    QString m_service;
    QString m_secretTool;
    std::unique_ptr<QTemporaryDir> m_tmp;

    QString key(const char *name) const { return QString::fromLatin1(name); }

    std::optional<Result<QByteArray>> readNow(QtKeychainStore &store, const QString &k)
    {
        std::optional<Result<QByteArray>> result;
        store.read(k, this, [&result](Result<QByteArray> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, kCallWaitMs))
            return std::nullopt;
        return result;
    }

    std::optional<Status> writeNow(QtKeychainStore &store, const QString &k, const QByteArray &v)
    {
        std::optional<Status> status;
        store.write(k, v, this, [&status](Status s) { status = std::move(s); });
        if (!QTest::qWaitFor([&] { return status.has_value(); }, kCallWaitMs))
            return std::nullopt;
        return status;
    }

    std::optional<Status> removeNow(QtKeychainStore &store, const QString &k)
    {
        std::optional<Status> status;
        store.remove(k, this, [&status](Status s) { status = std::move(s); });
        if (!QTest::qWaitFor([&] { return status.has_value(); }, kCallWaitMs))
            return std::nullopt;
        return status;
    }

    // `secret-tool lookup` with the attributes QtKeychain 0.13's libsecret backend writes:
    // server = service, user = key, type = "base64" for binary data ("plaintext" for text).
    std::optional<QByteArray> secretToolLookup(const QString &k, const QString &type)
    {
        QStringList args{u"lookup"_s, u"server"_s, m_service, u"user"_s, k};
        if (!type.isEmpty())
            args << u"type"_s << type;
        const ProcessOutput result =
                runProcess(m_secretTool, args, QProcessEnvironment::systemEnvironment());
        if (!result.finished || result.exitCode != 0)
            return std::nullopt;
        return result.out;
    }

    QProcessEnvironment childEnvironment(const QString &name) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString root = m_tmp->filePath(name);
        QDir().mkpath(root + u"/data"_s);
        QDir().mkpath(root + u"/run"_s);
        QFile::setPermissions(root + u"/run"_s,
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        env.insert(u"XDG_DATA_HOME"_s, root + u"/data"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, root + u"/run"_s);
        for (const auto &variable : {u"DBUS_SESSION_BUS_ADDRESS"_s, u"GNOME_KEYRING_CONTROL"_s,
                                     u"DISPLAY"_s, u"XDG_CURRENT_DESKTOP"_s, u"WAYLAND_DISPLAY"_s})
            env.remove(variable);
        return env;
    }

    // Creates a login keyring protected by a password in `env`'s XDG_DATA_HOME, in a session of its
    // own that ends here: the next session finds it locked.
    bool createLockedKeyring(const QProcessEnvironment &env)
    {
        // Unlocking creates the login keyring; the canary proves the daemon is ready.
        const QString script = u"eval \"$(printf %s not-the-ci-pw | gnome-keyring-daemon --unlock "
                               u"--components=secrets)\" >/dev/null; export GNOME_KEYRING_CONTROL; "
                               u"n=0; until printf x | secret-tool store --label=canary ci canary "
                               u"2>/dev/null; do n=$((n+1)); [ $n -gt 50 ] && exit 1; sleep 0.1; "
                               u"done"_s;
        const ProcessOutput result =
                runProcess(u"dbus-run-session"_s, {u"--"_s, u"sh"_s, u"-c"_s, script}, env);
        if (!result.finished || result.exitCode != 0) {
            qWarning() << "could not create a keyring:" << result.err;
            return false;
        }
        return QFile::exists(env.value(u"XDG_DATA_HOME"_s) + u"/keyrings/login.keyring"_s);
    }

    // Runs the probe in a child process, behind `wrapper` (e.g. dbus-run-session --), and returns
    // its JSON line (empty when it did not finish or printed something else).
    QJsonObject probe(const QStringList &wrapper, const QProcessEnvironment &env,
                      const QStringList &probeArgs)
    {
        QStringList args = wrapper;
        args << QStringLiteral(LATCHKEY_KEYCHAIN_PROBE) << probeArgs;
        const QString program = args.takeFirst();
        const ProcessOutput result = runProcess(program, args, env);
        if (!result.finished) {
            qWarning() << "probe did not finish:" << result.err;
            return {};
        }
        const QByteArray line = result.out.trimmed().split('\n').constLast();
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.isEmpty())
            qWarning() << "probe output:" << result.out << result.err;
        return object;
    }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("No session bus: run under tests/harness/with-services (a session bus with an "
                  "unlocked gnome-keyring), never against an autolaunched bus "
                  "(tests/harness/README.md hang "
                  "trap).");
        m_secretTool = QStandardPaths::findExecutable(u"secret-tool"_s);
        QVERIFY2(!m_secretTool.isEmpty(), "secret-tool (libsecret-tools) is not installed");
        m_service = u"latchkey-test-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
    }

    void cleanupTestCase()
    {
        if (!m_secretTool.isEmpty() && !m_service.isEmpty())
            runProcess(m_secretTool, {u"clear"_s, u"server"_s, m_service},
                       QProcessEnvironment::systemEnvironment());
    }

    void defaults()
    {
        QtKeychainStore store;
        QCOMPARE(store.service(), u"latchkey"_s);
        QCOMPARE(store.timeout(), std::chrono::milliseconds(3000));
        QVERIFY(store.persistent());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("ascii token") << QByteArray("0123456789abcdef-session-token");
        QTest::newRow("binary with NUL and high bytes") << QByteArray("\x00\x01\xff\xfe\x00z", 6);
    }

    void roundTrip()
    {
        QFETCH(QByteArray, secret);
        QtKeychainStore store;
        store.setService(m_service);
        const QString k = u"roundtrip-"_s + QString::fromLatin1(QTest::currentDataTag()).left(5);

        const auto written = writeNow(store, k, secret);
        QVERIFY2(written, "write did not call back");
        QVERIFY2(written->ok(), qPrintable(messageOf(*written)));

        const auto read = readNow(store, k);
        QVERIFY(read);
        QVERIFY2(read->ok(), qPrintable(messageOf(*read)));
        QCOMPARE(read->value(), secret);

        // Cross-check with libsecret's own client: the entry is where QtKeychain 0.13 puts it.
        const auto looked = secretToolLookup(k, u"base64"_s);
        QVERIFY2(looked, "secret-tool found no entry with server/user/type=base64");
        QCOMPARE(QByteArray::fromBase64(looked->trimmed()), secret);

        const auto removed = removeNow(store, k);
        QVERIFY(removed && removed->ok());
        QVERIFY2(!secretToolLookup(k, QString()), "the entry is still in the keyring after remove");
        const auto after = readNow(store, k);
        QVERIFY(after && !after->ok());
        QCOMPARE(after->error().kind, ErrorKind::NotFound);
    }

    void overwriteReplacesValue()
    {
        QtKeychainStore store;
        store.setService(m_service);
        const QString k = u"overwrite"_s;
        QVERIFY(writeNow(store, k, "first").value_or(Status(Error{})).ok());
        QVERIFY(writeNow(store, k, "second").value_or(Status(Error{})).ok());
        const auto read = readNow(store, k);
        QVERIFY(read && read->ok());
        QCOMPARE(read->value(), QByteArray("second"));
        const auto looked = secretToolLookup(k, u"base64"_s);
        QVERIFY(looked);
        QCOMPARE(QByteArray::fromBase64(looked->trimmed()), QByteArray("second"));
        QVERIFY(removeNow(store, k).value_or(Status(Error{})).ok());
    }

    void seededEntryIsReadBack_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plaintext")
                << u"plaintext"_s << QByteArray("seeded-secret") << QByteArray("seeded-secret");
        QTest::newRow("base64") << u"base64"_s << QByteArray("AP8Bc2VlZA==")
                                << QByteArray("\x00\xff\x01seed", 7);
    }

    void seededEntryIsReadBack()
    {
        QFETCH(QString, type);
        QFETCH(QByteArray, stored);
        QFETCH(QByteArray, expected);
        const QString k = u"seeded-"_s + type;
        const ProcessOutput seeded =
                runProcess(m_secretTool,
                           {u"store"_s, u"--label=latchkey test"_s, u"server"_s, m_service,
                            u"user"_s, k, u"type"_s, type},
                           QProcessEnvironment::systemEnvironment(), stored);
        QVERIFY2(seeded.finished && seeded.exitCode == 0, seeded.err.constData());

        QtKeychainStore store;
        store.setService(m_service);
        const auto read = readNow(store, k);
        QVERIFY(read);
        QVERIFY2(read->ok(), qPrintable(messageOf(*read)));
        QCOMPARE(read->value(), expected);
        QVERIFY(removeNow(store, k).value_or(Status(Error{})).ok());
        QVERIFY(!secretToolLookup(k, QString()));
    }

    // Start-up's read of the session token (SecretPrefetch, docs/architecture.md "Start-up"):
    // libsecret on a thread of its own must find exactly what QtKeychain wrote.
    std::optional<std::optional<QByteArray>> prefetchNow(const QString &k)
    {
        auto prefetch = SecretPrefetch::start(m_service, k);
        if (!prefetch)
            return std::nullopt;
        std::optional<std::optional<QByteArray>> result;
        prefetch->take(this, std::chrono::milliseconds(kCallWaitMs),
                       [&result](std::optional<QByteArray> secret) { result = std::move(secret); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, kCallWaitMs + 1000))
            return std::nullopt;
        return result;
    }

    void prefetchFindsWhatTheStoreWrote()
    {
        const QByteArray secret =
                QByteArray::fromHex("00ff01") + "not UTF-8" + QByteArray::fromHex("c328");
        QtKeychainStore store;
        store.setService(m_service);
        QVERIFY(writeNow(store, u"prefetched"_s, secret).value_or(Status(Error{})).ok());
        const auto found = prefetchNow(u"prefetched"_s);
        QVERIFY2(found, "the prefetch never answered");
        QVERIFY(found->has_value());
        QCOMPARE(found->value(), secret);
        QVERIFY(removeNow(store, u"prefetched"_s).value_or(Status(Error{})).ok());
    }

    void prefetchFindsASeededPlaintextEntry()
    {
        const ProcessOutput seeded =
                runProcess(m_secretTool,
                           {u"store"_s, u"--label=latchkey test"_s, u"server"_s, m_service,
                            u"user"_s, u"prefetched-text"_s, u"type"_s, u"plaintext"_s},
                           QProcessEnvironment::systemEnvironment(), "seeded-secret");
        QVERIFY2(seeded.finished && seeded.exitCode == 0, seeded.err.constData());
        const auto found = prefetchNow(u"prefetched-text"_s);
        QVERIFY2(found, "the prefetch never answered");
        QCOMPARE(found->value_or(QByteArray()), QByteArray("seeded-secret"));
    }

    void prefetchOfAnAbsentEntryFindsNothing()
    {
        const auto found = prefetchNow(u"never-written"_s);
        QVERIFY2(found, "the prefetch never answered");
        QVERIFY(!found->has_value());
    }

    void readTakesThePrefetchOnceThenAsksTheKeychain()
    {
        QtKeychainStore writer;
        writer.setService(m_service);
        QVERIFY(writeNow(writer, u"token"_s, "first").value_or(Status(Error{})).ok());

        QtKeychainStore store;
        store.setService(m_service);
        store.prefetch(u"token"_s);
        const auto first = readNow(store, u"token"_s);
        QVERIFY(first && first->ok());
        QCOMPARE(first->value(), QByteArray("first"));
        // The next read of the same entry asks the keychain: it sees the removal.
        QVERIFY(removeNow(writer, u"token"_s).value_or(Status(Error{})).ok());
        const auto second = readNow(store, u"token"_s);
        QVERIFY(second && !second->ok());
        QCOMPARE(second->error().kind, ErrorKind::NotFound);
    }

    // Client::prefetchSession(): the read started first thing in main() is taken over by the
    // keychain adapter's read of the same entry of the same service, once; any other read starts
    // its own.
    void earlyReadIsTakenOverByTheSameEntryOnce()
    {
        QtKeychainStore writer;
        writer.setService(m_service);
        QVERIFY(writeNow(writer, u"early"_s, "saved").value_or(Status(Error{})).ok());
        const auto early = SecretPrefetch::startEarly(m_service, u"early"_s);
        if (!early)
            QSKIP("no libsecret");
        QVERIFY(SecretPrefetch::start(m_service + u"-other"_s, u"early"_s) != early);
        QVERIFY(SecretPrefetch::start(m_service, u"other"_s) != early);
        const auto taken = SecretPrefetch::start(m_service, u"early"_s);
        QCOMPARE(taken, early);
        QVERIFY(SecretPrefetch::start(m_service, u"early"_s) != early); // taken once only
        std::optional<std::optional<QByteArray>> answer;
        taken->take(this, std::chrono::milliseconds(kCallWaitMs),
                    [&answer](std::optional<QByteArray> secret) { answer = std::move(secret); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kCallWaitMs + 1000);
        QCOMPARE(answer->value_or(QByteArray()), QByteArray("saved"));
        QVERIFY(removeNow(writer, u"early"_s).value_or(Status(Error{})).ok());
    }

    void prefetchThatFoundNothingReadsAsWithout()
    {
        // An absent entry, prefetched: the read reports what the keychain says, as without.
        QtKeychainStore store;
        store.setService(m_service);
        store.prefetch(u"absent"_s);
        QtKeychainStore plain;
        plain.setService(m_service);
        const auto prefetched = readNow(store, u"absent"_s);
        const auto usual = readNow(plain, u"absent"_s);
        QVERIFY(prefetched && usual && !prefetched->ok() && !usual->ok());
        QCOMPARE(prefetched->error().kind, usual->error().kind);
        QCOMPARE(prefetched->error().message, usual->error().message);
    }

    void absentEntry()
    {
        QtKeychainStore store;
        store.setService(m_service);
        const auto read = readNow(store, u"never-written"_s);
        QVERIFY(read && !read->ok());
        QCOMPARE(read->error().kind, ErrorKind::NotFound);
        const auto removed = removeNow(store, u"never-written"_s);
        QVERIFY(removed);
        QVERIFY2(removed->ok(), qPrintable(messageOf(*removed)));
    }

    void callbackIsAsynchronousAndSkipsDeadContext()
    {
        QtKeychainStore store;
        store.setService(m_service);
        bool deadCalled = false;
        bool liveCalled = false;
        auto context = std::make_unique<QObject>();
        store.write(u"ctx"_s, "v", context.get(),
                    [&deadCalled](const Status &) { deadCalled = true; });
        store.read(u"ctx"_s, this,
                   [&liveCalled](const Result<QByteArray> &) { liveCalled = true; });
        QVERIFY2(!liveCalled, "the callback ran inside the call");
        context.reset();
        // QtKeychain runs jobs one at a time, in order: the read finishes after the write.
        QTRY_VERIFY_WITH_TIMEOUT(liveCalled, kCallWaitMs);
        QVERIFY(!deadCalled);
        QVERIFY(removeNow(store, u"ctx"_s).value_or(Status(Error{})).ok());
    }

    // Keychain states the shared keyring must never be put in, each in a child process with its own
    // bus and XDG dirs: the caller gets a clear message, and never waits longer than the timeout.
    void unavailableKeychain_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("wrapper");
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("phrases");
        QTest::addColumn<int>("minMs");
        QTest::addColumn<int>("maxMs");

        // The keyring daemon is started (its keyring stays locked) before the probe, so the 3 s
        // the probe may take measure the keychain call, not how fast a loaded machine starts a
        // daemon.
        const QStringList startedKeyring{
                u"sh"_s, u"-c"_s,
                u"gnome-keyring-daemon --start --components=secrets >/dev/null && exec \"$0\" \"$@\""_s};
        const QStringList ownBus = QStringList{u"dbus-run-session"_s, u"--"_s} + startedKeyring;
        // A private X server: gnome-keyring's unlock prompt appears there and nobody answers it
        // (the tests/harness/README.md hang trap), without touching the harness's display.
        const QStringList ownBusAndDisplay =
                QStringList{u"xvfb-run"_s,         u"-a"_s, u"-s"_s, u"-screen 0 640x480x24"_s,
                            u"dbus-run-session"_s, u"--"_s} +
                startedKeyring;
        const QStringList unavailable{u"The system keychain is not available"_s,
                                      u"Start and unlock your keyring (GNOME Keyring, KWallet)"_s,
                                      u"will not store your sign-in until then"_s};

        QTest::newRow("no session bus") << u"nobus"_s << QStringList() << u"write"_s
                                        << u"keychain"_s << u"7"_s << unavailable << 0 << 2900;
        QTest::newRow("locked keyring, write")
                << u"locked"_s << ownBus << u"write"_s << u"keychain"_s << u"4"_s
                << QStringList{u"The keychain is locked"_s, u"Unlock it"_s, u"save your sign-in"_s}
                << 0 << 2900;
        // libsecret hides the items of a locked keyring from a lookup: a read sees NotFound.
        QTest::newRow("locked keyring, read")
                << u"locked"_s << ownBus << u"read"_s << u"not_found"_s << u"1"_s
                << QStringList{u"Nothing is stored"_s} << 0 << 2900;
        // Start-up's prefetch changes nothing of what a read reports.
        QTest::newRow("no session bus, prefetched read")
                << u"nobus"_s << QStringList() << u"prefetched-read"_s << u"keychain"_s << u"7"_s
                << unavailable << 0 << 2900;
        QTest::newRow("locked keyring, prefetched read")
                << u"locked"_s << ownBus << u"prefetched-read"_s << u"not_found"_s << u"1"_s
                << QStringList{u"Nothing is stored"_s} << 0 << 2900;
        QTest::newRow("locked keyring, unanswered prompt")
                << u"locked"_s << ownBusAndDisplay << u"write"_s << u"timeout"_s << u"timeout"_s
                << QStringList{u"did not answer within 3 s"_s, u"unlock your keyring"_s} << 2900
                << 4500;
    }

    void unavailableKeychain()
    {
        QFETCH(QString, setup);
        QFETCH(QStringList, wrapper);
        QFETCH(QString, operation);
        QFETCH(QString, kind);
        QFETCH(QString, code);
        QFETCH(QStringList, phrases);
        QFETCH(int, minMs);
        QFETCH(int, maxMs);

        QProcessEnvironment env =
                childEnvironment(setup + u"-"_s + QString::number(qHash(QTest::currentDataTag())));
        if (setup == u"nobus"_s)
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/latchkey-bus"_s);
        if (setup == u"locked"_s)
            QVERIFY2(createLockedKeyring(env), "could not create a keyring to lock");

        QStringList args{operation, m_service, u"k"_s};
        if (operation == u"write"_s)
            args << u"v"_s;
        const QJsonObject result = probe(wrapper, env, args);
        QVERIFY2(!result.isEmpty(), "the probe gave no answer");
        QVERIFY2(!result.value(u"hung"_s).toBool(), "the store never called back");
        QCOMPARE(result.value(u"ok"_s).toBool(), false);
        const QString message = result.value(u"message"_s).toString();
        QCOMPARE(result.value(u"kind"_s).toString(), kind);
        QCOMPARE(result.value(u"code"_s).toString(), code);
        for (const QString &phrase : phrases)
            QVERIFY2(message.contains(phrase), qPrintable(message));
        const int elapsed = result.value(u"elapsedMs"_s).toInt();
        QVERIFY2(elapsed >= minMs && elapsed <= maxMs,
                 qPrintable(u"answered after "_s + QString::number(elapsed) + u" ms"_s));
    }
};

QTEST_GUILESS_MAIN(TestQtKeychainStore)
#include "tst_qtkeychainstore.moc"
