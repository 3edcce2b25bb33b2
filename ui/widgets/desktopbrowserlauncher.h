#pragma once

#include "auth/browserlauncher.h"

namespace latchkey::gui {

/// Opens URLs in the user's default browser through QDesktopServices (the system browser,
/// never an embedded view: RFC 8252 §8.12).
class DesktopBrowserLauncher final : public BrowserLauncher
{
public:
    Status open(const QUrl &url) override;
};

} // namespace latchkey::gui
