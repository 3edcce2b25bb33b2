#pragma once

// The readings of the start-up benchmark (bench/run-startup), shared by `latchkey`
// (LATCHKEY_BENCH_EXIT_AFTER_PAINT=1, ui/widgets/guiapp.cpp) and the floors it is compared with
// (bench/barewindow.cpp, bench/necessarywindow.cpp), so all are measured the same way. Header-only:
// the floors link no Latchkey code.

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

/// The KiB value of the first line of `path` that starts with `field` (e.g. "VmRSS:"), or -1.
inline long long kibField(const QString &path, const QByteArray &field)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/// VmRSS from /proc/self/status in KiB, or -1.
inline long long residentKib()
{
    return kibField(QStringLiteral("/proc/self/status"), QByteArrayLiteral("VmRSS:"));
}

/// Pss from /proc/self/smaps_rollup in KiB, or -1: the resident pages with each shared page
/// divided among the processes that map it, so the Qt libraries every Qt program maps count less
/// than in VmRSS when another Qt process runs.
inline long long proportionalKib()
{
    return kibField(QStringLiteral("/proc/self/smaps_rollup"), QByteArrayLiteral("Pss:"));
}

} // namespace latchkey::bench
