#include "cli.h"

#include "app/appcontext.h"
#include "app/commandline.h"
#include "auth/authservice.h"
#include "auth/browserlauncher.h"
#include "auth/oidcsigninflow.h"
#include "email/emailsigninflow.h"
#include "session/sessionmanager.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QProcess>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace latchkey::cli {

namespace {

using namespace app;

void out(const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    std::fputs(qPrintable(QStringLiteral("latchkey: ") + text + u'\n'), stderr);
}

int exitFor(const Error &error)
{
    if (error.code == u"access_denied")
        return kExitCancelled; // the person said no at the provider
    switch (error.kind) {
    case ErrorKind::Unauthorized:
        return kExitNotSignedIn;
    case ErrorKind::Cancelled:
    case ErrorKind::InvalidInput:
    case ErrorKind::RateLimited:
        return kExitCancelled;
    case ErrorKind::Config:
        return kExitConfig;
    default:
        return kExitFailure;
    }
}

int status(AuthService &auth, bool json)
{
    SessionManager &sessions = auth.sessions();
    if (json) {
        out(QString::fromUtf8(QJsonDocument(auth.sessionJson()).toJson(QJsonDocument::Compact)));
        return sessions.state() == SessionState::SignedIn ? kExitOk : kExitNotSignedIn;
    }
    if (sessions.problem())
        err(sessions.problem()->message);
    if (sessions.state() != SessionState::SignedIn || !sessions.current()) {
        out(sessions.state() == SessionState::Expired
                    ? QCoreApplication::translate("Cli", "Not signed in (the session expired).")
                    : QCoreApplication::translate("Cli", "Not signed in."));
        return kExitNotSignedIn;
    }
    const Session &session = *sessions.current();
    out(QCoreApplication::translate("Cli", "Signed in as %1 (session expires %2).")
                .arg(session.user.email.isEmpty() ? session.user.name : session.user.email,
                     session.expires.toLocalTime().toString(Qt::ISODate)));
    return kExitOk;
}

int data(AuthService &auth)
{
    auto result = auth.protectedData();
    if (!result) {
        err(QCoreApplication::translate("Cli", "%1 (403)").arg(result.error().message));
        return exitFor(result.error());
    }
    out(QString::fromUtf8(QJsonDocument(result.value()).toJson(QJsonDocument::Indented)).trimmed());
    return kExitOk;
}

/// Hands the URL to the desktop's opener (the command line has no QGuiApplication).
class ProcessBrowserLauncher final : public BrowserLauncher
{
public:
    Status open(const QUrl &url) override
    {
#if defined(Q_OS_MACOS)
        const QString opener = QStringLiteral("open");
#elif defined(Q_OS_WIN)
        const QString opener = QStringLiteral("explorer");
#else
        const QString opener = QStringLiteral("xdg-open");
#endif
        if (QProcess::startDetached(opener, {url.toString(QUrl::FullyEncoded)}))
            return {};
        return Error::make(ErrorKind::Protocol,
                           QCoreApplication::translate("Cli", "Could not start %1.").arg(opener));
    }
};

/// `signin --provider ID [--no-browser]`: the authorization URL goes to the browser (or is only
/// printed), and the loopback listener waits for the browser to come back.
void signInWithProvider(AuthService &auth, const QString &providerId, bool noBrowser,
                        std::function<void(int)> done)
{
    static ProcessBrowserLauncher launcher;
    auto flow = auth.createOidcSignIn(providerId, noBrowser ? nullptr : &launcher,
                                      QCoreApplication::instance());
    if (!flow) {
        err(flow.error().message);
        done(exitFor(flow.error()));
        return;
    }
    OidcSignInFlow *signIn = flow.value();
    QObject::connect(
            signIn, &OidcSignInFlow::authorizationUrlReady, signIn,
            [signIn, noBrowser](const QUrl &url) {
                out(noBrowser
                            ? QCoreApplication::translate("Cli",
                                                          "Open this link in a browser on this "
                                                          "computer to sign in with %1:")
                                      .arg(signIn->providerLabel())
                            : QCoreApplication::translate("Cli",
                                                          "Your browser opens to sign in with %1. "
                                                          "If it does not, open this link:")
                                      .arg(signIn->providerLabel()));
                out(QStringLiteral("\n  ") + url.toString(QUrl::FullyEncoded) +
                    QStringLiteral("\n"));
                out(QCoreApplication::translate("Cli", "Waiting for the browser…"));
            });
    QObject::connect(signIn, &OidcSignInFlow::finished, signIn,
                     [signIn, done](const Result<Session> &result) {
                         signIn->deleteLater();
                         if (!result) {
                             err(result.error().message);
                             done(exitFor(result.error()));
                             return;
                         }
                         const User &user = result->user;
                         out(QCoreApplication::translate("Cli", "Signed in as %1.")
                                     .arg(user.email.isEmpty() ? user.name : user.email));
                         done(kExitOk);
                     });
    signIn->start();
}

/// `signin --email ADDR`: sends the email, then reads the code from the terminal while the
/// loopback listener also accepts the link.
void signInWithEmail(AuthService &auth, const QString &address, std::function<void(int)> done)
{
    auto flow = auth.createEmailSignIn(address, QCoreApplication::instance());
    if (!flow) {
        err(flow.error().message);
        done(exitFor(flow.error()));
        return;
    }
    EmailSignInFlow *signIn = flow.value();
    auto *stdinNotifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, signIn);
    stdinNotifier->setEnabled(false);
    const auto prompt = []() {
        std::fputs(qPrintable(QCoreApplication::translate("Cli", "Code: ")), stdout);
        std::fflush(stdout);
    };
    QObject::connect(signIn, &EmailSignInFlow::sent, signIn, [signIn, stdinNotifier, prompt]() {
        out(QCoreApplication::translate(
                    "Cli",
                    "We sent a sign-in link and a 6-digit code to %1. Open the link on this "
                    "computer, or type the code.")
                    .arg(signIn->address()));
        prompt();
        stdinNotifier->setEnabled(true);
    });
    QObject::connect(stdinNotifier, &QSocketNotifier::activated, signIn, [signIn, stdinNotifier]() {
        char line[128];
        if (!std::fgets(line, sizeof line, stdin)) {
            stdinNotifier->setEnabled(false);
            signIn->cancel();
            return;
        }
        signIn->submitCode(QString::fromLatin1(line).trimmed());
    });
    QObject::connect(signIn, &EmailSignInFlow::codeRejected, signIn, [prompt](const Error &error) {
        err(error.message);
        prompt();
    });
    QObject::connect(signIn, &EmailSignInFlow::linkRejected, signIn,
                     [](const Error &error) { err(error.message); });
    QObject::connect(
            signIn, &EmailSignInFlow::finished, signIn,
            [signIn, done](const Result<Session> &result) {
                signIn->deleteLater();
                if (!result) {
                    err(result.error().message);
                    done(exitFor(result.error()));
                    return;
                }
                out(QCoreApplication::translate("Cli", "Signed in as %1.").arg(result->user.email));
                done(kExitOk);
            });
    signIn->start();
}

} // namespace

int run(QCoreApplication &app)
{
    // Before parsing, so --help follows LATCHKEY_LANGUAGE; the configured language comes below.
    installTranslations(app, qEnvironmentVariable("LATCHKEY_LANGUAGE"));
    const Options options = parseCommandLine(app);
    if (options.command == u"signin" && options.email.isEmpty() == options.provider.isEmpty()) {
        err(QStringLiteral("signin needs either --email ADDRESS or --provider ID"));
        return kExitConfig;
    }
    auto config = loadConfigOrReport(options);
    if (!config)
        return kExitConfig;
    installTranslations(app, config->language);
    auto context = AppContext::create(*config);
    if (!context) {
        err(context.error().message);
        return exitFor(context.error());
    }
    AuthService &auth = context.value()->auth();

    int code = kExitFailure;
    auth.initialize(&app, [&]() {
        const auto finish = [&code](int exitCode) {
            code = exitCode;
            QCoreApplication::exit(exitCode);
        };
        if (options.command == u"status") {
            finish(status(auth, options.json));
        } else if (options.command == u"session") {
            finish(status(auth, true));
        } else if (options.command == u"data") {
            finish(data(auth));
        } else if (options.command == u"signout") {
            auth.signOut(&app, [finish](Status signedOut) {
                if (!signedOut)
                    err(signedOut.error().message);
                out(QCoreApplication::translate("Cli", "Signed out."));
                finish(kExitOk);
            });
        } else if (options.command == u"signin" && !options.provider.isEmpty()) {
            signInWithProvider(auth, options.provider, options.noBrowser, finish);
        } else if (options.command == u"signin") {
            signInWithEmail(auth, options.email, finish);
        }
    });
    QCoreApplication::exec();
    return code;
}

} // namespace latchkey::cli
