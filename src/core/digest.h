#pragma once

#include <QByteArray>
#include <QString>

namespace latchkey {

/// SHA-256 of a session or link token, as stored in the database (only hashes are stored).
QByteArray hashToken(const QByteArray &token);

/// Compares two secrets in time that depends only on their lengths, never on where they first
/// differ, so the time taken says nothing about how close a guess was.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

/// The same for text (compared as UTF-8).
bool constantTimeEquals(const QString &a, const QString &b);

} // namespace latchkey
