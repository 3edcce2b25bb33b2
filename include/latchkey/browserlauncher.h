#pragma once

#include <latchkey/error.h>

#include <QUrl>

namespace latchkey {

/// Opens a URL in the user's own browser. The library never opens a browser itself (RFC 8252
/// §8.12: the system browser, never an embedded web view): Latchkey::Widgets'
/// DesktopBrowserLauncher calls QDesktopServices::openUrl, a command line may only print the URL,
/// tests plug in a driver.
class LATCHKEY_EXPORT BrowserLauncher
{
public:
    virtual ~BrowserLauncher();
    /// Asks the system to open `url`. An error says the browser could not be started; the user
    /// can still copy the URL (Client::authorizationUrl()).
    virtual Status open(const QUrl &url) = 0;
};

} // namespace latchkey
