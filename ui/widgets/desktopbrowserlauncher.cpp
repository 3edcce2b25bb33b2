#include "desktopbrowserlauncher.h"

#include <QCoreApplication>
#include <QDesktopServices>

namespace latchkey::gui {

Status DesktopBrowserLauncher::open(const QUrl &url)
{
    if (QDesktopServices::openUrl(url))
        return {};
    return Error::make(ErrorKind::Protocol,
                       QCoreApplication::translate(
                               "DesktopBrowserLauncher",
                               "Your web browser could not be opened. Use \"Copy sign-in link\" "
                               "and paste the link into a browser."));
}

} // namespace latchkey::gui
