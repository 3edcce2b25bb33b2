// bench_barewindow: the baseline of the start-up benchmark (bench/run-startup).
//
// The smallest Qt Widgets program with a window of the app's size: a QWidget with a QLabel. On the
// window's first paint it prints the CLOCK_MONOTONIC time (the runner subtracts its spawn time,
// read from the same clock), waits until the window is idle, prints its resident set size and
// exits. The output lines are the ones `latchkey` prints with LATCHKEY_BENCH_EXIT_AFTER_PAINT=1
// (ui/widgets/guiapp.cpp):
//
//   latchkey-bench: first-paint-ns <CLOCK_MONOTONIC nanoseconds>
//   latchkey-bench: ready-paint-ns <CLOCK_MONOTONIC nanoseconds>
//   latchkey-bench: rss-kib <VmRSS in KiB>

#include "widgets/benchclock.h"

#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <cstdio>

namespace {

using latchkey::bench::monotonicNs;
using latchkey::bench::residentKib;

/// How long the window stays idle after its first paint before the RSS is read.
constexpr int kIdleMs = 500;

/// Prints the paint time on the window's first paint, then the RSS once idle, then quits.
class FirstPaintProbe : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            const long long paintedAt = monotonicNs();
            std::printf("latchkey-bench: first-paint-ns %lld\n", paintedAt);
            std::printf("latchkey-bench: ready-paint-ns %lld\n", paintedAt);
            std::fflush(stdout);
            QTimer::singleShot(kIdleMs, this, []() {
                std::printf("latchkey-bench: rss-kib %lld\n", residentKib());
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_painted = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QWidget window;
    window.setWindowTitle(QStringLiteral("bench_barewindow"));
    window.resize(720, 560); // the size of latchkey's MainWindow
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(new QLabel(QStringLiteral("Hello from a bare Qt Widgets window"), &window));
    FirstPaintProbe probe;
    window.installEventFilter(&probe);
    window.show();
    return QApplication::exec();
}
