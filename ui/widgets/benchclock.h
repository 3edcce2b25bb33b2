#pragma once

// The two readings of the start-up benchmark (bench/run-startup), shared by `latchkey`
// (LATCHKEY_BENCH_EXIT_AFTER_PAINT=1, ui/widgets/guiapp.cpp) and the bare-window baseline
// (bench/barewindow.cpp), so both are measured the same way. Header-only: the baseline links no
// Latchkey code.

#include <QByteArray>
#include <QFile>

#include <ctime>

namespace latchkey::bench {

/// CLOCK_MONOTONIC now, in nanoseconds (the clock bench/run-startup reads at spawn).
inline long long monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<long long>(now.tv_sec) * 1'000'000'000LL + now.tv_nsec;
}

/// VmRSS from /proc/self/status in KiB, or -1.
inline long long residentKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace latchkey::bench
