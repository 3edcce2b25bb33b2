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
#include <vector>

#include <dlfcn.h>
#include <link.h>

namespace {

constexpr auto kWindowModule = "liblatchkey-window.so";

void installChosenTranslation()
{
    const QString language = qEnvironmentVariable("LATCHKEY_LANGUAGE");
    latchkey::installTranslations(language.isEmpty() ? QLocale() : QLocale(language));
}

/// Where the window module is: in LATCHKEY_MODULE_DIR when set, else in the first folder of this
/// executable's RUNPATH (ui/CMakeLists.txt) that has it. The folders are asked of dlinfo, as the
/// library does for its modules (src/core/module.cpp): dlopen() of a bare name would search the
/// RUNPATH of its caller, which a sanitizer's interceptor replaces.
QByteArray windowModulePath()
{
    const QString file = QLatin1StringView(kWindowModule);
    const QString dir = qEnvironmentVariable("LATCHKEY_MODULE_DIR");
    if (!dir.isEmpty())
        return QFile::encodeName(QDir(dir).filePath(file));
    void *program = dlopen(nullptr, RTLD_LAZY);
    Dl_serinfo size{};
    if (program && dlinfo(program, RTLD_DI_SERINFOSIZE, &size) == 0) {
        std::vector<char> buffer(size.dls_size);
        auto *info = reinterpret_cast<Dl_serinfo *>(buffer.data());
        if (dlinfo(program, RTLD_DI_SERINFOSIZE, info) == 0 &&
            dlinfo(program, RTLD_DI_SERINFO, info) == 0) {
            for (unsigned int i = 0; i < info->dls_cnt; ++i) {
                const QString path =
                        QDir(QFile::decodeName(info->dls_serpath[i].dls_name)).filePath(file);
                if (QFile::exists(path))
                    return QFile::encodeName(path);
            }
        }
    }
    return QFile::encodeName(file); // not found: dlopen() says so
}

/// Loads the window and runs it; says what is missing when the module is not there.
int openWindow(int &argc, char *argv[])
{
    void *module = dlopen(windowModulePath().constData(), RTLD_NOW | RTLD_LOCAL);
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
    // The saved session's keychain read runs while the window loads and connects to the display.
    latchkey::app::prefetchSession(argc, argv);
    return openWindow(argc, argv);
}
