// The window's entry point, in its own module (liblatchkey-window.so): the `latchkey` executable
// links no Qt Gui or Widgets and loads this only to open the window (ui/main.cpp).

#include "app/commandline.h"
#include "guiapp.h"

#include <latchkey/client.h>

#include <QApplication>
#include <QLocale>
#include <QStringList>

#include <cstdio>
#include <cstdlib>

namespace {

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
    const QString language = qEnvironmentVariable("LATCHKEY_LANGUAGE");
    latchkey::installTranslations(language.isEmpty() ? QLocale() : QLocale(language));
    std::fprintf(stderr, "latchkey: %s\n", qPrintable(latchkey::app::noDesktopMessage()));
    std::_Exit(latchkey::app::kExitConfig);
}

} // namespace

/// Runs the window until it quits and returns the exit code. `argc` must outlive the call.
extern "C" Q_DECL_EXPORT int latchkey_window_main(int *argc, char **argv)
{
    const QtMessageHandler previous = qInstallMessageHandler(exitWithoutDisplay);
    QApplication app(*argc, argv);
    qInstallMessageHandler(previous);
    for (const QString &message : std::as_const(heldBack))
        std::fprintf(stderr, "%s\n", qPrintable(message));
    latchkey::app::setApplicationInfo();
    return latchkey::gui::run(app);
}
