#include "lineicons.h"

#include <QAbstractButton>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QWidget>

namespace latchkey::gui {

namespace {

class LineIconEngine : public QIconEngine
{
public:
    LineIconEngine(LineGlyph glyph, const QWidget *widget) : m_glyph(glyph), m_widget(widget) { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette &colours = m_widget->palette();
        const auto *button = qobject_cast<const QAbstractButton *>(m_widget);
        QColor ink = colours.color(button && button->isChecked() ? QPalette::HighlightedText
                                                                 : QPalette::Text);
        if (mode == QIcon::Disabled)
            ink = colours.color(QPalette::Disabled, QPalette::Text);
        drawLineGlyph(*painter, rect, m_glyph, ink);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        return pixmap;
    }

    QIconEngine *clone() const override { return new LineIconEngine(m_glyph, m_widget); }

private:
    LineGlyph m_glyph;
    const QWidget *m_widget;
};

} // namespace

void drawLineGlyph(QPainter &painter, const QRectF &rect, LineGlyph glyph, const QColor &ink)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.translate(rect.topLeft());
    painter.scale(rect.width() / 16.0, rect.height() / 16.0);
    painter.setPen(QPen(ink, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    switch (glyph) {
    case LineGlyph::Home:
        painter.drawPolyline(QPolygonF({{1.5, 8}, {8, 2}, {14.5, 8}}));
        painter.drawPolyline(QPolygonF({{3.5, 6.5}, {3.5, 14}, {12.5, 14}, {12.5, 6.5}}));
        painter.drawRect(QRectF(6.5, 10, 3, 4));
        break;
    case LineGlyph::Grid:
        for (const QPointF corner : {QPointF(2, 2), QPointF(9, 2), QPointF(2, 9), QPointF(9, 9)})
            painter.drawRoundedRect(QRectF(corner, QSizeF(5, 5)), 1, 1);
        break;
    case LineGlyph::Person:
        painter.drawEllipse(QPointF(8, 5.5), 3, 3);
        painter.drawArc(QRectF(2.5, 10, 11, 9), 0, 180 * 16);
        break;
    case LineGlyph::Back:
    case LineGlyph::Forward: {
        const qreal x = glyph == LineGlyph::Back ? 1 : -1; // the arrow points this way
        painter.translate(8, 8);
        painter.scale(x, 1);
        painter.drawLine(QPointF(-5, 0), QPointF(5.5, 0));
        painter.drawPolyline(QPolygonF({{-0.5, -5.5}, {-6, 0}, {-0.5, 5.5}}));
        break;
    }
    case LineGlyph::Info:
    case LineGlyph::Error:
        painter.drawEllipse(QPointF(8, 8), 6.5, 6.5);
        if (glyph == LineGlyph::Info) {
            painter.drawLine(QPointF(8, 7.5), QPointF(8, 11.5));
            painter.drawPoint(QPointF(8, 4.75));
        } else {
            painter.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5));
            painter.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5));
        }
        break;
    case LineGlyph::Warning:
        painter.drawPolygon(QPolygonF({{8, 1.5}, {15, 14}, {1, 14}}));
        painter.drawLine(QPointF(8, 6), QPointF(8, 9.5));
        painter.drawPoint(QPointF(8, 11.75));
        break;
    }
    painter.restore();
}

QIcon themedOrLineIcon(const char *themeName, LineGlyph glyph, const QWidget *widget)
{
    const QIcon themed = QIcon::fromTheme(QLatin1StringView(themeName));
    return themed.isNull() ? QIcon(new LineIconEngine(glyph, widget)) : themed;
}

QPixmap lineGlyphPixmap(LineGlyph glyph, const QColor &ink, int size, qreal dpr)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    drawLineGlyph(painter, QRectF(0, 0, size, size), glyph, ink);
    return pixmap;
}

} // namespace latchkey::gui
