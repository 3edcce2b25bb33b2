#pragma once

/// Crash points: named steps of a sign-in or sign-out where a test build can kill its own process
/// with SIGKILL, exactly as `kill -9` would, to prove that the next start finds a consistent state
/// (docs/security.md, crash consistency). Built only with the CMake option LATCHKEY_CRASH_POINTS
/// (on in the dev, ci and asan presets, off in release): there the process dies at the step named
/// by the environment variable LATCHKEY_CRASH_AT. Elsewhere crashPoint() is an empty inline
/// function.
namespace latchkey {

#ifdef LATCHKEY_CRASH_POINTS
/// Kills this process with SIGKILL when LATCHKEY_CRASH_AT equals `step`.
void crashPoint(const char *step);
#else
inline void crashPoint(const char *) { }
#endif

} // namespace latchkey
