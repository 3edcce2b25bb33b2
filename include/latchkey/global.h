#pragma once

// Export macros and the library version. Everything in namespace latchkey that these headers
// declare is public API; the rest of the library is built with hidden visibility.

#include <QtGlobal>

#if defined(LATCHKEY_STATIC)
#define LATCHKEY_EXPORT
#elif defined(LATCHKEY_BUILDING_CORE)
#define LATCHKEY_EXPORT Q_DECL_EXPORT
#else
#define LATCHKEY_EXPORT Q_DECL_IMPORT
#endif

#if defined(LATCHKEY_STATIC)
#define LATCHKEY_WIDGETS_EXPORT
#elif defined(LATCHKEY_BUILDING_WIDGETS)
#define LATCHKEY_WIDGETS_EXPORT Q_DECL_EXPORT
#else
#define LATCHKEY_WIDGETS_EXPORT Q_DECL_IMPORT
#endif

class QString;

namespace latchkey {

/// The version of the Latchkey library the program runs with ("0.2.0").
LATCHKEY_EXPORT QString version();

} // namespace latchkey
