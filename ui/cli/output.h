#pragma once

// What the command line's files share: the translation context of its messages and its two
// output streams.
#include <QCoreApplication>
#include <QString>

#include <cstdio>

namespace latchkey::cli {

/// The translation context of the command line's messages ("Cli").
struct Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)
};

/// A line of output, for scripts (stdout).
inline void out(const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stdout);
    std::fflush(stdout);
}

/// A line about what went wrong, for people (stderr).
inline void err(const QString &text)
{
    std::fputs(qPrintable(QStringLiteral("latchkey: ") + text + u'\n'), stderr);
}

} // namespace latchkey::cli
