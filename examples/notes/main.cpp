// Notes: a small Qt Widgets program that signs in with Latchkey.
//
// It signs in by email or with an OpenID Connect provider, shows who is signed in, and shows its
// notes editor only while the session is valid. It uses Latchkey's public headers only.
// docs/library.md walks through this file section by section.

#include <latchkey/client.h>
#include <latchkey/widgets/desktopbrowserlauncher.h>
#include <latchkey/widgets/sessiongate.h>
#include <latchkey/widgets/signinwidget.h>

#include <QApplication>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QVBoxLayout>

#include <cstdio>
#include <utility>

namespace {

QString tr(const char *text) { return QCoreApplication::translate("notes", text); }

// 1. Configuration: the same keys as the Latchkey app (GOOGLE_ID, OIDC_PROVIDERS, EMAIL_SERVER,
// ...), but a keychain service and a data folder of our own unless the environment names them.
latchkey::Result<latchkey::Options> loadOptions()
{
    latchkey::ConfigSources sources;
    QProcessEnvironment &env = sources.environment;
    if (env.value(QStringLiteral("LATCHKEY_KEYCHAIN_SERVICE")).trimmed().isEmpty())
        env.insert(QStringLiteral("LATCHKEY_KEYCHAIN_SERVICE"), QStringLiteral("latchkey-notes"));
    if (env.value(QStringLiteral("LATCHKEY_DATA_DIR")).trimmed().isEmpty())
        env.insert(QStringLiteral("LATCHKEY_DATA_DIR"),
                   QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    return latchkey::Options::fromConfig(sources);
}

QString displayName(const latchkey::User &user)
{
    return user.name.isEmpty() ? user.email : user.name;
}

void fail(const latchkey::Error &error)
{
    std::fprintf(stderr, "notes: %s\n", qPrintable(latchkey::errorMessage(error)));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("latchkey-notes"));
    latchkey::installTranslations(QLocale());

    auto options = loadOptions();
    if (!options) {
        fail(options.error());
        return 2;
    }
    if (!options->language.isEmpty()) // LATCHKEY_LANGUAGE overrides the system language
        latchkey::installTranslations(QLocale(options->language));

    // 2. The client. The launcher is declared first so that it outlives the client, and the
    // client is declared before the window so that it outlives the widgets that use it.
    latchkey::DesktopBrowserLauncher launcher;
    latchkey::Client client(std::move(options).value());
    client.setBrowserLauncher(&launcher);

    // 3. The window: who is signed in and a Sign out button on top, the gated view below.
    QMainWindow window;
    window.setWindowTitle(tr("Notes"));
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    auto *bar = new QHBoxLayout;
    auto *userName = new QLabel;
    userName->setObjectName(QStringLiteral("userName"));
    auto *signOut = new QPushButton(tr("Sign out"));
    signOut->setObjectName(QStringLiteral("signOutButton"));
    bar->addWidget(userName, 1);
    bar->addWidget(signOut);
    layout->addLayout(bar);

    // 4. The gate: a SignInWidget while signed out; the editor, built from a freshly checked
    // session, while signed in. The editor is destroyed as soon as the session ends.
    auto *signIn = new latchkey::SignInWidget(client);
    signIn->setHint(tr("Sign in to open your notes."));
    auto *gate = new latchkey::SessionGate(client);
    gate->setSignedOutWidget(signIn);
    gate->setFactory([](const latchkey::Session &session) -> QWidget * {
        auto *editor = new QPlainTextEdit;
        editor->setObjectName(QStringLiteral("notesEditor"));
        editor->setPlaceholderText(tr("Notes for %1").arg(displayName(session.user)));
        return editor;
    });
    layout->addWidget(gate, 1);
    window.setCentralWidget(central);

    // 5. Follow the client: the name and the button while signed in, problems in the status bar.
    const auto showSession = [&client, userName, signOut]() {
        const auto session = client.session();
        const bool signedIn = client.state() == latchkey::Client::State::SignedIn && session;
        userName->setText(signedIn ? displayName(session->user) : QString());
        signOut->setVisible(signedIn);
    };
    QObject::connect(&client, &latchkey::Client::stateChanged, userName, showSession);
    QObject::connect(&client, &latchkey::Client::sessionChanged, userName, showSession);
    QObject::connect(&client, &latchkey::Client::stateChanged, signIn,
                     [&client, signIn](latchkey::Client::State state) {
                         if (state == latchkey::Client::State::SignedOut && client.sessionExpired())
                             signIn->setError(tr("Your session ended. Sign in again."));
                     });
    QObject::connect(&client, &latchkey::Client::problemChanged, &window, [&client, &window]() {
        const auto problem = client.problem();
        window.statusBar()->showMessage(problem ? latchkey::errorMessage(*problem) : QString());
    });
    QObject::connect(&client, &latchkey::Client::signOutFinished, &window,
                     [&window](const latchkey::Status &status) {
                         if (!status)
                             window.statusBar()->showMessage(
                                     latchkey::errorMessage(status.error()));
                     });
    QObject::connect(signOut, &QPushButton::clicked, &client, &latchkey::Client::signOut);
    showSession();

    // 6. Restore the last session. An unusable database or mail setting is reported here.
    if (const latchkey::Status restored = client.restore(); !restored) {
        fail(restored.error());
        return 1;
    }

    window.resize(640, 480);
    window.show();
    return QApplication::exec();
}
