#pragma once

// Result<T>, Status and Error are public API (include/latchkey/error.h); the library's own code
// includes this header.
#include <latchkey/error.h>
