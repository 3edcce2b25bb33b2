#include "commandline.h"

#include <latchkey/client.h>

#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

namespace latchkey::app {

namespace {

const QStringList kCommands = {QStringLiteral("status"),   QStringLiteral("session"),
                               QStringLiteral("data"),     QStringLiteral("signin"),
                               QStringLiteral("signout"),  QStringLiteral("refresh"),
                               QStringLiteral("accounts"), QStringLiteral("switch"),
                               QStringLiteral("sessions"), QStringLiteral("confirm")};

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "latchkey: %s\nTry 'latchkey --help'.\n", qPrintable(message));
    std::exit(kExitConfig);
}

} // namespace

bool wantsCommandLine(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--env-file" || arg == "--email" || arg == "--provider" || arg == "--revoke" ||
            arg == "--view") {
            ++i; // skip the option's value
            continue;
        }
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" ||
            arg == "-v")
            return true; // printed without a window (and without a display)
        if (!arg.startsWith('-'))
            return true; // a positional argument: a command (validated later)
    }
    return false;
}

bool desktopSessionMissing()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (!platform.isEmpty() && !platform.startsWith("xcb") && !platform.startsWith("wayland"))
        return false; // offscreen, vnc, eglfs, ...: Qt opens it without a desktop session
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

QString noDesktopMessage()
{
    return QCoreApplication::translate(
            "CommandLine",
            "No desktop session found — the window needs one; the command line works without: "
            "latchkey status, latchkey signin --email ADDRESS, latchkey signin --provider ID "
            "--device, latchkey --help.");
}

void setApplicationInfo()
{
    QCoreApplication::setApplicationName(QStringLiteral("latchkey"));
    QCoreApplication::setOrganizationName(QStringLiteral("Latchkey"));
    QCoreApplication::setApplicationVersion(latchkey::version());
}

CommandLine parseCommandLine(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "CommandLine",
            "Latchkey: native desktop sign-in.\n\n"
            "Without a command, opens the sign-in window. Commands:\n"
            "  status                     Who is signed in (exit 3 if nobody).\n"
            "  session [--json]           The current session, like GET /api/auth/session.\n"
            "  data [--json]              Protected data; exit 3 with \"not signed in\" "
            "otherwise.\n"
            "  signin --email ADDR        Email a sign-in code and read it from the terminal.\n"
            "  signin --provider ID [--no-browser | --device]\n"
            "                             Sign in with a configured provider (--device:\n"
            "                             approve it on another device with a code).\n"
            "  signout [--all | --everywhere]\n"
            "                             Sign the active account out on this device (--all:\n"
            "                             every account; --everywhere: every session of this\n"
            "                             account, and revoke its provider sign-ins).\n"
            "  sessions [--json] [--revoke ID | --others]\n"
            "                             This account's sessions; end one, or all but this.\n"
            "  confirm [--no-browser]     Sign in again to confirm it is you (10 minutes),\n"
            "                             before signout --everywhere.\n"
            "  accounts [--json]          The accounts signed in on this device (* active).\n"
            "  switch ACCOUNT             Make another account (email or id) the active one\n"
            "                             (exit 3 if it is not signed in here).\n"
            "  refresh [--provider ID]    Renew the provider tokens now (exit 3 if the\n"
            "                             provider ended the sign-in).\n\n"
            "Exit codes: 0 ok, 1 failed, 2 bad configuration or usage, 3 not signed in\n"
            "(or a recent sign-in needed: confirm), 4 cancelled or code refused."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption envFile(
            QStringLiteral("env-file"),
            QCoreApplication::translate("CommandLine", "Read settings from a dotenv file."),
            QStringLiteral("file"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QCoreApplication::translate("CommandLine", "Print JSON."));
    const QCommandLineOption email(
            QStringLiteral("email"),
            QCoreApplication::translate("CommandLine", "signin: the email address."),
            QStringLiteral("address"));
    const QCommandLineOption provider(
            QStringLiteral("provider"),
            QCoreApplication::translate("CommandLine", "signin, refresh: the provider id."),
            QStringLiteral("id"));
    const QCommandLineOption noBrowser(
            QStringLiteral("no-browser"),
            QCoreApplication::translate(
                    "CommandLine", "signin: print the sign-in URL instead of opening a browser."));
    const QCommandLineOption device(
            QStringLiteral("device"),
            QCoreApplication::translate("CommandLine",
                                        "signin: show a code to approve the sign-in on another "
                                        "device (a phone or another computer)."));
    const QCommandLineOption all(
            QStringLiteral("all"),
            QCoreApplication::translate("CommandLine",
                                        "signout: sign out every account on this device."));
    const QCommandLineOption everywhere(
            QStringLiteral("everywhere"),
            QCoreApplication::translate("CommandLine",
                                        "signout: end every session of this account and revoke "
                                        "its provider sign-ins."));
    const QCommandLineOption revoke(
            QStringLiteral("revoke"),
            QCoreApplication::translate("CommandLine", "sessions: end the session with this id."),
            QStringLiteral("id"));
    const QCommandLineOption others(
            QStringLiteral("others"),
            QCoreApplication::translate("CommandLine",
                                        "sessions: end every session but this one."));
    const QCommandLineOption verbose(
            QStringLiteral("verbose"),
            QCoreApplication::translate("CommandLine",
                                        "Also print what Latchkey does (its log) on standard "
                                        "error; without it, only warnings."));
    const QCommandLineOption view(
            QStringLiteral("view"),
            QCoreApplication::translate("CommandLine",
                                        "Without a command: open this view of the window (home, "
                                        "dashboard or profile). When the window is already open, "
                                        "it comes to the front with that view."),
            QStringLiteral("view"));
    parser.addOptions({envFile, json, email, provider, noBrowser, device, all, everywhere, revoke,
                       others, verbose, view});
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("CommandLine", "The command to run."),
                                 QStringLiteral("[command]"));
    if (!parser.parse(app.arguments()))
        usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(kExitOk);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();

    CommandLine options;
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        options.command = positional.first();
        options.arguments = positional.mid(1);
        if (!kCommands.contains(options.command))
            usageError(QStringLiteral("unknown command '%1'").arg(options.command));
    }
    options.envFile = parser.value(envFile);
    options.json = parser.isSet(json);
    options.email = parser.value(email);
    options.provider = parser.value(provider);
    options.noBrowser = parser.isSet(noBrowser);
    options.device = parser.isSet(device);
    options.all = parser.isSet(all);
    options.everywhere = parser.isSet(everywhere);
    options.verbose = parser.isSet(verbose);
    options.revoke = parser.value(revoke);
    options.others = parser.isSet(others);
    options.view = parser.value(view);
    if (options.device && (options.provider.isEmpty() || options.noBrowser))
        usageError(QStringLiteral("--device needs --provider ID and no --no-browser"));
    if (options.all && options.everywhere)
        usageError(QStringLiteral("signout takes --all or --everywhere, not both"));
    if (!options.revoke.isEmpty() && options.others)
        usageError(QStringLiteral("sessions takes --revoke ID or --others, not both"));
    if (!options.view.isEmpty() && !options.command.isEmpty())
        usageError(QStringLiteral("--view is for the window, not for a command"));
    if (!options.view.isEmpty() && options.view != u"home" && options.view != u"dashboard" &&
        options.view != u"profile")
        usageError(QStringLiteral("--view takes home, dashboard or profile"));
    if (options.command == u"switch" && options.arguments.size() != 1)
        usageError(QStringLiteral("switch needs one ACCOUNT (an email address or a user id)"));
    return options;
}

Result<latchkey::Options> loadOptions(const CommandLine &command)
{
    ConfigSources sources;
    sources.envFilePath = command.envFile;
    return latchkey::Options::fromConfig(sources);
}

void prefetchSession(int argc, char *argv[])
{
    // Before the QApplication, which takes out its own arguments: only --env-file matters here.
    CommandLine command;
    const QByteArray option("--env-file");
    const QByteArray withValue("--env-file=");
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == option && i + 1 < argc)
            command.envFile = QFile::decodeName(argv[++i]);
        else if (argument.startsWith(withValue))
            command.envFile = QFile::decodeName(argument.mid(withValue.size()));
    }
    setApplicationInfo(); // the data folder's name
    if (const auto options = loadOptions(command))
        latchkey::Client::prefetchSession(options.value());
}

void installTranslations(QCoreApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    latchkey::installTranslations(locale);
    // Qt's own strings (standard buttons, --help): replaced when called again.
    const QString name = QStringLiteral("latchkey-qt-translator");
    for (QTranslator *old : app.findChildren<QTranslator *>(name, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    auto *qt = new QTranslator(&app);
    qt->setObjectName(name);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    if (!language.isEmpty())
        QLocale::setDefault(locale);
}

} // namespace latchkey::app
