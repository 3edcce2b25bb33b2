#include "guiapp.h"

#include "app/commandline.h"
#include "mainwindow.h"
#include "paintprobe.h"
#include "singleinstance.h"

#include <QApplication>
#include <QFile>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

namespace latchkey::gui {

namespace {

/// A start-up problem: printed for terminals and scripts, and shown in a dialog when a desktop
/// user started the app (there is nobody to read stderr).
void report(const QString &message)
{
    std::fprintf(stderr, "latchkey: %s\n", qPrintable(message));
    if (QGuiApplication::platformName() != u"offscreen")
        QMessageBox::critical(nullptr, QStringLiteral("Latchkey"), message);
}

/// How long start-up waits for the restored session before it shows the window: one frame. The
/// window shows "Loading…" first only when the keychain is slower than that.
constexpr int kOneFrameMs = 16;

/// Shows `window` once the session is restored (start() has then picked the real view), or after
/// one frame, whichever comes first.
void showWhenRestored(MainWindow &window, Client &client)
{
    if (client.state() != Client::State::Loading) {
        window.show();
        return;
    }
    auto show = [&window, shown = std::make_shared<bool>(false)]() {
        if (!std::exchange(*shown, true))
            window.show();
    };
    QObject::connect(&client, &Client::restored, &window, show, Qt::SingleShotConnection);
    QTimer::singleShot(kOneFrameMs, &window, show);
}

/// Runs `then` once, right after the first paint of `window`.
class AfterFirstPaint : public QObject
{
public:
    AfterFirstPaint(QWidget &window, std::function<void()> then)
        : QObject(&window), m_window(window), m_then(std::move(then))
    {
        QCoreApplication::instance()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType() &&
            static_cast<QWidget *>(watched)->window() == &m_window) {
            QCoreApplication::instance()->removeEventFilter(this);
            QTimer::singleShot(0, this, [this]() {
                m_then();
                deleteLater();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget &m_window;
    std::function<void()> m_then;
};

} // namespace

int run(QApplication &app)
{
    app::installTranslations(app, qEnvironmentVariable("LATCHKEY_LANGUAGE"));
    const app::CommandLine command = app::parseCommandLine(app);
    auto options = app::loadOptions(command);
    if (!options) {
        report(options.error().message);
        return app::kExitConfig;
    }
    app::installTranslations(app, options->language);
    // One window per data folder: a second start brings the open one to the front and ends.
    SingleInstance instance(options->dataFolder());
    if (instance.start(command.view) == SingleInstance::Role::HandedOver)
        return app::kExitOk;
    Client client(options.value());
    if (Status opened = client.restore(); !opened) {
        report(errorMessage(opened.error()));
        return opened.error().kind == ErrorKind::Config ? app::kExitConfig : app::kExitFailure;
    }
    QApplication::setApplicationDisplayName(QStringLiteral("Latchkey"));
    MainWindow window(client);
    if (qEnvironmentVariableIntValue("LATCHKEY_BENCH_EXIT_AFTER_PAINT") == 1) {
        // The start-up benchmark (bench/run-startup): the first paint after MainWindow::ready() is
        // the real view. Owned by the window; measures only, changes nothing shown.
        auto *probe = new bench::PaintProbe(window);
        QObject::connect(&window, &MainWindow::ready, probe, &bench::PaintProbe::setReady);
    }
    // The session token's read started in Client's constructor and ran while the database and the
    // window were built; when it answers within a frame, the first thing painted is the real view.
    QObject::connect(&instance, &SingleInstance::activated, &window,
                     [&window](const QString &view) { window.bringToFront(viewFromKey(view)); });
    window.start(viewFromKey(command.view)); // picks the view now, or once the session is restored
    showWhenRestored(window, client);
    // The icon (an SVG: the image plugin and a render) is not needed for the first frame.
    new AfterFirstPaint(window, []() {
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/latchkey.svg")));
    });
    const int code = QApplication::exec();
    // Closed a moment after a sign-in: what the keychain still has to write (the provider tokens
    // are written right after the view is painted) is written before the program ends.
    client.whenIdle(&client, [code]() { QCoreApplication::exit(code); });
    return QApplication::exec();
}

} // namespace latchkey::gui
