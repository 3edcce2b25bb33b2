#pragma once

// The window's own colours, derived from the palette so they read in light and dark themes
// (Qt 6.4's QPalette has no error or warning role).

#include <QColor>
#include <QPalette>

namespace latchkey::gui {

/// True when `palette` is a dark theme.
inline bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

/// A red for error text that reads on `palette`'s window colour.
inline QColor errorColour(const QPalette &palette)
{
    return QColor::fromHsl(4, 200, isDark(palette) ? 175 : 95);
}

/// An amber for a warning banner's edge, and its background: the window colour tinted with it.
inline QColor warningColour(const QPalette &palette)
{
    return QColor::fromHsl(42, 230, isDark(palette) ? 110 : 130);
}
inline QColor warningBackground(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor amber = warningColour(palette);
    const auto mix = [](int a, int b) { return (a * 4 + b) / 5; };
    return QColor(mix(window.red(), amber.red()), mix(window.green(), amber.green()),
                  mix(window.blue(), amber.blue()));
}

} // namespace latchkey::gui
