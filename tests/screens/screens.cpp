// Renders every view and state of the window to PNG files: for review (light, dark, Korean; small
// and large) and for the README. The window runs over the unit tests' fakes (clock, keychain,
// mailer) and a real SQLite file, so every picture is the same from run to run.
//
//   latchkey_screens --out DIR [--dark] [--language ko]
//
// scripts/screenshots runs it under Xvfb for every theme and language.

#include "clientoverfakes.h"
#include "keychain/secretkeys.h"
#include "widgets/mainwindow.h"
#include "widgets/outboxviewer.h"

#include <latchkey/client.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLineEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <functional>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 5000;
const QSize kLarge(1100, 760);

/// A dark desktop palette (the colours of a typical dark theme).
QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    palette.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x22));
    palette.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x37));
    palette.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0xa0));
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    palette.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd8));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3e));
    palette.setColor(QPalette::ToolTipText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    palette.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x5a));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x85));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x85));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x85));
    return palette;
}

/// One app run: a Client over fakes with its window.
class Stage
{
public:
    explicit Stage(bool outbox = false)
    {
        Options options;
        options.databasePath = m_dir.filePath(u"latchkey.db"_s);
        options.dataDir = m_dir.filePath(u"data"_s);
        options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
        if (outbox)
            options.outboxDir = m_dir.filePath(u"outbox"_s);
        options.providers = {presets::google(u"screens.apps.googleusercontent.com"_s),
                             presets::github(u"Iv1.screens"_s, u"secret"_s),
                             presets::microsoft(u"00000000-0000-0000-0000-000000000000"_s)};
        m_options = options;
        client = clientOverFakes(options, fakes, outbox);
        fakes.clock->set(QDateTime::currentDateTimeUtc());
        (void)client->restore();
        window = std::make_unique<gui::MainWindow>(*client);
    }

    void start()
    {
        window->resize(kLarge);
        window->show();
        window->start();
        expect(QTest::qWaitFor([this]() { return client->state() != Client::State::Loading; },
                               kWaitMs),
               "the window did not start");
        QTest::qWait(50);
    }

    /// Asks for an email and waits for it to be sent.
    void requestEmail(const QString &address)
    {
        QSignalSpy sent(client.get(), &Client::emailSent);
        client->signInWithEmail(address);
        expect(sent.wait(kWaitMs), "no email was sent");
        QTest::qWait(50);
    }

    /// The app starts again with the session in a keyring that is locked.
    void restartWithLockedKeyring()
    {
        window.reset();
        const QString key = secretkeys::sessionToken(client->session()->user.id);
        const QByteArray stored = fakes.keychain->value(key);
        client = clientOverFakes(m_options, fakes);
        fakes.clock->set(QDateTime::currentDateTimeUtc());
        fakes.keychain->seed(key, stored);
        fakes.keychain->setLocked(true);
        expect(client->restore().ok(), "the app did not start again");
        window = std::make_unique<gui::MainWindow>(*client);
        start();
    }

    QString lastCode() const
    {
        return fakes.mailer ? test::codeIn(fakes.mailer->messages().last()) : QString();
    }

    void signIn(const QString &address)
    {
        requestEmail(address);
        client->submitCode(lastCode());
        expect(QTest::qWaitFor([this]() { return client->state() == Client::State::SignedIn; },
                               kWaitMs),
               "the sign-in did not finish");
        QTest::qWait(50);
    }

    /// Notes a step that did not happen (the picture would show the wrong state).
    void expect(bool happened, const char *what)
    {
        if (!happened) {
            std::fprintf(stderr, "latchkey_screens: %s\n", what);
            failed = true;
        }
    }

    bool failed = false;
    QTemporaryDir m_dir;
    Options m_options;
    QPointer<QWidget> dialog; // a dialog the scene opened: saved on its own
    test::Fakes fakes;
    std::unique_ptr<Client> client;
    std::unique_ptr<gui::MainWindow> window;
};

struct Scene
{
    QString name;
    std::function<void(Stage &)> play;
    bool outbox = false;
};

QList<Scene> scenes()
{
    return {
            {u"signin"_s, [](Stage &) {}},
            {u"check-email"_s, [](Stage &stage) { stage.requestEmail(u"ada@example.com"_s); }},
            {u"wrong-code"_s,
             [](Stage &stage) {
                 stage.requestEmail(u"ada@example.com"_s);
                 stage.client->submitCode(stage.lastCode() == u"000000"_s ? u"111111"_s
                                                                          : u"000000"_s);
                 QTest::qWait(200);
             }},
            {u"home"_s, [](Stage &stage) { stage.signIn(u"ada@example.com"_s); }},
            {u"dashboard"_s,
             [](Stage &stage) {
                 stage.signIn(u"ada@example.com"_s);
                 stage.window->openView(gui::View::Dashboard);
             }},
            {u"profile"_s,
             [](Stage &stage) {
                 stage.signIn(u"ada@example.com"_s);
                 stage.window->openView(gui::View::Profile);
             }},
            {u"signed-out-again"_s,
             [](Stage &stage) {
                 stage.signIn(u"ada@example.com"_s);
                 stage.client->signOut();
                 QTest::qWait(200);
             }},
            {u"developer-mailbox"_s, [](Stage &stage) { stage.requestEmail(u"ada@example.com"_s); },
             true},
            {u"developer-mailbox-message"_s,
             [](Stage &stage) {
                 stage.requestEmail(u"ada@example.com"_s);
                 stage.dialog = new gui::OutboxViewer(stage.client->latestOutboxMessage(),
                                                      stage.window.get());
                 stage.dialog->show();
             },
             true},
            {u"locked-keyring"_s,
             [](Stage &stage) {
                 stage.signIn(u"ada@example.com"_s);
                 stage.restartWithLockedKeyring();
             }},
    };
}

bool save(QWidget &window, const QString &path)
{
    QTest::qWait(50);
    const bool saved = window.grab().save(path);
    std::printf("%s %s\n", saved ? "wrote" : "COULD NOT WRITE", qPrintable(path));
    return saved;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Latchkey"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption out(u"out"_s, u"Directory the PNG files go to."_s, u"dir"_s);
    const QCommandLineOption dark(u"dark"_s, u"Render with a dark palette."_s);
    const QCommandLineOption language(u"language"_s, u"en or ko."_s, u"code"_s, u"en"_s);
    parser.addOptions({out, dark, language});
    parser.process(app);
    const QString dir = parser.value(out);
    if (dir.isEmpty() || !QDir().mkpath(dir)) {
        std::fprintf(stderr, "latchkey_screens: --out DIR is required\n");
        return 2;
    }
    installTranslations(QLocale(parser.value(language)));
    QLocale::setDefault(QLocale(parser.value(language)));
    if (parser.isSet(dark)) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(darkPalette());
    }
    bool ok = true;
    for (const Scene &scene : scenes()) {
        Stage stage(scene.outbox);
        stage.start();
        scene.play(stage);
        ok = save(*stage.window, QDir(dir).filePath(scene.name + u".png"_s)) && ok;
        stage.window->resize(stage.window->minimumSize().expandedTo(QSize(1, 1)));
        ok = save(*stage.window, QDir(dir).filePath(scene.name + u"-small.png"_s)) && ok;
        if (stage.dialog)
            ok = save(*stage.dialog, QDir(dir).filePath(scene.name + u"-dialog.png"_s)) && ok;
        ok = !stage.failed && ok;
    }
    return ok ? 0 : 1;
}
