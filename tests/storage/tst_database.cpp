#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/devicerepository.h"
#include "storage/eventrepository.h"
#include "storage/ratelimitrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"
#include "storage/verificationtokenrepository.h"
#include "storagetest.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace latchkey::test {

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void createsFileAndKeepsDataAcrossReopen();
    void configuresConnection();
    void connectionNamesAreUniqueAndRemoved();
    void refusesEmptyPath();
    void migrationsRunOnce();
    void failedMigrationRollsBack();
    void upgradeNotesThatProviderAccountsMayHoldTokens();
    void upgradeFindsTheSessionOfBeforeSeveralAccounts();
    void refusesNewerSchemaUntouched();
    void refusesForeignDatabaseUntouched();
    void refusesCorruptFileUntouched_data();
    void refusesCorruptFileUntouched();
    void reportsLockedDatabase_data();
    void reportsLockedDatabase();
    void transactionCommitsOrRollsBack();
    void nestedTransactionRollsBackInnerOnly();
    void eventsAreReportedOnlyOnceCommitted();
    void purgeExpiredRemovesOnlyExpiredRows();
    void upgradeForgetsLockoutsOfSchemaOne();

private:
    QString dbPath(const QString &name = u"latchkey.db"_s) const { return m_dir.filePath(name); }
    // A valid, populated database file (several pages), closed.
    QString makePopulatedDatabase(const QString &name);

    QTemporaryDir m_dir;
    const QDateTime m_now = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
};

QString TestDatabase::makePopulatedDatabase(const QString &name)
{
    const QString path = dbPath(name);
    auto db = openDatabase(path);
    if (!db)
        return {};
    UserRepository users(*db);
    for (int i = 0; i < 50; ++i) {
        User user;
        user.email = u"user%1@example.com"_s.arg(i);
        user.name = QString(200, u'n');
        if (!users.create(user, m_now).ok())
            return {};
    }
    return path;
}

void TestDatabase::createsFileAndKeepsDataAcrossReopen()
{
    const QString path = m_dir.filePath(u"new/nested/dir/latchkey.db"_s);
    QVERIFY(!QFileInfo::exists(path));
    {
        auto db = openDatabase(path);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(db->path(), QFileInfo(path).absoluteFilePath());
        User user;
        user.email = u"alice@example.com"_s;
        user.name = u"Alice"_s;
        QVERIFY(UserRepository(*db).create(user, m_now).ok());
    }
    QVERIFY(QFileInfo::exists(path));
    // The database holds addresses and session hashes: owner-only.
    QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadOther | QFile::ReadGroup),
             QFile::Permissions());

    auto reopened = openDatabase(path);
    QVERIFY(reopened);
    const Result<User> found = UserRepository(*reopened).findByEmail(u"alice@example.com"_s);
    QVERIFY(found.ok());
    QCOMPARE(found->name, u"Alice"_s);
    QCOMPARE(found->createdAt, m_now);
}

void TestDatabase::configuresConnection()
{
    DatabaseOptions options;
    options.busyTimeout = 1234ms;
    auto db = openDatabase(dbPath(u"configured.db"_s), options);
    QVERIFY(db);
    auto pragma = [&](const QString &sql) {
        auto query = db->run(sql, {}, u"read a setting"_s);
        return query.ok() && query.value().next() ? query.value().value(0).toString() : QString();
    };
    QCOMPARE(pragma(u"PRAGMA journal_mode"_s), u"wal"_s);
    QCOMPARE(pragma(u"PRAGMA foreign_keys"_s), u"1"_s);
    QCOMPARE(pragma(u"PRAGMA busy_timeout"_s), u"1234"_s);
    QVERIFY(db->setBusyTimeout(250ms).ok());
    QCOMPARE(pragma(u"PRAGMA busy_timeout"_s), u"250"_s);
    QCOMPARE(db->busyTimeout(), 250ms);

    auto defaults = openDatabase(dbPath(u"configured.db"_s));
    QVERIFY(defaults);
    QCOMPARE(defaults->busyTimeout(), 3000ms);
}

void TestDatabase::connectionNamesAreUniqueAndRemoved()
{
    const qsizetype before = QSqlDatabase::connectionNames().size();
    {
        auto first = openDatabase(dbPath(u"shared.db"_s));
        auto second = openDatabase(dbPath(u"shared.db"_s));
        QVERIFY(first && second);
        QCOMPARE(QSqlDatabase::connectionNames().size(), before + 2);
        User user;
        user.email = u"bob@example.com"_s;
        QVERIFY(UserRepository(*first).create(user, m_now).ok());
        QVERIFY(UserRepository(*second).findByEmail(u"bob@example.com"_s).ok());
    }
    QCOMPARE(QSqlDatabase::connectionNames().size(), before);
}

void TestDatabase::refusesEmptyPath()
{
    const auto opened = Database::open(QString());
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().kind, ErrorKind::Config);
    QVERIFY(opened.error().message.contains(u"DATABASE_URL"_s));
}

void TestDatabase::migrationsRunOnce()
{
    DatabaseOptions options;
    const int next = int(schemaMigrations().size()) + 1;
    options.migrations.push_back(Migration{
            next, {u"CREATE TABLE probe (n INTEGER)"_s, u"INSERT INTO probe (n) VALUES (1)"_s}});
    const QString path = dbPath(u"migrations.db"_s);
    for (int run = 0; run < 3; ++run) {
        auto db = openDatabase(path, options);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), next);
        auto count = db->run(u"SELECT count(*) FROM probe"_s, {}, u"count"_s);
        QVERIFY(count.ok() && count.value().next());
        QCOMPARE(count.value().value(0).toInt(), 1);
    }
}

void TestDatabase::failedMigrationRollsBack()
{
    const QString path = dbPath(u"failing.db"_s);
    QVERIFY(openDatabase(path)); // this build's schema
    const int current = int(schemaMigrations().size());
    DatabaseOptions options;
    options.migrations.push_back(
            Migration{current + 1,
                      {u"CREATE TABLE probe (n INTEGER)"_s, u"INSERT INTO missing VALUES (1)"_s}});
    const auto failed = Database::open(path, options);
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().kind, ErrorKind::Storage);
    QCOMPARE(failed.error().reason, QLatin1String(storage::kMigration));
    QVERIFY2(failed.error().message.contains(u"still at schema %1"_s.arg(current)),
             qPrintable(failed.error().message));

    auto db = openDatabase(path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), current);
    auto probe = db->run(u"SELECT count(*) FROM sqlite_master WHERE name = ?"_s, {u"probe"_s},
                         u"look for the table"_s);
    QVERIFY(probe.ok() && probe.value().next());
    QCOMPARE(probe.value().value(0).toInt(), 0);
}

void TestDatabase::upgradeNotesThatProviderAccountsMayHoldTokens()
{
    // A database of schema v2 (before accounts noted their tokens) with a signed-out user who has
    // a provider account and an email account.
    const QString path = dbPath(u"v2.db"_s);
    {
        DatabaseOptions v2;
        v2.migrations.resize(2);
        auto db = openDatabase(path, v2);
        QVERIFY(db);
        User user;
        user.email = u"ann@example.com"_s;
        const auto created = UserRepository(*db).create(user, m_now);
        QVERIFY(created.ok());
        // Written as v2 had them (today's repository reads columns v2 does not have).
        for (const QString &type : {u"oidc"_s, u"email"_s}) {
            QVERIFY(db->run(u"INSERT INTO accounts (user_id, type, provider, provider_account_id, "
                            u"created_at) VALUES (?, ?, ?, 'ann', ?)"_s,
                            {created->id, type, type == u"oidc"_s ? u"google"_s : u"email"_s,
                             m_now.toSecsSinceEpoch()},
                            u"write a v2 account"_s)
                            .ok());
        }
    }
    auto db = openDatabase(path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), Database::latestSchemaVersion());
    // Its provider tokens may still be in the keychain: the next start looks for them.
    const auto leftovers = AccountRepository(*db).listLeftoverTokens(m_now);
    QVERIFY(leftovers.ok());
    QCOMPARE(leftovers->size(), 1);
    QCOMPARE(leftovers->first().provider, u"google"_s);
}

void TestDatabase::upgradeFindsTheSessionOfBeforeSeveralAccounts()
{
    // Schema v3 kept one session per device under the keychain entry "session": a database with a
    // session row is told to read that entry once; one without never asks the keychain for it.
    for (const bool signedIn : {true, false}) {
        const QString path = dbPath(signedIn ? u"v3-signed-in.db"_s : u"v3-signed-out.db"_s);
        {
            DatabaseOptions v3;
            v3.migrations.resize(3);
            auto db = openDatabase(path, v3);
            QVERIFY(db);
            User user;
            user.email = u"ann@example.com"_s;
            const auto created = UserRepository(*db).create(user, m_now);
            QVERIFY(created.ok());
            if (signedIn) // a v3 row: no method or authenticated_at yet
                QVERIFY(db->run(u"INSERT INTO sessions (token_hash, user_id, expires, created_at,"
                                u" last_seen_at) VALUES ('hash', ?, ?, ?, ?)"_s,
                                {created->id, m_now.addDays(30).toSecsSinceEpoch(),
                                 m_now.toSecsSinceEpoch(), m_now.toSecsSinceEpoch()},
                                u"add a v3 session"_s)
                                .ok());
        }
        auto db = openDatabase(path);
        QVERIFY(db);
        DeviceRepository device(*db);
        QCOMPARE(device.value(u"legacy_session"_s).ok(), signedIn);
        QCOMPARE(device.activeUser().error().kind, ErrorKind::NotFound);
        QVERIFY(device.accounts()->isEmpty());
        // The v3 session was proven when it was made.
        if (signedIn) {
            const auto sessions = SessionRepository(*db).listForUser(1);
            QCOMPARE(sessions->first().authenticatedAt, m_now);
            QVERIFY(sessions->first().method.isEmpty());
        }
    }
}

void TestDatabase::refusesNewerSchemaUntouched()
{
    const QString path = makePopulatedDatabase(u"newer.db"_s);
    QVERIFY(!path.isEmpty());
    {
        RawConnection raw(path);
        // Rollback-journal mode, so even switching it to WAL would show in the bytes.
        QVERIFY(raw.exec(u"PRAGMA journal_mode = DELETE"_s));
        QVERIFY(raw.exec(u"PRAGMA user_version = 7"_s));
    }
    const QByteArray before = fileBytes(path);
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().kind, ErrorKind::Storage);
    QCOMPARE(opened.error().reason, QLatin1String(storage::kNewerSchema));
    QVERIFY2(opened.error().message.contains(
                     u"was created by a newer Latchkey (schema 7, this build knows %1); upgrade "
                     u"Latchkey or point DATABASE_URL elsewhere"_s.arg(schemaMigrations().size())),
             qPrintable(opened.error().message));
    QCOMPARE(fileBytes(path), before);
}

void TestDatabase::refusesForeignDatabaseUntouched()
{
    const QString path = dbPath(u"foreign.db"_s);
    {
        RawConnection raw(path);
        QVERIFY(raw.exec(u"CREATE TABLE photos (id INTEGER PRIMARY KEY)"_s));
    }
    const QByteArray before = fileBytes(path);
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().reason, QLatin1String(storage::kForeign));
    QCOMPARE(fileBytes(path), before);
}

void TestDatabase::refusesCorruptFileUntouched_data()
{
    QTest::addColumn<QByteArray>("content");
    QRandomGenerator generator(20260101);
    QByteArray random(16384, Qt::Uninitialized);
    for (char &byte : random)
        byte = static_cast<char>(generator.bounded(256));
    QTest::newRow("random bytes") << random;
    QTest::newRow("text") << QByteArray("this is not a database\n").repeated(200);

    const QString valid = makePopulatedDatabase(u"valid-source.db"_s);
    QVERIFY(!valid.isEmpty());
    const QByteArray bytes = fileBytes(valid);
    QVERIFY(bytes.size() > 4 * 4096);
    QTest::newRow("valid database truncated to half") << bytes.left(bytes.size() / 2);
    QTest::newRow("valid database truncated to one page") << bytes.left(4096);
    QTest::newRow("valid header, garbage pages") << bytes.left(100) + random;
}

void TestDatabase::refusesCorruptFileUntouched()
{
    QFETCH(QByteArray, content);
    const QString path = dbPath(u"corrupt-%1.db"_s.arg(
            QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().kind, ErrorKind::Storage);
    QCOMPARE(opened.error().reason, QLatin1String(storage::kCorrupt));
    const QString message = opened.error().message;
    QVERIFY2(message.contains(QFileInfo(path).absoluteFilePath()), qPrintable(message));
    QVERIFY2(message.contains(u"Move the file aside"_s), qPrintable(message));
    QCOMPARE(fileBytes(path), content);
}

void TestDatabase::reportsLockedDatabase_data()
{
    QTest::addColumn<bool>("wal");
    // Rollback journal: an EXCLUSIVE lock keeps even readers out, so open() itself fails.
    QTest::newRow("locked while opening") << false;
    // WAL: readers proceed, the next write waits for the lock and fails.
    QTest::newRow("locked while writing") << true;
}

void TestDatabase::reportsLockedDatabase()
{
    QFETCH(bool, wal);
    const QString path = dbPath(wal ? u"locked-wal.db"_s : u"locked-delete.db"_s);
    QVERIFY(openDatabase(path));
    RawConnection locker(path, u"locker"_s);
    if (!wal)
        QVERIFY(locker.exec(u"PRAGMA journal_mode = DELETE"_s));
    DatabaseOptions options;
    options.busyTimeout = 300ms;
    std::unique_ptr<Database> db;
    if (wal) {
        db = openDatabase(path, options);
        QVERIFY(db);
    }
    QVERIFY(locker.exec(u"BEGIN EXCLUSIVE"_s));

    QElapsedTimer timer;
    timer.start();
    Error error;
    if (wal) {
        User user;
        user.email = u"carol@example.com"_s;
        const Result<User> created = UserRepository(*db).create(user, m_now);
        QVERIFY(!created.ok());
        error = created.error();
    } else {
        const auto opened = Database::open(path, options);
        QVERIFY(!opened.ok());
        error = opened.error();
    }
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(error.kind, ErrorKind::Storage);
    QCOMPARE(error.reason, QLatin1String(storage::kBusy));
    QVERIFY2(error.message.contains(u"locked by another process"_s), qPrintable(error.message));
    QVERIFY2(elapsed >= 250 && elapsed < 2500, qPrintable(QString::number(elapsed)));
    QVERIFY(locker.exec(u"ROLLBACK"_s));
}

void TestDatabase::transactionCommitsOrRollsBack()
{
    auto db = openDatabase(dbPath(u"transactions.db"_s));
    QVERIFY(db);
    UserRepository users(*db);
    const Status failed = db->transaction([&]() -> Status {
        User user;
        user.email = u"rolled-back@example.com"_s;
        if (auto created = users.create(user, m_now); !created.ok())
            return created.error();
        return Error::make(ErrorKind::InvalidInput, u"changed my mind"_s);
    });
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().message, u"changed my mind"_s);
    QVERIFY(isNotFound(users.findByEmail(u"rolled-back@example.com"_s)));

    const Result<qint64> committed = db->transaction([&]() -> Result<qint64> {
        User user;
        user.email = u"kept@example.com"_s;
        auto created = users.create(user, m_now);
        return created.ok() ? Result<qint64>(created->id) : Result<qint64>(created.error());
    });
    QVERIFY(committed.ok());
    QCOMPARE(users.findByEmail(u"kept@example.com"_s)->id, *committed);
}

void TestDatabase::nestedTransactionRollsBackInnerOnly()
{
    auto db = openDatabase(dbPath(u"nested.db"_s));
    QVERIFY(db);
    UserRepository users(*db);
    const Status outer = db->transaction([&]() -> Status {
        User kept;
        kept.email = u"outer@example.com"_s;
        if (auto created = users.create(kept, m_now); !created.ok())
            return created.error();
        const Status inner = db->transaction([&]() -> Status {
            User dropped;
            dropped.email = u"inner@example.com"_s;
            if (auto created = users.create(dropped, m_now); !created.ok())
                return created.error();
            return Error::make(ErrorKind::InvalidInput, u"inner fails"_s);
        });
        return inner.ok() ? Status(Error::make(ErrorKind::Protocol, u"expected failure"_s))
                          : Status();
    });
    QVERIFY(outer.ok());
    QVERIFY(users.findByEmail(u"outer@example.com"_s).ok());
    QVERIFY(isNotFound(users.findByEmail(u"inner@example.com"_s)));
}

// Client::activityRecorded() announces what is stored: never an event whose transaction was
// rolled back, and a committed one only after the commit.
void TestDatabase::eventsAreReportedOnlyOnceCommitted()
{
    auto db = openDatabase(dbPath(u"events.db"_s));
    QVERIFY(db);
    QStringList reported;
    db->setEventObserver([&reported](const Event &event) { reported.append(event.kind); });
    EventRepository events(*db);

    QVERIFY(events.append(u"alone"_s, std::nullopt, {}, m_now).ok());
    QCOMPARE(reported, QStringList{u"alone"_s});

    const Status outer = db->transaction([&]() -> Status {
        (void)events.append(u"outer"_s, std::nullopt, {}, m_now);
        const Status inner = db->transaction([&]() -> Status {
            (void)events.append(u"inner-undone"_s, std::nullopt, {}, m_now);
            return Error::make(ErrorKind::InvalidInput, u"inner fails"_s);
        });
        (void)db->transaction([&]() -> Status {
            (void)events.append(u"inner-kept"_s, std::nullopt, {}, m_now);
            return {};
        });
        if (reported.size() != 1)
            return Error::make(ErrorKind::Protocol, u"reported before the commit"_s);
        return inner.ok() ? Status(Error::make(ErrorKind::Protocol, u"expected failure"_s))
                          : Status();
    });
    QVERIFY2(outer.ok(), qPrintable(outer.ok() ? QString() : outer.error().message));
    QCOMPARE(reported, (QStringList{u"alone"_s, u"outer"_s, u"inner-kept"_s}));

    const Status undone = db->transaction([&]() -> Status {
        (void)events.append(u"rolled-back"_s, std::nullopt, {}, m_now);
        return Error::make(ErrorKind::InvalidInput, u"fails"_s);
    });
    QVERIFY(!undone.ok());
    QCOMPARE(reported.size(), 3);
}

void TestDatabase::purgeExpiredRemovesOnlyExpiredRows()
{
    auto db = openDatabase(dbPath(u"purge.db"_s));
    QVERIFY(db);
    User user;
    user.email = u"dave@example.com"_s;
    const Result<User> owner = UserRepository(*db).create(user, m_now);
    QVERIFY(owner.ok());
    SessionRepository sessions(*db);
    VerificationTokenRepository tokens(*db);
    RateLimitRepository limits(*db);
    const QList<qint64> offsets{-3600, -1, 0, 1, 3600};
    for (qint64 offset : offsets) {
        const QByteArray key = QByteArray::number(offset);
        QVERIFY(sessions.create(hashOf("s" + key), owner->id, m_now.addSecs(offset), {}, m_now)
                        .ok());
        QVERIFY(tokens.create(u"dave@example.com"_s, hashOf("t" + key), hashOf("c"),
                              m_now.addSecs(offset), m_now)
                        .ok());
        QVERIFY(limits.recordSend(u"dave@example.com"_s, m_now.addSecs(offset - 3600)).ok());
        CodeFailures failures;
        failures.consecutive = 1;
        failures.expires = m_now.addSecs(offset);
        QVERIFY(limits.saveCodeFailures(u"%1@example.com"_s.arg(offset), failures, m_now).ok());
    }

    const Result<PurgeCounts> purged = db->purgeExpired(m_now);
    QVERIFY(purged.ok());
    // expires <= now is expired: -3600, -1 and 0.
    QCOMPARE(purged->sessions, 3);
    QCOMPARE(purged->verificationTokens, 3);
    // Send-log rows older than one hour: sent at now-7200 and now-3601.
    QCOMPARE(purged->emailSends, 2);
    QCOMPARE(purged->emailFailures, 3); // wrong-code counts and cooldowns: expires <= now

    QVERIFY(sessions.findByTokenHash(hashOf("s1")).ok());
    QVERIFY(sessions.findByTokenHash(hashOf("s3600")).ok());
    QVERIFY(isNotFound(sessions.findByTokenHash(hashOf("s0"))));
    QVERIFY(tokens.findByTokenHash(hashOf("t1")).ok());
    QVERIFY(isNotFound(tokens.findByTokenHash(hashOf("t0"))));
    QCOMPARE(*limits.sendsSince(u"dave@example.com"_s, m_now.addSecs(-86400)), 3);

    const Result<PurgeCounts> again = db->purgeExpired(m_now);
    QVERIFY(again.ok());
    QCOMPARE(again->sessions + again->verificationTokens + again->emailSends + again->emailFailures,
             0);
    QCOMPARE(limits.codeFailures(u"1@example.com"_s, m_now)->consecutive, 1);
}

void TestDatabase::upgradeForgetsLockoutsOfSchemaOne()
{
    // Schema 1 locked an address for good after 100 failed links or codes. Opening such a file
    // with this build drops those counts: no lockout outlives the upgrade.
    const QString path = dbPath(u"schema1.db"_s);
    {
        DatabaseOptions first;
        first.migrations = {schemaMigrations().front()};
        auto db = openDatabase(path, first);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), 1);
        QVERIFY(db->run(u"INSERT INTO email_failures (identifier, consecutive, updated_at) "
                        u"VALUES ('locked@example.com', 100, 0)"_s,
                        {}, u"lock an address"_s)
                        .ok());
    }
    auto db = openDatabase(path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), int(schemaMigrations().size()));
    auto rows = db->run(u"SELECT count(*) FROM email_failures"_s, {}, u"count"_s);
    QVERIFY(rows.ok() && rows.value().next());
    QCOMPARE(rows.value().value(0).toInt(), 0);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestDatabase)
#include "tst_database.moc"
