#include "windowheader.h"

#include "lineicons.h"

#include <QAction>
#include <QCoreApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QMouseEvent>
#include <QToolButton>

namespace latchkey::gui {

namespace {

/// The keys for `key` on this platform, with `usual` added when the platform lacks it (Windows
/// has no Quit key: Ctrl+Q here too).
QList<QKeySequence> shortcutsFor(QKeySequence::StandardKey key, const QKeySequence &usual)
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(key);
    // Windows' Back: it would leave a view while the person corrects a typo.
    keys.removeAll(QKeySequence(Qt::Key_Backspace));
    if (!keys.contains(usual))
        keys.prepend(usual);
    return keys;
}

} // namespace

WindowHeader::WindowHeader(QWidget *window, QWidget *parent) : QWidget(parent), m_window(window)
{
    setObjectName(QStringLiteral("header"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_back = addShortcut(QStringLiteral("goBack"), QKeySequence::Back,
                         QKeySequence(Qt::ALT | Qt::Key_Left));
    m_forward = addShortcut(QStringLiteral("goForward"), QKeySequence::Forward,
                            QKeySequence(Qt::ALT | Qt::Key_Right));
    m_close = addShortcut(QStringLiteral("closeWindow"), QKeySequence::Close,
                          QKeySequence(Qt::CTRL | Qt::Key_W));
    m_quit = addShortcut(QStringLiteral("quit"), QKeySequence::Quit,
                         QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(m_back, &QAction::triggered, this, &WindowHeader::backRequested);
    connect(m_forward, &QAction::triggered, this, &WindowHeader::forwardRequested);
    connect(m_close, &QAction::triggered, m_window, &QWidget::close);
    connect(m_quit, &QAction::triggered, this, [this]() {
        if (m_window->close())
            QCoreApplication::quit();
    });
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(8, 6, 12, 0);
    for (QAction *action : {m_back, m_forward}) {
        auto *button = new QToolButton(this);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        // The keys reach them; Tab goes from the sidebar straight to the page.
        button->setFocusPolicy(Qt::NoFocus);
        row->addWidget(button);
    }
    row->addStretch(1);
    retranslate();
    setHistory(false, false);
    // The mouse's back and forward buttons, wherever the pointer is in the window.
    QCoreApplication::instance()->installEventFilter(this);
}

QAction *WindowHeader::addShortcut(const QString &name, QKeySequence::StandardKey key,
                                   const QKeySequence &usual)
{
    auto *action = new QAction(m_window);
    action->setObjectName(name);
    action->setShortcuts(shortcutsFor(key, usual));
    action->setShortcutContext(Qt::WindowShortcut);
    m_window->addAction(action); // the window's, so they work while the header is hidden
    return action;
}

void WindowHeader::setHistory(bool canGoBack, bool canGoForward)
{
    m_back->setEnabled(canGoBack);
    m_forward->setEnabled(canGoForward);
}

void WindowHeader::retranslate()
{
    const auto describe = [](QAction *action, const QString &text, const QIcon &icon) {
        action->setText(text);
        action->setIcon(icon);
        action->setToolTip(
                tr("%1 (%2)").arg(text, action->shortcut().toString(QKeySequence::NativeText)));
    };
    describe(m_back, tr("Back"), themedOrLineIcon("go-previous", LineGlyph::Back, this));
    describe(m_forward, tr("Forward"), themedOrLineIcon("go-next", LineGlyph::Forward, this));
    describe(m_close, tr("Close window"), {});
    describe(m_quit, tr("Quit Latchkey"), {});
}

bool WindowHeader::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonPress && watched->isWidgetType() &&
        static_cast<QWidget *>(watched)->window() == m_window) {
        const Qt::MouseButton button = static_cast<QMouseEvent *>(event)->button();
        if (button == Qt::BackButton || button == Qt::ForwardButton) {
            (button == Qt::BackButton ? m_back : m_forward)->trigger(); // nothing when disabled
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void WindowHeader::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

} // namespace latchkey::gui
