#include "josemodule.h"

#include "core/module.h"

namespace latchkey::joseapi {

Result<const Api *> api()
{
#ifdef LATCHKEY_JOSE_STATIC
    // The fuzz build links the module's code into each fuzzer (tests/fuzz/CMakeLists.txt).
    return latchkey_jose_module();
#else
    return module::interfaceOf<Api>("jose", kVersion);
#endif
}

} // namespace latchkey::joseapi
