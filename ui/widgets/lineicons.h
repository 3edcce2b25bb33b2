#pragma once

#include <QIcon>

class QColor;
class QPainter;
class QPixmap;
class QRectF;
class QWidget;

namespace latchkey::gui {

/// The window's own icons, for a desktop theme that lacks one: a few strokes on a 16×16 grid,
/// drawn at any size and in any colour. (The style's fallback icons are image files, and reading
/// them makes Qt load every image format plugin at start.)
enum class LineGlyph { Home, Grid, Person, Back, Forward, Info, Warning, Error };

/// Draws `glyph` in `ink`, filling `rect`.
void drawLineGlyph(QPainter &painter, const QRectF &rect, LineGlyph glyph, const QColor &ink);

/// The desktop theme's icon `themeName`, else `glyph` drawn in `widget`'s text colour (the
/// selection's text colour while it is a checked button), read at every paint so it follows
/// the palette. `widget` must outlive the icon.
QIcon themedOrLineIcon(const char *themeName, LineGlyph glyph, const QWidget *widget);

/// `glyph` in `ink`, `size` logical pixels square at device pixel ratio `dpr`.
QPixmap lineGlyphPixmap(LineGlyph glyph, const QColor &ink, int size, qreal dpr);

} // namespace latchkey::gui
