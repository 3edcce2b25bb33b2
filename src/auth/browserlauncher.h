#pragma once

#include "core/result.h"

#include <QUrl>

namespace latchkey {

/// Opens a URL in the user's own browser. The library never opens a browser itself (DESIGN.md §2;
/// RFC 8252 §8.12: system browser only, never an embedded web view): the window's launcher calls
/// QDesktopServices::openUrl, the command line may only print the URL, tests plug in a driver.
class BrowserLauncher
{
public:
    virtual ~BrowserLauncher() = default;
    /// Asks the system to open `url`. An error says the browser could not be started; the user
    /// can still copy the URL.
    virtual Status open(const QUrl &url) = 0;
};

} // namespace latchkey
