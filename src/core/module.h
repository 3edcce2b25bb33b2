#pragma once

// Modules: the parts of the library that need a large dependency only for one task are built as
// small shared objects and loaded the first time that task runs (docs/architecture.md, "Modules"):
// a start-up never maps libcurl, cjose or libcrypto. Each module exports one C function,
// `latchkey_<name>_module`, that returns its interface; the library wraps it behind the same class
// it always had (the Mailer, the ID token validator).
//
// Where they are: liblatchkey-<name>.so is found through the RUNPATH of the object that loads it
// (the build tree's `modules/` while building, `<libdir>/latchkey/` once installed), or in
// LATCHKEY_MODULE_DIR when that is set (tests point it at an empty directory to see a missing
// module). A module that is missing or lacks its entry point is a ModuleMissing error naming the
// file, never a crash.
#include "core/result.h"

namespace latchkey::module {

/// The file a module is loaded from: "liblatchkey-<name>.so".
QString fileName(const char *name);

/// Loads module `name` once per process (it is never unloaded) and returns its entry point, the
/// address of `latchkey_<name>_module`; ModuleMissing when the file or the symbol is not there.
/// Thread-safe.
Result<void *> entry(const char *name);

/// The ModuleMissing error for module `name`; `reason` is for logs (the loader's message).
Error missing(const char *name, const QString &reason);

/// Module `name`'s interface: what its entry point returns, once it is loaded and its `version`
/// member equals `version` (a module from another build is as good as missing).
template<typename Interface>
Result<const Interface *> interfaceOf(const char *name, int version)
{
    auto found = entry(name);
    if (!found)
        return found.error();
    const Interface *api = reinterpret_cast<const Interface *(*)()>(found.value())();
    if (!api || api->version != version)
        return missing(name, QStringLiteral("from another build"));
    return api;
}

/// Whether module `name` is mapped into this process (tests: nothing is loaded at start).
bool isLoaded(const char *name);

} // namespace latchkey::module
