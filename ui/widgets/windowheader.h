#pragma once

#include <QKeySequence>
#include <QWidget>

class QAction;

namespace latchkey::gui {

/// The header above the views: Back and Forward. Their keys (Alt+Left, Alt+Right) and the mouse's
/// back and forward buttons work anywhere in the window, as do Close (Ctrl+W) and Quit (Ctrl+Q),
/// also while the header is hidden. It has no Escape key: a page's Escape always wins.
class WindowHeader : public QWidget
{
    Q_OBJECT

public:
    /// The keys belong to `window` (the actions are named goBack, goForward, closeWindow, quit;
    /// the buttons goBackButton and goForwardButton).
    WindowHeader(QWidget *window, QWidget *parent);

    /// Enables Back and Forward (buttons, keys and mouse buttons) as the history allows.
    void setHistory(bool canGoBack, bool canGoForward);

signals:
    void backRequested();
    void forwardRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QAction *addShortcut(const QString &name, QKeySequence::StandardKey key,
                         const QKeySequence &usual);
    void retranslate();

    QWidget *m_window = nullptr;
    QAction *m_back = nullptr;
    QAction *m_forward = nullptr;
    QAction *m_close = nullptr;
    QAction *m_quit = nullptr;
};

} // namespace latchkey::gui
