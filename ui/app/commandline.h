#pragma once

#include "core/config.h"

#include <QCommandLineParser>
#include <QStringList>

class QCoreApplication;

namespace latchkey::app {

/// Exit codes of the executable (documented in the README).
enum ExitCode {
    kExitOk = 0,
    kExitFailure = 1, ///< the operation failed (network, mail, keychain, storage, ...)
    kExitConfig = 2, ///< bad configuration or bad command-line usage; nothing was started
    kExitNotSignedIn = 3, ///< no valid session (the twin of HTTP 403)
    kExitCancelled = 4, ///< the user cancelled or a code/link was refused
};

/// True when argv names a command (status, session, data, signin, signout) or asks for --help or
/// --version: run without a GUI.
bool wantsCommandLine(int argc, char *argv[]);

/// Sets the application name, organisation and version used by QSettings/XDG paths and --version.
void setApplicationInfo();

/// The options shared by the window and the commands.
struct Options
{
    QString command;
    QStringList arguments;
    QString envFile;
    QString email;
    QString provider;
    bool json = false;
    bool noBrowser = false;
};

/// Parses the command line; prints help/version and exits for --help/--version, and prints a
/// usage error and exits with kExitConfig for unknown options.
Options parseCommandLine(const QCoreApplication &app);

/// Loads the configuration for `options`; on error prints the message (naming the key) to stderr
/// and returns nothing: the caller exits with kExitConfig before anything starts.
std::optional<Config> loadConfigOrReport(const Options &options);

/// Installs the English or Korean translation chosen by `language` (or the system locale).
void installTranslations(QCoreApplication &app, const QString &language);

} // namespace latchkey::app
