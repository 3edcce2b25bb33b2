#include "itemdelegate.h"

#include "itemlistmodels.h"

#include <QApplication>
#include <QPainter>

namespace latchkey::gui {

namespace {

constexpr int kPadding = 6; // around a row and between its parts, in device-independent pixels
constexpr int kBadgePadding = 6; // left and right of a badge's text

/// The second line's font: the view's, a little smaller.
QFont secondaryFont(const QFont &font)
{
    QFont smaller = font;
    if (font.pointSizeF() > 0)
        smaller.setPointSizeF(font.pointSizeF() * 0.9);
    else
        smaller.setPixelSize(std::max(1, font.pixelSize() * 9 / 10));
    return smaller;
}

QFont badgeFont(const QFont &font)
{
    QFont bold = secondaryFont(font);
    bold.setBold(true);
    return bold;
}

/// The icon's side: the view's icon size, or nothing when the view shows no icons.
int iconSide(const QStyleOptionViewItem &option)
{
    return option.decorationSize.isValid() ? option.decorationSize.height() : 0;
}

} // namespace

QSize ItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics title(option.font);
    const QFontMetrics second(secondaryFont(option.font));
    const int text = title.height() + second.height();
    const int height = std::max(text, iconSide(option)) + 2 * kPadding;
    const int width = title.horizontalAdvance(index.data(Qt::DisplayRole).toString());
    return {width + iconSide(option) + 3 * kPadding, height};
}

void ItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    QStyleOptionViewItem panel = option;
    initStyleOption(&panel, index);
    panel.text.clear();
    panel.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &panel, painter, widget); // background, focus

    const bool selected = option.state & QStyle::State_Selected;
    const QRect area = option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    const int side = iconSide(option);
    const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
    if (!icon.isNull()) {
        const QRect iconRect(area.left(), area.center().y() - side / 2 + 1, side, side);
        icon.paint(painter, iconRect, Qt::AlignCenter,
                   option.state & QStyle::State_Enabled ? QIcon::Normal : QIcon::Disabled);
    }
    const int textLeft = area.left() + (side > 0 ? side + kPadding : 0);
    const QFontMetrics titleMetrics(option.font);
    const QFont second = secondaryFont(option.font);
    const int textHeight = titleMetrics.height() + QFontMetrics(second).height();
    const int top = area.center().y() - textHeight / 2 + 1;
    QRect titleLine(textLeft, top, area.right() - textLeft, titleMetrics.height());
    const QRect secondLine(textLeft, titleLine.bottom() + 1, titleLine.width(),
                           QFontMetrics(second).height());

    painter->save();
    const QPalette::ColorGroup group =
            option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text =
            option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QString badge = index.data(BadgeRole).toString();
    if (!badge.isEmpty())
        titleLine = paintBadge(painter, option, titleLine, badge);
    painter->setPen(text);
    painter->setFont(option.font);
    painter->drawText(
            titleLine, Qt::AlignLeft | Qt::AlignVCenter,
            titleMetrics.elidedText(index.data().toString(), Qt::ElideRight, titleLine.width()));
    painter->setFont(second);
    // The second line is quieter than the title, except on a selection, where it must read.
    painter->setPen(selected ? text : option.palette.color(group, QPalette::PlaceholderText));
    painter->drawText(secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(second).elidedText(index.data(SecondaryTextRole).toString(),
                                                      Qt::ElideRight, secondLine.width()));
    painter->restore();
}

QRect ItemDelegate::paintBadge(QPainter *painter, const QStyleOptionViewItem &option,
                               const QRect &line, const QString &badge) const
{
    const QFont font = badgeFont(option.font);
    const QFontMetrics metrics(font);
    const int width = metrics.horizontalAdvance(badge) + 2 * kBadgePadding;
    const QRect pill(line.right() - width, line.top(), width, line.height());
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    // On a selected row (itself in the highlight colour) the pill turns the other way round.
    const bool selected = option.state & QStyle::State_Selected;
    painter->setBrush(
            option.palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight));
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(
            option.palette.color(selected ? QPalette::Highlight : QPalette::HighlightedText));
    painter->setFont(font);
    painter->drawText(pill, Qt::AlignCenter, badge);
    return line.adjusted(0, 0, -(width + kPadding), 0);
}

} // namespace latchkey::gui
