#pragma once

// The start-up benchmark's probe, in `latchkey` with LATCHKEY_BENCH_EXIT_AFTER_PAINT=1
// (ui/widgets/guiapp.cpp) and in its floors (bench/barewindow.cpp, bench/necessarywindow.cpp), so
// bench/run-startup compares like with like. It prints:
//
//   latchkey-bench: first-paint-ns <CLOCK_MONOTONIC nanoseconds>   first paint of the window
//   latchkey-bench: ready-paint-ns <CLOCK_MONOTONIC nanoseconds>   first paint once ready
//   latchkey-bench: rss-kib <VmRSS in KiB>                         500 ms after that paint
//   latchkey-bench: pss-kib <Pss in KiB>                           same moment

#include "benchclock.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace latchkey::bench {

/// Prints the paint times of `window` (its own paints and its children's), then, once idle for
/// kIdleMs after the first paint that followed setReady(), the memory readings, and quits with 0.
class PaintProbe : public QObject
{
public:
    /// How long the window stays idle after the ready paint before the memory is read (as in
    /// guiapp.cpp).
    static constexpr int kIdleMs = 500;

    explicit PaintProbe(QWidget &window) : QObject(&window), m_window(window)
    {
        QCoreApplication::instance()->installEventFilter(this);
    }

    /// What the window shows from now on is its real content: the next paint is the ready paint.
    void setReady() { m_ready = true; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || m_done || !watched->isWidgetType() ||
            static_cast<QWidget *>(watched)->window() != &m_window)
            return QObject::eventFilter(watched, event);
        if (!m_firstPaint) {
            m_firstPaint = true;
            std::printf("latchkey-bench: first-paint-ns %lld\n", monotonicNs());
        }
        if (m_ready) {
            m_done = true;
            std::printf("latchkey-bench: ready-paint-ns %lld\n", monotonicNs());
            QTimer::singleShot(kIdleMs, this, []() {
                std::printf("latchkey-bench: rss-kib %lld\n", residentKib());
                std::printf("latchkey-bench: pss-kib %lld\n", proportionalKib());
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        }
        std::fflush(stdout);
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget &m_window;
    bool m_ready = false;
    bool m_firstPaint = false;
    bool m_done = false;
};

} // namespace latchkey::bench
