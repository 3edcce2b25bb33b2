#pragma once

#include <QStringList>

#include <vector>

namespace latchkey {

/// One step of the schema. Applied in its own transaction, then `PRAGMA user_version` becomes
/// `version`. Each statement is run on its own (QtSql runs only the first statement of a string).
struct Migration
{
    int version = 0; ///< 1, 2, 3, ... without gaps
    QStringList statements;
};

/// `PRAGMA application_id` of a Latchkey database ("LTKY"), so another program's SQLite file is
/// never mistaken for ours.
inline constexpr int kApplicationId = 0x4C544B59;

/// The schema of this build, oldest first. Never edit a released step: append a new one.
const std::vector<Migration> &schemaMigrations();

} // namespace latchkey
