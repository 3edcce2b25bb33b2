#pragma once

#include "colours.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace latchkey::gui {

/// One message of the banner: what it says, how serious it is and the one thing to do about it.
struct BannerMessage
{
    /// Identifies the message: setMessage() with the same id updates its row.
    QString id;
    Severity severity = Severity::Info;
    /// The sentence shown, plain text.
    QString text;
    /// The action button's label ("Unlock", "Try again", "Dismiss").
    QString actionLabel;
    /// The action button's object name (for tests and style).
    QString actionName;
    /// What the button does; bound when the row is created.
    std::function<void()> action;
};

/// The window's message area: one row per message, each with its own icon, colours (from the
/// palette, WCAG AA contrast: colours.h) and action button; hidden when empty. A new warning or
/// error row is announced to screen readers (QAccessible::Alert). Colours follow palette and
/// theme changes.
class Banner : public QWidget
{
    Q_OBJECT

public:
    explicit Banner(QWidget *parent = nullptr);

    /// Shows `message`: a new row, or the row with the same id updated (its action stays).
    void setMessage(const BannerMessage &message);
    /// Removes the row `id`, if shown.
    void removeMessage(const QString &id);
    /// True while the row `id` is shown.
    bool hasMessage(const QString &id) const;
    /// The texts shown, top to bottom.
    QStringList texts() const;
    /// The row `id` (nullptr when not shown); its label and button are its children.
    QWidget *row(const QString &id) const;
    /// Announces the row `id` to screen readers again (e.g. an action on it failed).
    void alert(const QString &id);

signals:
    /// A row was announced to screen readers (QAccessible::Alert on its label, whose accessible
    /// name is `accessibleName`).
    void announced(const QString &accessibleName);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Row
    {
        QWidget *frame = nullptr;
        QWidget *stripe = nullptr;
        QLabel *icon = nullptr;
        QLabel *label = nullptr;
        QPushButton *button = nullptr;
        Severity severity = Severity::Info;
    };

    Row createRow(const BannerMessage &message);
    void fill(Row &row, const BannerMessage &message);
    void colour(const Row &row) const;
    void announce(const Row &row);

    QVBoxLayout *m_layout = nullptr;
    QHash<QString, Row> m_rows;
    QStringList m_order;
};

} // namespace latchkey::gui
