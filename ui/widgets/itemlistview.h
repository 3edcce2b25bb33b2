#pragma once

#include <QListView>

namespace latchkey::gui {

/// A list of ItemListModel rows drawn by ItemDelegate (two lines each). While the list is empty it
/// says what will appear there (placeholderText(), also its accessible description). It asks for
/// room for between minimumRows() and maximumRows() rows; the rest scrolls.
class ItemListView : public QListView
{
    Q_OBJECT

public:
    explicit ItemListView(QWidget *parent = nullptr);

    /// The sentence shown while the list is empty.
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }
    /// The rows the view asks room for: at least `minimum`, at most `maximum`.
    void setVisibleRows(int minimum, int maximum);
    int minimumRows() const { return m_minimumRows; }
    int maximumRows() const { return m_maximumRows; }

    void setModel(QAbstractItemModel *model) override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    bool isEmpty() const;
    int rowHeight() const;
    int heightFor(int rows) const;
    void updateEmptyState();

    QString m_placeholder;
    int m_minimumRows = 1;
    int m_maximumRows = 3;
};

} // namespace latchkey::gui
