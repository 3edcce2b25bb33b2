#pragma once

// Colours derived from a palette so text stays readable in light, dark and high-contrast themes
// (Qt 6.4's QPalette has no error or warning role). Header-only: the sign-in pages here and the
// app's window (ui/) use the same rules.

#include <QColor>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace latchkey::colours {

/// WCAG 2.x success criterion 1.4.3 (AA): normal text needs this contrast with its background.
constexpr double kMinimumContrast = 4.5;

/// The relative luminance of `colour` (WCAG 2.x definition: linearised sRGB, weighted).
inline double relativeLuminance(const QColor &colour)
{
    const auto linear = [](double channel) {
        return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF()) +
            0.0722 * linear(rgb.blueF());
}

/// The WCAG 2.x contrast ratio of two colours, from 1 (same) to 21 (black on white).
inline double contrastRatio(const QColor &a, const QColor &b)
{
    // By value: std::minmax of two temporaries returns references to them.
    const double first = relativeLuminance(a);
    const double second = relativeLuminance(b);
    return (std::max(first, second) + 0.05) / (std::min(first, second) + 0.05);
}

/// True when `palette` is a dark theme.
inline bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

/// `colour` made lighter or darker, keeping its hue and saturation, until it has at least
/// `minimum` contrast with `background`: the smallest change that reads.
inline QColor readableOn(const QColor &colour, const QColor &background,
                         double minimum = kMinimumContrast)
{
    const QColor hsl = colour.toHsl();
    // Towards white on a dark background, towards black on a light one. White and black have
    // the same contrast on a background of luminance 0.179 (1.05 / (L + 0.05) = (L + 0.05) / 0.05).
    const bool lighten = relativeLuminance(background) < 0.179;
    QColor candidate = hsl;
    for (int lightness = hsl.lightness(); lightness >= 0 && lightness <= 255;
         lightness += lighten ? 5 : -5) {
        candidate = QColor::fromHsl(hsl.hslHue(), hsl.hslSaturation(), lightness);
        if (contrastRatio(candidate, background) >= minimum)
            return candidate;
    }
    return QColor::fromHsl(hsl.hslHue(), hsl.hslSaturation(), lighten ? 255 : 0);
}

/// `over` laid on `base` with opacity `amount` (0..1).
inline QColor blend(const QColor &base, const QColor &over, double amount)
{
    const auto mix = [amount](double a, double b) { return a + (b - a) * amount; };
    return QColor::fromRgbF(float(mix(base.redF(), over.redF())),
                            float(mix(base.greenF(), over.greenF())),
                            float(mix(base.blueF(), over.blueF())));
}

/// A red for error text that reads (WCAG AA) on `palette`'s window colour.
inline QColor errorColour(const QPalette &palette)
{
    return readableOn(QColor::fromHsl(4, 200, 120), palette.color(QPalette::Window));
}

} // namespace latchkey::colours
