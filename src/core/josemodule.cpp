#include "josemodule.h"

#include "core/module.h"

namespace latchkey::joseapi {

Result<const Api *> api()
{
#ifdef LATCHKEY_JOSE_STATIC
    // The fuzz build links the module's code into each fuzzer (tests/fuzz/CMakeLists.txt).
    return latchkey_jose_module();
#else
    auto entry = module::entry("jose");
    if (!entry)
        return entry.error();
    using EntryPoint = const Api *(*)();
    const Api *found = reinterpret_cast<EntryPoint>(entry.value())();
    if (!found || found->version != kVersion) {
        const QString file = module::fileName("jose");
        Error error = Error::make(ErrorKind::Config, ErrorCode::ModuleMissing,
                                  QStringLiteral("Module %1 is missing or broken.").arg(file),
                                  QStringLiteral("module_version"));
        error.subject = file;
        return error;
    }
    return found;
#endif
}

} // namespace latchkey::joseapi
