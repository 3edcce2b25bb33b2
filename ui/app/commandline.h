#pragma once

#include <latchkey/options.h>

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

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

/// True when argv names a command (status, session, data, signin, signout, refresh, accounts,
/// switch, sessions) or asks for --help or --version: run without a GUI.
bool wantsCommandLine(int argc, char *argv[]);

/// True when no desktop session can be reached: no X11 or Wayland display in the environment and
/// no other Qt platform chosen (QT_QPA_PLATFORM). The window cannot open then.
bool desktopSessionMissing();

/// "No desktop session found …": what to do instead (the command line), in the user's language.
/// Needs a QCoreApplication with translations installed.
QString noDesktopMessage();

/// Sets the application name, organisation and version used by QSettings/XDG paths and --version.
void setApplicationInfo();

/// What the command line asked for (shared by the window and the commands).
struct CommandLine
{
    QString command;
    QStringList arguments;
    QString envFile;
    QString email;
    QString provider;
    bool json = false;
    bool noBrowser = false;
    bool device = false; ///< signin --provider ID --device: approve on another device
    bool all = false; ///< signout --all
    bool everywhere = false; ///< signout --everywhere
    QString revoke; ///< sessions --revoke ID
    bool others = false; ///< sessions --others
    bool verbose = false; ///< --verbose: the library's log on stderr (else warnings only)
    QString view; ///< --view home|dashboard|profile: the window opens it (or the open one does)
};

/// Parses the command line; prints help/version and exits for --help/--version, and prints a
/// usage error and exits with kExitConfig for unknown options.
CommandLine parseCommandLine(const QCoreApplication &app);

/// Reads the configuration `command` points at (its --env-file, the environment).
Result<latchkey::Options> loadOptions(const CommandLine &command);

/// For the window, first thing in main(): starts reading the saved session
/// (Client::prefetchSession()) with the configuration argv points at (its --env-file), while the
/// window's libraries load and it connects to the display. Does nothing when the configuration
/// cannot be read: the window says why once it is up.
void prefetchSession(int argc, char *argv[]);

/// Installs the English or Korean translation chosen by `language` (or the system locale): the
/// library's catalogue and Qt's own.
void installTranslations(QCoreApplication &app, const QString &language);

} // namespace latchkey::app
