#pragma once

#include "core/joseapi.h"
#include "core/result.h"

namespace latchkey::joseapi {

/// The `jose` module's functions, loading liblatchkey-jose.so on the first call (core/module.h).
/// ModuleMissing (kind Config, naming the file) when it is missing, broken or of another version:
/// whatever needed it then fails — no token is accepted without it.
Result<const Api *> api();

} // namespace latchkey::joseapi
