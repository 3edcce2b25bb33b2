#pragma once

// Internal helpers shared by the repositories: how values cross the SQL boundary.

#include "core/result.h"
#include "storage/database.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace latchkey::sql {

/// A time as INTEGER unix seconds UTC; an invalid QDateTime is NULL.
inline QVariant fromTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toSecsSinceEpoch()) : QVariant();
}

/// Column `column` of the current row as a UTC time; NULL is an invalid QDateTime.
inline QDateTime timeAt(const QSqlQuery &query, int column)
{
    if (query.isNull(column))
        return {};
    return QDateTime::fromSecsSinceEpoch(query.value(column).toLongLong(), Qt::UTC);
}

/// Optional text: empty is NULL (so two users without an email do not collide on UNIQUE).
inline QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

/// Column `column` of the current row as text; NULL is an empty string.
inline QString textAt(const QSqlQuery &query, int column)
{
    return query.isNull(column) ? QString() : query.value(column).toString();
}

/// Column `column` of the current row as bytes (a BLOB).
inline QByteArray bytesAt(const QSqlQuery &query, int column)
{
    return query.isNull(column) ? QByteArray() : query.value(column).toByteArray();
}

/// The NotFound error of a lookup or single-row change that matched nothing.
inline Error notFound(const QString &message)
{
    return Error::make(ErrorKind::NotFound, ErrorCode::NotFound, message,
                       QString::fromLatin1(storage::kNotFound));
}

} // namespace latchkey::sql
