#pragma once

// Shared pieces of bench_signin: the clock, a sleep-free wait, the output lines, the per-run
// options, the client and window set-up, and the Probe that sees paints and loopback traffic from
// outside the library.

#include <latchkey/client.h>
#include <latchkey/options.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

class QStackedWidget;
class QWidget;

namespace latchkey::gui {
class MainWindow;
}

namespace latchkey::bench {

/// "Not yet measured" for a timestamp.
constexpr qint64 kUnset = -1;

/// CLOCK_MONOTONIC now, in nanoseconds (std::chrono::steady_clock on Linux).
qint64 nowNs();

/// Runs the event loop until `done()` returns true or `timeoutMs` elapsed; true when done. It
/// blocks in the event dispatcher and never sleeps, so a timestamp taken in a handler is the
/// moment the event was delivered (QTest::qWaitFor sleeps 10 ms between polls).
bool waitFor(const std::function<bool()> &done, int timeoutMs);

/// Lets the event loop run for `ms` milliseconds (outside measured spans only).
void settle(int ms);

/// The value of a variable tests/harness/with-services exports; exits with status 2 when absent.
QString harnessValue(const char *name);

/// Prints one measurement to stdout as `latchkey-bench: <scenario> <run> <metric> <ms>`, the
/// line bench/run-signin reads. Does nothing when either end was not measured.
void report(const QString &scenario, int run, const QString &metric, qint64 fromNs, qint64 toNs);

/// Prints `bench_signin: <message>` to stderr and exits with status 2 (a failed run).
[[noreturn]] void fail(const QString &message);

/// A private data directory, config directory and keychain service for one run, so every run
/// starts signed out with an empty SQLite file (the first sign-in of a new user).
class RunHome
{
public:
    /// `name` tells runs apart in the keychain service ("email-3").
    explicit RunHome(const QString &name);
    ~RunHome();

    /// The Options for this home, read by Options::fromConfig as the app reads them: SMTP with
    /// STARTTLS and the harness CA (the way a real provider is reached), plus `extra` KEY=value
    /// pairs (the OIDC provider).
    Options options(const QStringList &extra = {}) const;
    /// A path inside the home.
    QString filePath(const QString &name) const;
    /// The keychain service of this run.
    QString service() const { return m_service; }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_service;
};

/// A Client for `options`, restored (reading the keychain) as the latchkey executable does it.
std::unique_ptr<Client> makeClient(const Options &options);

/// Shows `window`, waits until it is exposed, starts it asking for the Dashboard (signed out:
/// sign-in first, then the Dashboard) and waits for the sign-in widget's first page, which it
/// returns (Latchkey::Widgets' private SignInPage).
QWidget *openSignIn(gui::MainWindow &window);

/// The window's own stack ("mainStack": Loading, the sign-in widget, Home, Dashboard, Profile).
QStackedWidget *mainStack(gui::MainWindow &window);
/// The sign-in widget's stack inside the window ("signInStack": the sign-in, "Check your email"
/// and "Waiting for your browser" pages).
QStackedWidget *signInStack(gui::MainWindow &window);

/// Watches the whole application (an event filter on the QApplication) for the two moments the
/// library does not signal: the first paint of a page, and the first bytes a browser or HTTP
/// client delivers to the loopback listener. Reads events only; changes nothing.
class Probe : public QObject
{
    Q_OBJECT

public:
    explicit Probe(QObject *parent = nullptr);
    ~Probe() override;

    /// From now on, records the first QEvent::Paint delivered to `page` or a widget inside it
    /// (null: forgets the last paint and watches nothing).
    void watchPaint(QWidget *page);
    /// When `page` (or a child) was first painted since watchPaint(), or kUnset.
    qint64 paintedNs() const { return m_paintedNs; }

    /// From now on, records the first connection a QTcpServer of this process accepts and the
    /// first request bytes one of its accepted sockets receives (QEvent::SockAct on their read
    /// notifiers, delivered before the listener's own slots run). The only QTcpServer in the
    /// process is the sign-in flow's LoopbackListener.
    void watchListener();
    /// When the listener's socket became readable for a new connection, or kUnset.
    qint64 acceptedNs() const { return m_acceptedNs; }
    /// When the first request bytes reached an accepted connection, or kUnset.
    qint64 requestNs() const { return m_requestNs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onSocketActivated(QObject *notifier, qint64 at);

    QPointer<QWidget> m_page;
    qint64 m_paintedNs = kUnset;
    bool m_watchListener = false;
    qint64 m_acceptedNs = kUnset;
    qint64 m_requestNs = kUnset;
};

} // namespace latchkey::bench
