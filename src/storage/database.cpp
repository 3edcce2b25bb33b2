#include "database.h"

#include "core/logging.h"
#include "storage/eventrepository.h"
#include "storage/ratelimitrepository.h"
#include "storage/sessionrepository.h"
#include "storage/verificationtokenrepository.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>

#include <atomic>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

// SQLite primary result codes (https://www.sqlite.org/rescode.html). QtSql reports extended codes;
// the primary code is the low byte.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADb = 26;
// Extended constraint codes.
constexpr int kSqliteConstraintForeignKey = 787;
constexpr int kSqliteConstraintPrimaryKey = 1555;
constexpr int kSqliteConstraintUnique = 2067;

Error storageError(QString message, const char *code)
{
    const QLatin1String reason(code);
    ErrorCode typed = ErrorCode::DatabaseFailed;
    if (reason == QLatin1String(storage::kBusy))
        typed = ErrorCode::DatabaseBusy;
    else if (reason == QLatin1String(storage::kCorrupt) ||
             reason == QLatin1String(storage::kForeign))
        typed = ErrorCode::DatabaseDamaged;
    else if (reason == QLatin1String(storage::kNewerSchema))
        typed = ErrorCode::DatabaseNewer;
    return Error::make(ErrorKind::Storage, typed, std::move(message), reason);
}

// Creates the parent directory (private to the user when we create it) and an empty file with
// mode 0600: the database holds addresses and session hashes. SQLite gives its -wal and -shm
// files the same mode as the database file.
Status prepareFile(const QFileInfo &info)
{
    const QDir dir = info.absoluteDir();
    if (!dir.exists()) {
        if (!QDir().mkpath(dir.absolutePath())) {
            return storageError(
                    u"Could not create the folder %1 for the database. Check its "
                    u"permissions, or point DATABASE_URL elsewhere."_s.arg(dir.absolutePath()),
                    "cant_open");
        }
        QFile::setPermissions(dir.absolutePath(),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    if (info.exists())
        return {};
    QFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)) {
        return storageError(u"Could not create the database file %1 (%2). Check the folder's "
                            u"permissions, or point DATABASE_URL elsewhere."_s.arg(
                                    info.absoluteFilePath(), file.errorString()),
                            "cant_open");
    }
    return {};
}

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return u"latchkey-db-%1"_s.arg(counter.fetch_add(1));
}

Status checkMigrationList(const std::vector<Migration> &migrations)
{
    int expected = 1;
    for (const Migration &migration : migrations) {
        if (migration.version != expected++) {
            return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                               u"The schema steps of this build are out of order (step %1 at "
                               u"position %2). This is a bug in Latchkey; please report it."_s
                                       .arg(migration.version)
                                       .arg(expected - 1),
                               QString::fromLatin1(storage::kMigration));
        }
    }
    return {};
}

} // namespace

Database::Database(QString path, QString connectionName)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName))
{
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
}

Database::~Database()
{
    if (m_transactionDepth > 0)
        qCWarning(lcStorage) << "closing the database inside a transaction; it is rolled back";
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

int Database::latestSchemaVersion()
{
    return schemaMigrations().empty() ? 0 : schemaMigrations().back().version;
}

Result<std::unique_ptr<Database>> Database::open(const QString &path,
                                                 const DatabaseOptions &options)
{
    if (path.isEmpty()) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           u"No database path is set. Set DATABASE_URL to a file path, or leave "
                           u"it unset to use the default location."_s);
    }
    if (Status valid = checkMigrationList(options.migrations); !valid.ok())
        return valid.error();
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        return Error::make(
                ErrorKind::Config,
                u"The database path %1 is not a file. Point DATABASE_URL at a file."_s.arg(
                        info.absoluteFilePath()));
    }
    if (Status prepared = prepareFile(info); !prepared.ok())
        return prepared.error();

    std::unique_ptr<Database> db(new Database(info.absoluteFilePath(), nextConnectionName()));
    if (Status configured = db->configure(options); !configured.ok())
        return configured.error();
    // docs/security.md (Storage): nothing is written before the version check, so a newer, foreign
    // or damaged file is refused and left untouched, never altered or silently re-created.
    if (Status checked = db->checkVersion(options.migrations); !checked.ok())
        return checked.error();
    auto mode = db->run(u"PRAGMA journal_mode = WAL"_s, {}, u"switch to write-ahead logging"_s);
    if (!mode.ok())
        return mode.error();
    if (mode.value().next() && mode.value().value(0).toString() != "wal"_L1)
        qCWarning(lcStorage) << "write-ahead logging is unavailable for" << db->m_path;
    mode.value().finish();
    if (Status migrated = db->migrate(options.migrations); !migrated.ok())
        return migrated.error();
    return db;
}

Status Database::configure(const DatabaseOptions &options)
{
    if (!m_db.isValid()) {
        return storageError(u"The Qt SQLite driver is missing. Install the package "
                            u"libqt6sql6-sqlite (Debian) and start Latchkey again."_s,
                            "driver");
    }
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeout.count()));
    if (!m_db.open())
        return errorFrom(m_db.lastError(), u"open it"_s);
    // Both are per-connection settings and do not touch the file.
    if (Status timeout = setBusyTimeout(options.busyTimeout); !timeout.ok())
        return timeout;
    if (auto fk = run(u"PRAGMA foreign_keys = ON"_s, {}, u"enable foreign keys"_s); !fk.ok())
        return fk.error();
    return {};
}

Status Database::setBusyTimeout(std::chrono::milliseconds timeout)
{
    // A PRAGMA cannot take a bound value; this is an integer from the caller, not text.
    auto set =
            run(u"PRAGMA busy_timeout = %1"_s.arg(timeout.count()), {}, u"set the busy timeout"_s);
    if (!set.ok())
        return set.error();
    m_busyTimeout = timeout;
    return {};
}

Result<int> Database::readPragma(const QString &name) const
{
    auto query = run(u"PRAGMA %1"_s.arg(name), {}, u"read its header"_s);
    if (!query.ok())
        return query.error();
    return query.value().next() ? query.value().value(0).toInt() : 0;
}

Status Database::checkVersion(const std::vector<Migration> &migrations)
{
    // Reading the header is the first access to the file: a damaged or non-SQLite file fails here.
    const Result<int> version = readPragma(u"user_version"_s);
    if (!version.ok())
        return version.error();
    const Result<int> applicationId = readPragma(u"application_id"_s);
    if (!applicationId.ok())
        return applicationId.error();
    auto objects = run(u"SELECT count(*) FROM sqlite_master"_s, {}, u"read its schema"_s);
    if (!objects.ok())
        return objects.error();
    const bool empty = objects.value().next() && objects.value().value(0).toInt() == 0;
    objects.value().finish();

    if ((*applicationId != 0 && *applicationId != kApplicationId) || (*version == 0 && !empty)) {
        return storageError(u"The file %1 is an SQLite database of another program, not a "
                            u"Latchkey database. It was not changed. Point DATABASE_URL at a "
                            u"new file."_s.arg(m_path),
                            storage::kForeign);
    }
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (*version > known) {
        return storageError(u"The database %1 was created by a newer Latchkey (schema %2, this "
                            u"build knows %3); upgrade Latchkey or point DATABASE_URL elsewhere. "
                            u"The file was not changed."_s.arg(m_path, QString::number(*version),
                                                               QString::number(known)),
                            storage::kNewerSchema);
    }
    m_schemaVersion = *version;
    return {};
}

Status Database::migrate(const std::vector<Migration> &migrations)
{
    for (const Migration &migration : migrations) {
        if (migration.version <= m_schemaVersion)
            continue;
        const QString action = u"upgrade it to schema %1"_s.arg(migration.version);
        const Status applied = transaction([&]() -> Status {
            // Another process may have migrated since we looked; re-read under the write lock.
            const Result<int> current = readPragma(u"user_version"_s);
            if (!current.ok())
                return current.error();
            if (*current >= migration.version)
                return {};
            for (const QString &statement : migration.statements) {
                if (auto step = run(statement, {}, action); !step.ok())
                    return step.error();
            }
            // An integer from our own list, not text (a PRAGMA cannot take a bound value).
            auto bump = run(u"PRAGMA user_version = %1"_s.arg(migration.version), {}, action);
            return bump.ok() ? Status() : Status(bump.error());
        });
        if (!applied.ok()) {
            Error error = applied.error();
            if (error.code != ErrorCode::DatabaseBusy && error.code != ErrorCode::DatabaseDamaged) {
                error.message += u" The step was rolled back; the database is still at schema "
                                 u"%1."_s.arg(m_schemaVersion);
                error.reason = QString::fromLatin1(storage::kMigration);
            }
            qCWarning(lcStorage) << "migration to schema" << migration.version << "failed";
            return error;
        }
        qCInfo(lcStorage) << "database migrated to schema" << migration.version;
        m_schemaVersion = migration.version;
    }
    return {};
}

Result<QSqlQuery> Database::run(const QString &sql, const QVariantList &values,
                                const QString &action) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return errorFrom(query.lastError(), action);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return errorFrom(query.lastError(), action);
    return query;
}

Status Database::begin()
{
    // BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a
    // transaction never fails half-way on a read-to-write upgrade (SQLITE_BUSY_SNAPSHOT in WAL).
    const QString sql = m_transactionDepth == 0
            ? u"BEGIN IMMEDIATE"_s
            : u"SAVEPOINT latchkey_%1"_s.arg(m_transactionDepth);
    if (auto begun = run(sql, {}, u"start a transaction"_s); !begun.ok())
        return begun.error();
    ++m_transactionDepth;
    return {};
}

Status Database::commit()
{
    const int depth = m_transactionDepth - 1;
    const QString sql = depth == 0 ? u"COMMIT"_s : u"RELEASE latchkey_%1"_s.arg(depth);
    if (auto committed = run(sql, {}, u"save the changes"_s); !committed.ok()) {
        rollback();
        return committed.error();
    }
    m_transactionDepth = depth;
    for (auto &[eventDepth, event] : m_uncommittedEvents)
        eventDepth = std::min(eventDepth, depth);
    if (depth == 0) {
        const auto committed = std::exchange(m_uncommittedEvents, {});
        for (const auto &[eventDepth, event] : committed)
            eventRecorded(event);
    }
    return {};
}

void Database::setEventObserver(std::function<void(const Event &)> observer)
{
    m_eventObserver = std::move(observer);
}

void Database::eventRecorded(const Event &event)
{
    if (!m_eventObserver)
        return;
    if (m_transactionDepth > 0)
        m_uncommittedEvents.append({m_transactionDepth, event});
    else
        m_eventObserver(event);
}

void Database::rollback()
{
    const int depth = m_transactionDepth - 1;
    m_transactionDepth = depth;
    m_uncommittedEvents.removeIf([depth](const auto &entry) { return entry.first > depth; });
    if (depth == 0) {
        if (auto undone = run(u"ROLLBACK"_s, {}, u"roll back"_s); !undone.ok())
            qCWarning(lcStorage) << "rollback failed:" << undone.error().message;
        return;
    }
    auto undone = run(u"ROLLBACK TO latchkey_%1"_s.arg(depth), {}, u"roll back"_s);
    auto released = run(u"RELEASE latchkey_%1"_s.arg(depth), {}, u"roll back"_s);
    if (!undone.ok() || !released.ok())
        qCWarning(lcStorage) << "rollback to a savepoint failed";
}

Result<PurgeCounts> Database::purgeExpired(const QDateTime &now, std::chrono::seconds retention)
{
    return transaction([&]() -> Result<PurgeCounts> {
        PurgeCounts counts;
        const Result<int> sessions = SessionRepository(*this).purgeExpired(now);
        if (!sessions.ok())
            return sessions.error();
        const Result<int> tokens = VerificationTokenRepository(*this).purgeExpired(now);
        if (!tokens.ok())
            return tokens.error();
        const Result<int> sends = RateLimitRepository(*this).purgeSendsBefore(
                now.addSecs(-static_cast<qint64>(retention.count())));
        if (!sends.ok())
            return sends.error();
        const Result<int> failures = RateLimitRepository(*this).purgeFailuresExpired(now);
        if (!failures.ok())
            return failures.error();
        counts.sessions = *sessions;
        counts.verificationTokens = *tokens;
        counts.emailSends = *sends;
        const Result<int> events = EventRepository(*this).purgeBefore(now.addSecs(
                -std::chrono::duration_cast<std::chrono::seconds>(kEventRetention).count()));
        if (!events.ok())
            return events.error();
        counts.emailFailures = *failures;
        counts.events = *events;
        return counts;
    });
}

Error Database::errorFrom(const QSqlError &error, const QString &action) const
{
    const int extended = error.nativeErrorCode().toInt();
    const int primary = extended & 0xff;
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    qCWarning(lcStorage).noquote() << "could not" << action << "in" << m_path << "-" << detail;

    switch (primary) {
    case kSqliteBusy:
    case kSqliteLocked:
        return storageError(u"The database %1 is locked by another process (waited %2 ms), so "
                            u"Latchkey could not %3. Close other Latchkey windows or commands "
                            u"using it and try again."_s.arg(
                                    m_path, QString::number(m_busyTimeout.count()), action),
                            storage::kBusy);
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return storageError(u"The database %1 is damaged or is not a database (%2), so Latchkey "
                            u"could not %3. Latchkey did not change or replace it. Move the file "
                            u"aside (for example rename it to %4.broken) and start Latchkey again "
                            u"to create a new one, or point DATABASE_URL elsewhere."_s.arg(
                                    m_path, detail, action, QFileInfo(m_path).fileName()),
                            storage::kCorrupt);
    case kSqliteConstraint:
        if (extended == kSqliteConstraintUnique || extended == kSqliteConstraintPrimaryKey) {
            return storageError(
                    u"Could not %1: such a record already exists (%2)."_s.arg(action, detail),
                    storage::kUnique);
        }
        if (extended == kSqliteConstraintForeignKey) {
            return storageError(u"Could not %1: it refers to a record that does not exist "
                                u"(%2)."_s.arg(action, detail),
                                storage::kForeignKey);
        }
        return storageError(
                u"Could not %1: the database refused a value (%2)."_s.arg(action, detail),
                storage::kConstraint);
    case kSqliteReadOnly:
        return storageError(u"The database %1 is read-only, so Latchkey could not %2. Check the "
                            u"permissions of the file and its folder."_s.arg(m_path, action),
                            "read_only");
    case kSqliteFull:
        return storageError(u"The disk holding the database %1 is full, so Latchkey could not "
                            u"%2. Free some space and try again."_s.arg(m_path, action),
                            "full");
    case kSqliteCantOpen:
        return storageError(
                u"Could not open the database %1 (%2). Check that its folder exists "
                u"and is writable, or point DATABASE_URL elsewhere."_s.arg(m_path, detail),
                "cant_open");
    default:
        return storageError(u"Latchkey could not %1 in the database %2 (%3). Try again; if it "
                            u"keeps failing, move the file aside and start Latchkey again."_s.arg(
                                    action, m_path, detail),
                            "sqlite");
    }
}

} // namespace latchkey
