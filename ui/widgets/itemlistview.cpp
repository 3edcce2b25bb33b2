#include "itemlistview.h"

#include "itemdelegate.h"

#include <QPainter>

namespace latchkey::gui {

namespace {

constexpr int kIconSide = 28; // a row's icon, in device-independent pixels
constexpr int kEmptyTextMargin = 8; // around the empty list's sentence

} // namespace

ItemListView::ItemListView(QWidget *parent) : QListView(parent)
{
    setItemDelegate(new ItemDelegate(this));
    setIconSize(QSize(kIconSide, kIconSide));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // rows elide instead
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
}

void ItemListView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    updateEmptyState();
}

void ItemListView::setVisibleRows(int minimum, int maximum)
{
    m_minimumRows = minimum;
    m_maximumRows = std::max(minimum, maximum);
    updateGeometry();
}

void ItemListView::setModel(QAbstractItemModel *model)
{
    QListView::setModel(model);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &ItemListView::updateEmptyState);
    connect(model, &QAbstractItemModel::modelReset, this, &ItemListView::updateEmptyState);
    updateEmptyState();
}

QSize ItemListView::sizeHint() const
{
    const int rows = model() ? model()->rowCount() : 0;
    return {QListView::sizeHint().width(),
            heightFor(std::clamp(rows, m_minimumRows, m_maximumRows))};
}

QSize ItemListView::minimumSizeHint() const
{
    return {QListView::minimumSizeHint().width(), heightFor(m_minimumRows)};
}

void ItemListView::paintEvent(QPaintEvent *event)
{
    QListView::paintEvent(event);
    if (!isEmpty())
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(kEmptyTextMargin, kEmptyTextMargin,
                                                 -kEmptyTextMargin, -kEmptyTextMargin),
                     Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
}

bool ItemListView::isEmpty() const { return !model() || model()->rowCount() == 0; }

int ItemListView::rowHeight() const
{
    if (!isEmpty())
        return sizeHintForRow(0);
    // No row to measure: the height of one, as ItemDelegate lays it out (two lines of text).
    return std::max(2 * fontMetrics().height(), iconSize().height()) + 2 * kEmptyTextMargin;
}

int ItemListView::heightFor(int rows) const { return rows * rowHeight() + 2 * frameWidth(); }

void ItemListView::updateEmptyState()
{
    setAccessibleDescription(isEmpty() ? m_placeholder : QString());
    updateGeometry();
    viewport()->update();
}

} // namespace latchkey::gui
