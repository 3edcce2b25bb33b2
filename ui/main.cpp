// The latchkey executable: the sign-in window, or a command line for scripts when a command is
// given (`latchkey status`, `latchkey signin --email ADDR`, ...). See README "Command line".

#include "app/commandline.h"
#include "cli/cli.h"
#include "widgets/guiapp.h"

#include <latchkey/client.h>

#include <QApplication>
#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <cstdio>
#include <cstdlib>

namespace {

QLocale chosenLocale()
{
    const QString language = qEnvironmentVariable("LATCHKEY_LANGUAGE");
    return language.isEmpty() ? QLocale() : QLocale(language);
}

void printNoDesktop()
{
    std::fprintf(stderr, "latchkey: %s\n", qPrintable(latchkey::app::noDesktopMessage()));
}

QStringList heldBack; // Qt's messages while it connects to the display

/// Installed while the window's QApplication connects to the display: Qt aborts when the display
/// named in the environment cannot be opened (a closed X server, a stale DISPLAY over ssh). Say
/// what to do instead, in place of Qt's messages, and exit like a usage error.
void exitWithoutDisplay(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtFatalMsg) {
        heldBack.append(message); // printed once the display is open
        return;
    }
    latchkey::installTranslations(chosenLocale()); // the application object exists by now
    printNoDesktop();
    std::_Exit(latchkey::app::kExitConfig);
}

} // namespace

int main(int argc, char *argv[])
{
    // Scripts get a QCoreApplication: no display connection, no GUI start-up cost.
    if (latchkey::app::wantsCommandLine(argc, argv)) {
        QCoreApplication app(argc, argv);
        latchkey::app::setApplicationInfo();
        return latchkey::cli::run(app);
    }
    if (latchkey::app::desktopSessionMissing()) {
        QCoreApplication app(argc, argv);
        latchkey::installTranslations(chosenLocale());
        printNoDesktop();
        return latchkey::app::kExitConfig;
    }
    const QtMessageHandler previous = qInstallMessageHandler(exitWithoutDisplay);
    QApplication app(argc, argv);
    qInstallMessageHandler(previous);
    for (const QString &message : std::as_const(heldBack))
        std::fprintf(stderr, "%s\n", qPrintable(message));
    latchkey::app::setApplicationInfo();
    return latchkey::gui::run(app);
}
