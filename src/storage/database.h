#pragma once

#include "core/result.h"
#include "storage/migrations.h"
#include "storage/records.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

class QSqlError;

namespace latchkey {

/// Machine-readable `Error::code` values of Storage errors, for callers that must tell them apart.
namespace storage {
inline constexpr auto kBusy = "busy"; ///< locked by another connection beyond the busy timeout
inline constexpr auto kCorrupt = "corrupt"; ///< not an SQLite database, or a damaged one
inline constexpr auto kForeign = "foreign"; ///< an SQLite database of another program
inline constexpr auto kNewerSchema = "newer_schema"; ///< written by a newer Latchkey
inline constexpr auto kUnique = "unique"; ///< a UNIQUE / PRIMARY KEY constraint refused a row
inline constexpr auto kForeignKey = "foreign_key"; ///< a row names a parent that does not exist
inline constexpr auto kConstraint = "constraint"; ///< a CHECK or NOT NULL constraint refused a row
inline constexpr auto kMigration = "migration"; ///< a schema step failed and was rolled back
inline constexpr auto kNotFound = "not_found"; ///< with ErrorKind::NotFound
} // namespace storage

/// How a Database is opened.
struct DatabaseOptions
{
    /// How long a statement waits for another connection's lock before failing with kBusy.
    std::chrono::milliseconds busyTimeout{3000};
    /// The schema steps to apply; tests substitute their own list.
    std::vector<Migration> migrations = schemaMigrations();
};

/// Counts of rows removed by Database::purgeExpired().
struct PurgeCounts
{
    int sessions = 0; ///< expired sessions removed
    int verificationTokens = 0; ///< expired email sign-ins removed
    int emailSends = 0; ///< send-log rows past the retention removed
    int emailFailures = 0; ///< wrong-code counts and cooldowns that expired removed
    int events = 0; ///< activity older than kEventRetention removed
};

/// How long the activity trail (the `events` table) is kept.
constexpr std::chrono::days kEventRetention{365};

/// One connection to the Latchkey SQLite database (QtSql QSQLITE, WAL, foreign keys on).
///
/// Use it from the thread that opened it (a QtSql rule). Repositories take a `Database &` and run
/// prepared statements through run(); nothing builds SQL from values.
///
/// Absent rows: lookups and single-row changes by key return an Error of kind NotFound (code
/// storage::kNotFound); bulk removals return how many rows they removed. Every other failure is a
/// Storage error whose message names the database file and says what to do.
class Database
{
public:
    /// Opens (creating the file and its parent directories if absent) and migrates the database
    /// at `path`. Before anything is written, `PRAGMA user_version` is read: a database from a
    /// newer schema, a damaged file, or another program's database is refused and left
    /// byte-for-byte untouched. A lock held by another process beyond the busy timeout is a
    /// kBusy error.
    static Result<std::unique_ptr<Database>> open(const QString &path,
                                                  const DatabaseOptions &options = {});

    /// Closes the connection and removes it from QtSql's registry.
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// The file this connection is on.
    QString path() const { return m_path; }
    /// The schema version of the file (`PRAGMA user_version`) after migrations.
    int schemaVersion() const { return m_schemaVersion; }
    /// The newest schema version this build knows.
    static int latestSchemaVersion();

    /// The current busy timeout.
    std::chrono::milliseconds busyTimeout() const { return m_busyTimeout; }
    /// Changes how long statements wait for another connection's lock.
    Status setBusyTimeout(std::chrono::milliseconds timeout);

    /// Prepares `sql` (with `?` placeholders), binds `values` in order and runs it. `action` says
    /// what the caller was doing ("create the session") for the error message.
    /// Postcondition on success: the query is active; call next() for rows.
    Result<QSqlQuery> run(const QString &sql, const QVariantList &values,
                          const QString &action) const;

    /// Runs `fn` (returning a Result) in a write transaction (BEGIN IMMEDIATE; a SAVEPOINT when
    /// nested): committed when `fn` succeeds, rolled back when it returns an error or the commit
    /// fails. Returns what `fn` returned, or the error of BEGIN/COMMIT.
    template<typename Fn>
    auto transaction(Fn &&fn) -> decltype(fn())
    {
        using R = decltype(fn());
        if (Status begun = begin(); !begun.ok())
            return R(begun.error());
        R result = fn();
        if (!result.ok()) {
            rollback();
            return result;
        }
        if (Status committed = commit(); !committed.ok())
            return R(committed.error());
        return result;
    }

    /// Removes expired sessions, verification tokens and wrong-code cooldowns (`expires <= now`)
    /// and send-log rows older than `sendLogRetention` (the longest rate-limit window), in one
    /// transaction.
    Result<PurgeCounts> purgeExpired(const QDateTime &now,
                                     std::chrono::seconds sendLogRetention = std::chrono::hours(1));

    /// Calls `observer` with every event EventRepository records through this connection, once it
    /// is committed: an event recorded in a transaction that is rolled back is never reported.
    /// Events other processes record are not seen.
    void setEventObserver(std::function<void(const Event &)> observer);
    /// For EventRepository: `event` was written (reported now, or at the outermost commit).
    void eventRecorded(const Event &event);

    /// Turns a QtSql error into a Storage error (kBusy, kCorrupt, kUnique, ...) whose message
    /// names the file, says what `action` failed and what to do.
    Error errorFrom(const QSqlError &error, const QString &action) const;

private:
    Database(QString path, QString connectionName);
    Status configure(const DatabaseOptions &options);
    Status checkVersion(const std::vector<Migration> &migrations);
    Status migrate(const std::vector<Migration> &migrations);
    Result<int> readPragma(const QString &name) const;
    Status begin();
    Status commit();
    void rollback();

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::chrono::milliseconds m_busyTimeout{3000};
    int m_schemaVersion = 0;
    int m_transactionDepth = 0;
    std::function<void(const Event &)> m_eventObserver;
    QList<QPair<int, Event>> m_uncommittedEvents; // (transaction depth, event)
};

} // namespace latchkey
