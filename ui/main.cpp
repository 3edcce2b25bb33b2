// The latchkey executable: the sign-in window, or a command line for scripts when a command is
// given (`latchkey status`, `latchkey signin --email ADDR`, ...). See README "Command line".
//
// It links Qt Core and the library only: a command never loads Qt Gui or Widgets. The window
// lives in liblatchkey-window.so (ui/widgets/windowmain.cpp), loaded when no command is given.

#include "app/commandline.h"
#include "cli/cli.h"

#include <latchkey/client.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLocale>

#include <cstdio>

#include <dlfcn.h>

namespace {

constexpr auto kWindowModule = "liblatchkey-window.so";

void installChosenTranslation()
{
    const QString language = qEnvironmentVariable("LATCHKEY_LANGUAGE");
    latchkey::installTranslations(language.isEmpty() ? QLocale() : QLocale(language));
}

/// Loads the window and runs it; says what is missing when the module is not there.
int openWindow(int &argc, char *argv[])
{
    // A bare file name is looked up through this executable's RUNPATH (ui/CMakeLists.txt);
    // LATCHKEY_MODULE_DIR overrides it, as for the library's modules.
    const QString dir = qEnvironmentVariable("LATCHKEY_MODULE_DIR");
    const QByteArray path = dir.isEmpty()
            ? QByteArray(kWindowModule)
            : QFile::encodeName(QDir(dir).filePath(QLatin1StringView(kWindowModule)));
    void *module = dlopen(path.constData(), RTLD_NOW | RTLD_LOCAL);
    using Entry = int (*)(int *, char **);
    const auto entry =
            module ? reinterpret_cast<Entry>(dlsym(module, "latchkey_window_main")) : nullptr;
    if (entry)
        return entry(&argc, argv);
    const char *why = dlerror();
    QCoreApplication app(argc, argv);
    installChosenTranslation();
    latchkey::Error missing = latchkey::Error::make(
            latchkey::ErrorKind::Config, latchkey::ErrorCode::ModuleMissing,
            QStringLiteral("The window module is missing."), QString::fromLocal8Bit(why));
    missing.subject = QLatin1StringView(kWindowModule);
    std::fprintf(stderr, "latchkey: %s\n", qPrintable(latchkey::errorMessage(missing)));
    if (why)
        std::fprintf(stderr, "latchkey: %s\n", why);
    return latchkey::app::kExitConfig; // as every Config error: nothing was started
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
        installChosenTranslation();
        std::fprintf(stderr, "latchkey: %s\n", qPrintable(latchkey::app::noDesktopMessage()));
        return latchkey::app::kExitConfig;
    }
    return openWindow(argc, argv);
}
