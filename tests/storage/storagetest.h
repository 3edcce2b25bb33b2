#pragma once

// Helpers shared by the storage tests: real database files in a temporary directory.

#include "storage/database.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <memory>

namespace latchkey::test {

/// Opens `path`, or returns null after printing why (use with QVERIFY).
inline std::unique_ptr<Database> openDatabase(const QString &path,
                                              const DatabaseOptions &options = {})
{
    auto opened = Database::open(path, options);
    if (!opened.ok()) {
        qWarning().noquote() << "open failed:" << opened.error().message;
        return nullptr;
    }
    return std::move(opened).value();
}

/// A new database file name in `dir`, different for every call (one per test row).
inline QString freshPath(const QTemporaryDir &dir)
{
    static int counter = 0;
    return dir.filePath(QStringLiteral("test-%1.db").arg(++counter));
}

/// The bytes of the file at `path`.
inline QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The SHA-256 of `text`, as a token hash.
inline QByteArray hashOf(const QByteArray &text)
{
    return QCryptographicHash::hash(text, QCryptographicHash::Sha256);
}

/// True when `result` failed with an Error of kind NotFound (and false, not a throw, when it
/// succeeded).
template<typename R>
bool isNotFound(const R &result)
{
    return !result.ok() && result.error().kind == ErrorKind::NotFound;
}

/// A second, independent QtSql connection to a file (another process, as far as SQLite cares),
/// removed when this goes out of scope.
class RawConnection
{
public:
    explicit RawConnection(const QString &path, const QString &name = QStringLiteral("raw"))
        : m_name(name)
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        m_db.open();
    }
    ~RawConnection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    /// Runs `sql`; false on error.
    bool exec(const QString &sql)
    {
        QSqlQuery query(m_db);
        return query.exec(sql);
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace latchkey::test
