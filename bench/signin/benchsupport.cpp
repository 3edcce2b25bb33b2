#include "benchsupport.h"

#include "signinpages.h"
#include "widgets/mainwindow.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEvent>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QStackedWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWidget>
#include <QWindow>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace latchkey::bench {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QTimer wake; // a timer event now and then, so a blocked dispatcher sees the deadline
    wake.start(50);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

void settle(int ms)
{
    const QDeadlineTimer deadline(ms);
    (void)waitFor([&deadline]() { return deadline.hasExpired(); }, ms + 100);
}

QString harnessValue(const char *name)
{
    const QString value = qEnvironmentVariable(name);
    if (value.isEmpty())
        fail(u"%1 is not set: run inside tests/harness/with-services (bench/run-signin does)"_s.arg(
                QString::fromLatin1(name)));
    return value;
}

void report(const QString &scenario, int run, const QString &metric, qint64 fromNs, qint64 toNs)
{
    if (fromNs == kUnset || toNs == kUnset)
        return;
    std::printf("latchkey-bench: %s %d %s %.3f\n", qPrintable(scenario), run, qPrintable(metric),
                double(toNs - fromNs) / 1e6);
    std::fflush(stdout);
}

void fail(const QString &message)
{
    std::fprintf(stderr, "bench_signin: %s\n", qPrintable(message));
    std::fflush(stderr);
    std::exit(2);
}

RunHome::RunHome(const QString &name)
{
    const QString root = qEnvironmentVariable("LATCHKEY_TEST_TMP");
    m_dir = root.isEmpty() ? std::make_unique<QTemporaryDir>()
                           : std::make_unique<QTemporaryDir>(root + u"/bench-signin-XXXXXX"_s);
    if (!m_dir->isValid())
        fail(u"cannot create a temporary directory: "_s + m_dir->errorString());
    m_service = u"latchkey-bench-signin-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(name);
}

RunHome::~RunHome() = default;

QString RunHome::filePath(const QString &name) const { return m_dir->filePath(name); }

Options RunHome::options(const QStringList &extra) const
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, m_dir->path());
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"config"_s));
    env.insert(u"LATCHKEY_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    env.insert(u"LATCHKEY_KEYCHAIN_SERVICE"_s, m_service);
    env.insert(u"EMAIL_SERVER"_s,
               u"smtp://127.0.0.1:%1"_s.arg(harnessValue("LATCHKEY_TEST_SMTP_STARTTLS_PORT")));
    env.insert(u"EMAIL_CA_FILE"_s, harnessValue("LATCHKEY_TEST_CA_FILE"));
    env.insert(u"EMAIL_USERNAME"_s, harnessValue("LATCHKEY_TEST_SMTP_USER"));
    env.insert(u"EMAIL_PASSWORD"_s, harnessValue("LATCHKEY_TEST_SMTP_PASSWORD"));
    env.insert(u"EMAIL_FROM"_s, u"Latchkey <no-reply@example.com>"_s);
    for (const QString &pair : extra)
        env.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    auto loaded = Options::fromConfig({{}, {}, env});
    if (!loaded)
        fail(u"configuration: "_s + loaded.error().message);
    return loaded.value();
}

std::unique_ptr<Client> makeClient(const Options &options)
{
    auto client = std::make_unique<Client>(options);
    if (Status opened = client->restore(); !opened)
        fail(u"client: "_s + opened.error().message);
    return client;
}

QStackedWidget *mainStack(gui::MainWindow &window)
{
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    if (!stack)
        fail(u"the window has no \"mainStack\""_s);
    return stack;
}

QStackedWidget *signInStack(gui::MainWindow &window)
{
    auto *stack = window.findChild<QStackedWidget *>(u"signInStack"_s);
    if (!stack)
        fail(u"the window has no sign-in widget (\"signInStack\")"_s);
    return stack;
}

QWidget *openSignIn(gui::MainWindow &window)
{
    constexpr int kShowMs = 10000;
    QStackedWidget *outer = mainStack(window);
    QStackedWidget *inner = signInStack(window);
    auto *page = window.findChild<SignInPage *>();
    if (!page)
        fail(u"the window has no sign-in page"_s);
    window.show();
    if (!waitFor(
                [&window]() { return window.windowHandle() && window.windowHandle()->isExposed(); },
                kShowMs))
        fail(u"the window was never exposed (is DISPLAY an X server?)"_s);
    window.start(gui::View::Dashboard); // signed out: sign-in first, then the Dashboard
    if (!waitFor(
                [outer, inner, page]() {
                    return outer->currentWidget() && outer->currentWidget()->isAncestorOf(inner) &&
                            inner->currentWidget() == page;
                },
                kShowMs))
        fail(u"the sign-in page did not show"_s);
    return page;
}

Probe::Probe(QObject *parent) : QObject(parent)
{
    QCoreApplication::instance()->installEventFilter(this);
}

Probe::~Probe()
{
    if (QCoreApplication::instance())
        QCoreApplication::instance()->removeEventFilter(this);
}

void Probe::watchPaint(QWidget *page)
{
    m_page = page;
    m_paintedNs = kUnset;
}

void Probe::watchListener()
{
    m_watchListener = true;
    m_acceptedNs = kUnset;
    m_requestNs = kUnset;
}

bool Probe::eventFilter(QObject *watched, QEvent *event)
{
    // Timestamp first, look second: the filter runs before the receiver handles the event.
    if (event->type() == QEvent::Paint) {
        if (m_page && m_paintedNs == kUnset && watched->isWidgetType()) {
            auto *widget = static_cast<QWidget *>(watched);
            if (widget == m_page || m_page->isAncestorOf(widget))
                m_paintedNs = nowNs();
        }
    } else if (event->type() == QEvent::SockAct && m_watchListener) {
        onSocketActivated(watched, nowNs());
    }
    return QObject::eventFilter(watched, event);
}

void Probe::onSocketActivated(QObject *notifier, qint64 at)
{
    // QNativeSocketEngine parents its notifiers to itself; the engine's parent is the QTcpServer
    // (a listening socket) or the QAbstractSocket (a connection, whose parent is the server that
    // accepted it).
    auto *socketNotifier = qobject_cast<QSocketNotifier *>(notifier);
    if (!socketNotifier || socketNotifier->type() != QSocketNotifier::Read || !notifier->parent())
        return;
    QObject *owner = notifier->parent()->parent();
    if (!owner)
        return;
    if (qobject_cast<QTcpServer *>(owner)) {
        if (m_acceptedNs == kUnset)
            m_acceptedNs = at;
    } else if (qobject_cast<QTcpSocket *>(owner) && qobject_cast<QTcpServer *>(owner->parent())) {
        if (m_requestNs == kUnset)
            m_requestNs = at;
    }
}

} // namespace latchkey::bench
