#include <latchkey/widgets/desktopbrowserlauncher.h>

#include <QDesktopServices>

namespace latchkey {

Status DesktopBrowserLauncher::open(const QUrl &url)
{
    if (QDesktopServices::openUrl(url))
        return {};
    return Error::make(
            ErrorKind::Protocol, ErrorCode::BrowserFailed,
            QStringLiteral("Your web browser could not be opened. Use \"Copy sign-in link\" "
                           "and paste the link into a browser."));
}

} // namespace latchkey
