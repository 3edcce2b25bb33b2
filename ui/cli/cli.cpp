#include "cli.h"

#include "app/commandline.h"
#include "cli/devicesignin.h"
#include "cli/output.h"

#include <latchkey/browserlauncher.h>
#include <latchkey/client.h>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QProcess>
#include <QSocketNotifier>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unistd.h>

namespace latchkey::cli {

namespace {

using namespace app;

/// Prints what went wrong, in the user's language, and returns the exit code for it.
int fail(const Error &error)
{
    err(errorMessage(error));
    if (error.code == ErrorCode::AccessDenied || error.code == ErrorCode::DeviceAccessDenied)
        return kExitCancelled; // the person said no at the provider (or on the other device)
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

QString iso(const QDateTime &at) { return at.toUTC().toString(Qt::ISODate); }

/// A time for people: local, in the locale's short form, with the time zone.
QString local(const QDateTime &at)
{
    const QDateTime here = at.toLocalTime();
    return QLocale().toString(here, QLocale::ShortFormat) + u' ' + here.timeZoneAbbreviation();
}

/// The desktop twin of `GET /api/auth/session`: `{}` when signed out.
QJsonObject sessionJson(const Client &client)
{
    const auto session = client.session();
    if (!session)
        return {};
    QJsonArray methods;
    QJsonArray accounts;
    for (const Account &account : session->accounts) {
        methods.append(account.provider);
        accounts.append(QJsonObject{{QStringLiteral("provider"), account.provider},
                                    {QStringLiteral("issuer"), account.issuer},
                                    {QStringLiteral("sub"), account.providerAccountId}});
    }
    return QJsonObject{
            {QStringLiteral("user"),
             QJsonObject{{QStringLiteral("id"), QString::number(session->user.id)},
                         {QStringLiteral("name"), session->user.name},
                         {QStringLiteral("email"), session->user.email},
                         {QStringLiteral("image"), session->user.image}}},
            {QStringLiteral("methods"), methods},
            {QStringLiteral("accounts"), accounts},
            {QStringLiteral("strategy"),
             client.options().sessionStrategy == SessionStrategy::Jwt ? QStringLiteral("jwt")
                                                                      : QStringLiteral("database")},
            {QStringLiteral("expires"), iso(session->expires)},
    };
}

QString displayName(const User &user) { return user.email.isEmpty() ? user.name : user.email; }

/// The other accounts signed in on this device, comma-separated (empty when none).
QString otherAccounts(Client &client)
{
    QStringList others;
    for (const SignedInAccount &account : client.accounts().valueOr({})) {
        if (!account.active)
            others.append(displayName(account.user));
    }
    return others.join(QStringLiteral(", "));
}

int status(Client &client, bool json)
{
    if (json) {
        out(QString::fromUtf8(QJsonDocument(sessionJson(client)).toJson(QJsonDocument::Compact)));
        return client.state() == Client::State::SignedIn ? kExitOk : kExitNotSignedIn;
    }
    if (const auto problem = client.problem())
        err(errorMessage(*problem));
    const auto session = client.session();
    if (!session && client.problem() && client.problem()->code == ErrorCode::KeychainLockedAtStart)
        return kExitFailure; // locked: nobody can tell whether you are signed in
    if (!session) {
        out(client.sessionExpired() ? Cli::tr("Not signed in (the session expired).")
                                    : Cli::tr("Not signed in."));
        if (const QString others = otherAccounts(client); !others.isEmpty())
            out(Cli::tr("Signed in on this computer: %1. 'latchkey switch ACCOUNT' uses one.")
                        .arg(others));
        return kExitNotSignedIn;
    }
    out(Cli::tr("Signed in as %1 (session expires %2).")
                .arg(displayName(session->user), local(session->expires)));
    if (const QString others = otherAccounts(client); !others.isEmpty())
        out(Cli::tr("Also signed in on this computer: %1.").arg(others));
    return kExitOk;
}

/// `accounts [--json]`: the accounts signed in on this device, the active one marked.
int accounts(Client &client, bool json)
{
    const auto list = client.accounts();
    if (!list)
        return fail(list.error());
    if (json) {
        QJsonArray array;
        for (const SignedInAccount &account : list.value())
            array.append(QJsonObject{
                    {QStringLiteral("id"), QString::number(account.user.id)},
                    {QStringLiteral("name"), account.user.name},
                    {QStringLiteral("email"), account.user.email},
                    {QStringLiteral("methods"), QJsonArray::fromStringList(account.methods)},
                    {QStringLiteral("active"), account.active},
                    {QStringLiteral("expires"), iso(account.expires)},
            });
        out(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
        return list->isEmpty() ? kExitNotSignedIn : kExitOk;
    }
    if (list->isEmpty()) {
        out(Cli::tr("No account is signed in on this computer."));
        return kExitNotSignedIn;
    }
    for (const SignedInAccount &account : list.value()) {
        QString line = (account.active ? QStringLiteral("* ") : QStringLiteral("  ")) +
                displayName(account.user);
        if (!account.user.email.isEmpty() && !account.user.name.isEmpty())
            line += QStringLiteral(" (%1)").arg(account.user.name);
        line += QStringLiteral("  ") + account.methods.join(QStringLiteral(", "));
        out(line);
    }
    return kExitOk;
}

/// `sessions [--json] [--revoke ID | --others]`: the signed-in account's sessions in this
/// database, or ending some of them.
int sessions(Client &client, const CommandLine &command)
{
    if (!command.revoke.isEmpty()) {
        bool number = false;
        const qint64 id = command.revoke.toLongLong(&number);
        if (!number) {
            err(Cli::tr("'%1' is not a session id: 'latchkey sessions' lists them.")
                        .arg(command.revoke));
            return kExitConfig;
        }
        if (const auto current = client.session(); current && current->sessionId == id) {
            err(Cli::tr("Session %1 is the one in use: 'latchkey signout' ends it.").arg(id));
            return kExitCancelled;
        }
        if (Status revoked = client.revokeSession(id); !revoked)
            return fail(revoked.error());
        out(Cli::tr("Ended session %1.").arg(id));
        return kExitOk;
    }
    if (command.others) {
        const auto ended = client.signOutOtherSessions();
        if (!ended)
            return fail(ended.error());
        out(Cli::tr("Ended %n other session(s).", nullptr, ended.value()));
        return kExitOk;
    }
    const auto list = client.deviceSessions();
    if (!list)
        return fail(list.error());
    if (command.json) {
        QJsonArray array;
        for (const DeviceSession &session : list.value())
            array.append(QJsonObject{{QStringLiteral("id"), QString::number(session.id)},
                                     {QStringLiteral("device"), session.deviceName},
                                     {QStringLiteral("createdAt"), iso(session.createdAt)},
                                     {QStringLiteral("lastSeenAt"), iso(session.lastSeenAt)},
                                     {QStringLiteral("expires"), iso(session.expires)},
                                     {QStringLiteral("current"), session.current}});
        out(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
        return kExitOk;
    }
    for (const DeviceSession &session : list.value()) {
        out((session.current ? QStringLiteral("* ") : QStringLiteral("  ")) +
            Cli::tr("%1  %2  signed in %3, last active %4, expires %5")
                    .arg(QString::number(session.id),
                         session.deviceName.isEmpty() ? Cli::tr("unknown device")
                                                      : session.deviceName,
                         local(session.createdAt), local(session.lastSeenAt),
                         local(session.expires)));
    }
    return kExitOk;
}

/// `switch ACCOUNT`: makes the account with that email address (any case) or user id active.
void switchTo(Client &client, const QString &wanted, const std::function<void(int)> &finish)
{
    const auto list = client.accounts();
    if (!list) {
        finish(fail(list.error()));
        return;
    }
    const auto match =
            std::find_if(list->cbegin(), list->cend(), [&wanted](const SignedInAccount &account) {
                return QString::number(account.user.id) == wanted ||
                        (!account.user.email.isEmpty() &&
                         account.user.email.compare(wanted, Qt::CaseInsensitive) == 0);
            });
    if (match == list->cend()) {
        Error error = Error::make(ErrorKind::NotFound, ErrorCode::AccountNotOnDevice,
                                  QStringLiteral("No such account on this device."));
        error.subject = wanted;
        err(errorMessage(error));
        finish(kExitNotSignedIn);
        return;
    }
    QObject::connect(&client, &Client::switchAccountFinished, &client,
                     [finish](const Result<Session> &session) {
                         if (!session) {
                             err(errorMessage(session.error()));
                             finish(session.error().code == ErrorCode::AccountNotOnDevice
                                            ? kExitNotSignedIn
                                            : kExitFailure);
                             return;
                         }
                         out(Cli::tr("Now using %1.").arg(displayName(session->user)));
                         finish(kExitOk);
                     });
    client.switchAccount(match->user.id);
}

/// `data`: the twin of `/api/data`, as JSON.
int data(Client &client)
{
    auto result = client.protectedData();
    if (!result && result.error().kind == ErrorKind::Unauthorized) {
        err(Cli::tr("%1 (403)").arg(errorMessage(result.error()))); // the web route's status
        return kExitNotSignedIn;
    }
    if (!result)
        return fail(result.error());
    QJsonArray activity;
    for (const ActivityEntry &entry : result->recentActivity)
        activity.append(QJsonObject{{QStringLiteral("at"), iso(entry.at)},
                                    {QStringLiteral("event"), entry.event},
                                    {QStringLiteral("detail"), entry.detail}});
    const QJsonObject json{
            {QStringLiteral("content"),
             Cli::tr("This is protected content. You can access it because you are signed in.")},
            {QStringLiteral("user"), result->user.email},
            {QStringLiteral("activeSessions"), result->activeSessions},
            {QStringLiteral("recentActivity"), activity},
    };
    out(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)).trimmed());
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
        return Error::make(ErrorKind::Protocol, ErrorCode::BrowserFailed,
                           QStringLiteral("Could not start %1.").arg(opener));
    }
};

/// Shows the authorization URL of a provider sign-in (or step-up) and opens the browser unless
/// `noBrowser`; the loopback listener waits for the browser to come back.
void showAuthorizationUrl(Client &client, bool noBrowser)
{
    static ProcessBrowserLauncher launcher;
    client.setBrowserLauncher(noBrowser ? nullptr : &launcher);
    QObject::connect(&client, &Client::authorizationUrlReady, &client,
                     [&client, noBrowser](const QUrl &url) {
                         const QString label = client.pendingProviderLabel();
                         out(noBrowser
                                     ? Cli::tr("Open this link in a browser on this computer to "
                                               "sign in with %1:")
                                               .arg(label)
                                     : Cli::tr("Your browser opens to sign in with %1. If it does "
                                               "not, open this link:")
                                               .arg(label));
                         out(QStringLiteral("\n  ") + url.toString(QUrl::FullyEncoded) +
                             QStringLiteral("\n"));
                         out(Cli::tr("Waiting for the browser…"));
                     });
}

/// True when `answer` (a line the person typed) means yes, in English or the user's language.
bool isYes(const QString &answer)
{
    const QString word = answer.trimmed().toLower();
    return !word.isEmpty() &&
            (word == u"y" || word == u"yes" || word == Cli::tr("y").toLower() ||
             word == Cli::tr("yes").toLower());
}

/// Once an email sign-in (or step-up) sent its email, reads the code from the terminal while the
/// loopback listener also accepts the link. When someone else is signed in, the new person
/// becomes the active account only after a "y" on the terminal.
void readCodeFromTerminal(Client &client)
{
    auto *stdinNotifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &client);
    stdinNotifier->setEnabled(false);
    const auto prompt = []() {
        std::fputs(qPrintable(Cli::tr("Code: ")), stdout);
        std::fflush(stdout);
    };
    QObject::connect(
            &client, &Client::emailSent, &client, [stdinNotifier, prompt](const QString &to) {
                out(Cli::tr("We sent a sign-in link and a 6-digit code to %1. Open the link "
                            "on this computer, or type the code.")
                            .arg(to));
                prompt();
                stdinNotifier->setEnabled(true);
            });
    QObject::connect(&client, &Client::accountSwitchRequested, &client,
                     [stdinNotifier](const QString &signedInAs, const QString &newAddress) {
                         std::fputs(qPrintable(u'\n' +
                                               Cli::tr("Switch to %1? %2 stays signed in on "
                                                       "this computer. [y/N] ")
                                                       .arg(newAddress, signedInAs)),
                                    stdout);
                         std::fflush(stdout);
                         stdinNotifier->setEnabled(true);
                     });
    QObject::connect(stdinNotifier, &QSocketNotifier::activated, &client,
                     [&client, stdinNotifier]() {
                         char line[128];
                         if (!std::fgets(line, sizeof line, stdin)) {
                             stdinNotifier->setEnabled(false);
                             client.cancel(); // also declines a switch that waits for an answer
                             return;
                         }
                         const QString text = QString::fromLocal8Bit(line).trimmed();
                         if (!client.accountSwitchPending()) {
                             client.submitCode(text);
                         } else if (isYes(text)) {
                             client.confirmAccountSwitch();
                         } else {
                             client.declineAccountSwitch();
                         }
                     });
    QObject::connect(&client, &Client::codeRejected, &client, [prompt](const Error &error) {
        err(errorMessage(error));
        prompt();
    });
    QObject::connect(&client, &Client::linkRejected, &client,
                     [](const Error &error) { err(errorMessage(error)); });
}

QString providerLabel(const Client &client, const QString &providerId)
{
    const ProviderOptions *provider = client.options().provider(providerId);
    return provider && !provider->label.isEmpty() ? provider->label : providerId;
}

/// Renews the tokens of `providers` one after another, then finish(kExitOk); stops at the first
/// failure (see refresh()).
void refreshEach(Client &client, QStringList providers, const std::function<void(int)> &finish)
{
    if (providers.isEmpty()) {
        finish(kExitOk);
        return;
    }
    const QString providerId = providers.takeFirst();
    const QString label = providerLabel(client, providerId);
    client.refreshAccessToken(
            providerId, &client,
            [&client, providers, finish, label](const Result<AccessToken> &token) {
                if (token) {
                    out(token->expiresAt.isValid()
                                ? Cli::tr("Renewed the %1 sign-in (valid until %2).")
                                          .arg(label, local(token->expiresAt))
                                : Cli::tr("Renewed the %1 sign-in.").arg(label));
                    refreshEach(client, providers, finish);
                } else if (token.error().kind == ErrorKind::IdTokenInvalid) {
                    return; // the session is ending: sessionEnded() finishes
                } else if (token.error().code == ErrorCode::InvalidGrant ||
                           token.error().code == ErrorCode::NoRefreshToken) {
                    err(errorMessage(token.error()));
                    finish(kExitNotSignedIn);
                } else {
                    err(errorMessage(token.error()));
                    finish(kExitFailure);
                }
            });
}

/// `refresh [--provider ID]`: renews the signed-in user's provider tokens now, one provider after
/// another. 0 when all were renewed; 3 when a provider ended the sign-in (its grant was revoked,
/// or it named another person and the session ended); 1 for a network or keychain failure (the
/// tokens are kept).
void refresh(Client &client, const QString &providerId, const std::function<void(int)> &finish)
{
    const auto session = client.session();
    if (!session) {
        out(Cli::tr("Not signed in."));
        finish(kExitNotSignedIn);
        return;
    }
    QStringList providers;
    for (const Account &account : session->accounts) {
        if (account.type == Account::Type::Oidc &&
            (providerId.isEmpty() || account.provider == providerId))
            providers.append(account.provider);
    }
    if (providers.isEmpty() && !providerId.isEmpty()) {
        err(Cli::tr("You have not signed in with %1 on this account, so there is nothing to renew.")
                    .arg(providerLabel(client, providerId)));
        finish(kExitNotSignedIn);
        return;
    }
    if (providers.isEmpty()) {
        out(Cli::tr("Nothing to renew: this account has no provider sign-in."));
        finish(kExitOk);
        return;
    }
    // The session ended (a renewed ID token named someone else): sessionEnded() says why, once
    // the session and every token are gone.
    QObject::connect(&client, &Client::sessionEnded, &client, [finish](const Error &reason) {
        err(errorMessage(reason));
        finish(kExitNotSignedIn);
    });
    refreshEach(client, providers, finish);
}

} // namespace

int run(QCoreApplication &app)
{
    // Before parsing, so --help follows LATCHKEY_LANGUAGE; the configured language comes below.
    installTranslations(app, qEnvironmentVariable("LATCHKEY_LANGUAGE"));
    const CommandLine command = parseCommandLine(app);
    // A script reads the command's answer, not the library's log: warnings only, unless asked
    // (QT_LOGGING_RULES still overrides both).
    QLoggingCategory::setFilterRules(command.verbose ? QStringLiteral("latchkey.*=true")
                                                     : QStringLiteral("latchkey.*.debug=false\n"
                                                                      "latchkey.*.info=false"));
    if (command.command == u"signin" && command.email.isEmpty() == command.provider.isEmpty()) {
        err(QStringLiteral("signin needs either --email ADDRESS or --provider ID"));
        return kExitConfig;
    }
    auto options = loadOptions(command);
    if (!options) {
        err(options.error().message);
        return kExitConfig;
    }
    installTranslations(app, options->language);
    Client client(options.value());
    if (Status opened = client.restore(); !opened)
        return fail(opened.error());

    int code = kExitFailure;
    // Exits once every keychain write and removal has finished, so none is cut off.
    const auto finish = [&code, &client](int exitCode) {
        code = exitCode;
        client.whenIdle(&client, [exitCode]() { QCoreApplication::exit(exitCode); });
    };
    QObject::connect(&client, &Client::signInFinished, &client,
                     [finish, &client, &command](const Result<Session> &result) {
                         if (!result) {
                             finish(fail(result.error()));
                             return;
                         }
                         if (!client.persistent()) {
                             // The keychain refused the session: it would end with this command
                             // (and its row with it), so this is not a sign-in.
                             if (const auto problem = client.problem())
                                 err(errorMessage(*problem));
                             err(Cli::tr("You are not signed in: the sign-in could not be saved "
                                         "in the keychain."));
                             finish(kExitFailure);
                             return;
                         }
                         if (command.command == u"confirm") {
                             out(Cli::tr("Confirmed. For the next 10 minutes, commands that need a "
                                         "recent sign-in work."));
                             finish(kExitOk);
                             return;
                         }
                         out(Cli::tr("Signed in as %1.").arg(displayName(result->user)));
                         finish(kExitOk);
                     });
    QObject::connect(&client, &Client::restored, &client, [&]() {
        if (command.command == u"status") {
            finish(status(client, command.json));
        } else if (command.command == u"session") {
            finish(status(client, true));
        } else if (command.command == u"data") {
            finish(data(client));
        } else if (command.command == u"signout") {
            QObject::connect(&client, &Client::revocationDeferred, &client,
                             [&client](const QString &providerId) {
                                 err(Cli::tr("%1 could not be reached to revoke this sign-in. It "
                                             "is gone from this computer; Latchkey revokes it at "
                                             "%1 the next time it runs and can reach it.")
                                             .arg(providerLabel(client, providerId)));
                             });
            QObject::connect(
                    &client, &Client::signOutFinished, &client,
                    [finish, &client, all = command.all,
                     everywhere = command.everywhere](const Status &signedOut) {
                        if (!signedOut && signedOut.error().kind == ErrorKind::Unauthorized) {
                            // Nobody to sign out, or a recent sign-in is needed first.
                            const int exitCode = fail(signedOut.error());
                            if (signedOut.error().code == ErrorCode::StepUpRequired)
                                err(Cli::tr("Run 'latchkey confirm', then this again."));
                            finish(exitCode);
                            return;
                        }
                        if (!signedOut)
                            err(errorMessage(signedOut.error()));
                        out(all ? Cli::tr("Signed out of every account on this computer.")
                                    : everywhere
                                    ? Cli::tr("Signed out everywhere: every session of this "
                                              "account ended, and its provider sign-ins "
                                              "were revoked.")
                                    : Cli::tr("Signed out."));
                        if (const QString others = otherAccounts(client); !others.isEmpty())
                            out(Cli::tr("Still signed in on this computer: %1. 'latchkey "
                                        "switch ACCOUNT' uses one, 'latchkey signout "
                                        "--all' signs every account out.")
                                        .arg(others));
                        finish(kExitOk);
                    });
            if (command.all)
                client.signOutAllAccounts();
            else if (command.everywhere)
                client.signOutEverywhere();
            else
                client.signOut();
        } else if (command.command == u"sessions") {
            finish(sessions(client, command));
        } else if (command.command == u"accounts") {
            finish(accounts(client, command.json));
        } else if (command.command == u"switch") {
            switchTo(client, command.arguments.constFirst(), finish);
        } else if (command.command == u"refresh") {
            refresh(client, command.provider, finish);
        } else if (command.command == u"signin" && command.device) {
            showDeviceCode(client);
            client.signInOnAnotherDevice(command.provider);
        } else if (command.command == u"signin" && !command.provider.isEmpty()) {
            showAuthorizationUrl(client, command.noBrowser);
            client.signIn(command.provider);
        } else if (command.command == u"signin") {
            readCodeFromTerminal(client);
            client.signInWithEmail(command.email);
        } else if (command.command == u"confirm") {
            if (!client.session()) {
                finish(fail(client.validSession().error()));
                return;
            }
            out(Cli::tr("Confirm it is you: sign in again as %1.")
                        .arg(displayName(client.session()->user)));
            showAuthorizationUrl(client, command.noBrowser);
            readCodeFromTerminal(client);
            client.confirmIdentity();
        }
    });
    QCoreApplication::exec();
    return code;
}

} // namespace latchkey::cli
