#pragma once

#include <QStyledItemDelegate>

namespace latchkey::gui {

/// Paints an ItemListModel row on two lines: the icon, the title with its badge ("This session")
/// at the end, and the second line in the palette's placeholder colour below. Only palette roles:
/// it reads in light and dark themes.
class ItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    /// Draws `badge` right-aligned in `line`; returns the room left for the title.
    QRect paintBadge(QPainter *painter, const QStyleOptionViewItem &option, const QRect &line,
                     const QString &badge) const;
};

} // namespace latchkey::gui
