#include "crashpoint.h"

#ifdef LATCHKEY_CRASH_POINTS

#include <QByteArray>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace latchkey {

void crashPoint(const char *step)
{
    static const QByteArray chosen = qgetenv("LATCHKEY_CRASH_AT");
    if (chosen.isEmpty() || chosen != step)
        return;
    // One line so that a test can tell this kill from any other way of dying; then no cleanup
    // runs at all, as after kill -9.
    std::fprintf(stderr, "crash point %s reached\n", step);
    std::fflush(stderr);
    ::kill(::getpid(), SIGKILL);
}

} // namespace latchkey

#endif
