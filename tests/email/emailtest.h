#pragma once

// Helpers shared by the email tests: real SQLite files in a temporary directory, raw row reads.

#include "storage/database.h"

#include <QDebug>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>

#include <memory>

namespace latchkey::test {

/// Opens a fresh database file in `dir`, or returns null after printing why (use with QVERIFY).
inline std::unique_ptr<Database> openFreshDatabase(const QTemporaryDir &dir)
{
    static int counter = 0;
    auto opened = Database::open(dir.filePath(QStringLiteral("email-%1.db").arg(++counter)));
    if (!opened.ok()) {
        qWarning().noquote() << "open failed:" << opened.error().message;
        return nullptr;
    }
    return std::move(opened).value();
}

/// The number of rows in `table` (a constant name from the test), or -1 on error.
inline int rowCount(Database &db, const QString &table)
{
    auto query = db.run(QStringLiteral("SELECT count(*) FROM ") + table, {},
                        QStringLiteral("count rows"));
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

/// Every column value of every row of `table`, as raw bytes (text as UTF-8, integers as
/// decimal), for "no secret stored in plaintext" checks.
inline QList<QByteArray> allValues(Database &db, const QString &table)
{
    QList<QByteArray> values;
    auto query = db.run(QStringLiteral("SELECT * FROM ") + table, {}, QStringLiteral("read rows"));
    if (!query.ok())
        return values;
    while (query.value().next()) {
        const QSqlRecord record = query.value().record();
        for (int i = 0; i < record.count(); ++i) {
            const QVariant value = record.value(i);
            values.append(value.typeId() == QMetaType::QByteArray ? value.toByteArray()
                                                                  : value.toString().toUtf8());
        }
    }
    return values;
}

/// The bytes of the database file and its WAL, where every write lands first.
inline QByteArray databaseBytes(const Database &db)
{
    QByteArray bytes;
    for (const QString &path : QStringList{db.path(), db.path() + QStringLiteral("-wal")}) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

} // namespace latchkey::test
