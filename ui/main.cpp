// The latchkey executable: the sign-in window, or a command line for scripts when a command is
// given (`latchkey status`, `latchkey signin --email ADDR`, ...). See README "Command line".

#include "app/commandline.h"
#include "cli/cli.h"
#include "widgets/guiapp.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Scripts get a QCoreApplication: no display connection, no GUI start-up cost.
    if (latchkey::app::wantsCommandLine(argc, argv)) {
        QCoreApplication app(argc, argv);
        latchkey::app::setApplicationInfo();
        return latchkey::cli::run(app);
    }
    QApplication app(argc, argv);
    latchkey::app::setApplicationInfo();
    return latchkey::gui::run(app);
}
