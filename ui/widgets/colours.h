#pragma once

// The window's own colours, derived from the palette so they read in light, dark and
// high-contrast themes: every text colour here has WCAG AA contrast (4.5:1) with the background
// it is drawn on (readablecolours.h, shared with the sign-in pages).

#include "readablecolours.h"

#include <QColor>
#include <QPalette>

namespace latchkey::gui {

using colours::contrastRatio;
using colours::errorColour;
using colours::isDark;
using colours::kMinimumContrast;

/// How serious a banner message is: its colour, icon and whether it is announced.
enum class Severity { Info, Warning, Error };

/// The colours of one banner row.
struct BannerColours
{
    QColor background; ///< the window colour tinted with the severity's hue
    QColor text; ///< the palette's text colour, adjusted to read on `background`
    QColor edge; ///< the severity's hue, for the row's leading stripe
    QColor icon; ///< the severity's hue for the row's icon, at 3:1 on `background` (WCAG 1.4.11)
};

/// The hue of a severity (blue, amber, red): only the hue is fixed, lightness follows the palette.
inline int severityHue(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return 210;
    case Severity::Warning:
        return 40;
    case Severity::Error:
        break;
    }
    return 4;
}

/// The colours of a banner row of `severity` on `palette`.
inline BannerColours bannerColours(const QPalette &palette, Severity severity)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor hue = QColor::fromHsl(severityHue(severity), 200, isDark(palette) ? 150 : 120);
    BannerColours result;
    result.background = colours::blend(window, hue, 0.18);
    result.text = colours::readableOn(palette.color(QPalette::WindowText), result.background);
    result.edge = hue;
    result.icon = colours::readableOn(hue, result.background, 3.0);
    return result;
}

} // namespace latchkey::gui
