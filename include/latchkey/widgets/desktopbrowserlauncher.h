#pragma once

#include <latchkey/browserlauncher.h>

namespace latchkey {

/// Opens authorization URLs with QDesktopServices::openUrl: the user's default browser, as the
/// desktop knows it (xdg-open on Linux). Needs a QGuiApplication.
class LATCHKEY_WIDGETS_EXPORT DesktopBrowserLauncher final : public BrowserLauncher
{
public:
    Status open(const QUrl &url) override;
};

} // namespace latchkey
