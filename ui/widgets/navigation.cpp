#include "navigation.h"

#include "accountswitcher.h"
#include "lineicons.h"

#include <QEvent>
#include <QIcon>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionToolButton>
#include <QStylePainter>
#include <QToolButton>
#include <QVBoxLayout>

namespace latchkey::gui {

QString viewKey(View view)
{
    switch (view) {
    case View::Dashboard:
        return QStringLiteral("dashboard");
    case View::Profile:
        return QStringLiteral("profile");
    case View::Home:
        break;
    }
    return QStringLiteral("home");
}

std::optional<View> viewFromKey(QStringView key)
{
    for (const View view : kViews) {
        if (key == viewKey(view))
            return view;
    }
    return std::nullopt;
}

void ViewHistory::visit(View view)
{
    if (m_index >= 0 && m_views.at(m_index) == view)
        return;
    m_views.resize(m_index + 1); // what was ahead is gone, as in a browser
    m_views.append(view);
    m_index = m_views.size() - 1;
}

std::optional<View> ViewHistory::back()
{
    if (!canGoBack())
        return std::nullopt;
    return m_views.at(--m_index);
}

std::optional<View> ViewHistory::forward()
{
    if (!canGoForward())
        return std::nullopt;
    return m_views.at(++m_index);
}

void ViewHistory::clear()
{
    m_views.clear();
    m_index = -1;
}

namespace {

constexpr int kSidebarMargin = 8;
constexpr int kEntryIcon = 24;
constexpr int kAvatar = 32;

QString entryName(View view)
{
    switch (view) {
    case View::Dashboard:
        return QStringLiteral("navDashboard");
    case View::Profile:
        return QStringLiteral("navProfile");
    case View::Home:
        break;
    }
    return QStringLiteral("navHome");
}

/// The desktop theme's icon for `entry`, else the window's own.
QIcon entryIcon(View view, const QToolButton *entry)
{
    switch (view) {
    case View::Dashboard:
        return themedOrLineIcon("view-grid-symbolic", LineGlyph::Grid, entry);
    case View::Profile:
        return themedOrLineIcon("avatar-default", LineGlyph::Person, entry);
    case View::Home:
        break;
    }
    return themedOrLineIcon("go-home", LineGlyph::Home, entry);
}

/// A sidebar entry, drawn with the palette (a style sheet would cost the start-up its parsing and
/// stop the entry following palette changes): the current view in the selection colours, a light
/// tint of them under the pointer, a ring for keyboard focus.
class NavigationEntry : public QToolButton
{
public:
    using QToolButton::QToolButton;

protected:
    void paintEvent(QPaintEvent *) override
    {
        QStyleOptionToolButton option;
        initStyleOption(&option);
        const QPalette &colours = palette();
        const QColor base = colours.color(QPalette::Base);
        const QColor highlight = colours.color(QPalette::Highlight);
        QColor fill(Qt::transparent);
        if (isChecked())
            fill = highlight;
        else if (option.state & QStyle::State_MouseOver)
            fill = QColor::fromRgbF((base.redF() * 4 + highlight.redF()) / 5,
                                    (base.greenF() * 4 + highlight.greenF()) / 5,
                                    (base.blueF() * 4 + highlight.blueF()) / 5);
        QStylePainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(hasFocus() ? QPen(colours.color(QPalette::Text), 1) : QPen(Qt::NoPen));
        painter.setBrush(fill);
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
        // The label alone, not pushed down as a pressed button's, in the selection's text colour.
        option.state &= ~(QStyle::State_Sunken | QStyle::State_On | QStyle::State_HasFocus);
        option.palette.setColor(QPalette::ButtonText,
                                isChecked() ? colours.color(QPalette::HighlightedText)
                                            : colours.color(QPalette::Text));
        painter.drawControl(QStyle::CE_ToolButtonLabel, option);
    }

private:
    static constexpr qreal kRadius = 6;
};

} // namespace

Navigation::Navigation(AccountSwitcher *accounts, QWidget *parent)
    : QFrame(parent), m_accounts(accounts)
{
    setObjectName(QStringLiteral("navigation"));
    setBackgroundRole(QPalette::Base); // set apart from the page, in light and dark palettes
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kSidebarMargin, kSidebarMargin, kSidebarMargin, kSidebarMargin);
    layout->setSpacing(kSidebarMargin / 2);
    accounts->setParent(this);
    accounts->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    accounts->setIconSize(QSize(kAvatar, kAvatar));
    layout->addWidget(accounts, 0, Qt::AlignHCenter);
    layout->addSpacing(kSidebarMargin);
    for (const View view : kViews) {
        auto *button = new NavigationEntry(this);
        button->setObjectName(entryName(view));
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setIconSize(QSize(kEntryIcon, kEntryIcon));
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::StrongFocus);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(button, &QToolButton::clicked, this, [this, view]() {
            showCurrent(); // the highlight moves once the view is open, not on the click
            emit viewRequested(view);
        });
        layout->addWidget(button);
        m_entries.append(button);
    }
    layout->addStretch(1);
    for (int i = 1; i < m_entries.size(); ++i)
        setTabOrder(m_entries.at(i - 1), m_entries.at(i));
    setTabOrder(accounts, m_entries.first());
    retranslate();
}

QToolButton *Navigation::entry(View view) const { return m_entries.at(qsizetype(view)); }

void Navigation::setCurrent(std::optional<View> view)
{
    m_current = view;
    showCurrent();
}

void Navigation::showCurrent()
{
    for (const View view : kViews)
        entry(view)->setChecked(m_current == view);
}

void Navigation::retranslate()
{
    const auto describe = [this](View view, const QString &name, const QString &description) {
        QToolButton *button = entry(view);
        button->setText(name);
        button->setIcon(entryIcon(view, button));
        button->setToolTip(description);
        button->setAccessibleName(name);
        button->setAccessibleDescription(description);
    };
    describe(View::Home, tr("Home"), tr("Who is signed in, at a glance"));
    describe(View::Dashboard, tr("Dashboard"), tr("Your protected data and recent activity"));
    describe(View::Profile, tr("Profile"),
             tr("Your name, sign-in methods, sessions on this computer and activity"));
    setAccessibleName(tr("Navigation"));
    fitWidth();
}

void Navigation::fitWidth()
{
    // Wide enough for the longest entry in this language and font, whatever view is open.
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    int inner = 6 * em;
    for (const QToolButton *button : std::as_const(m_entries))
        inner = std::max(inner, button->sizeHint().width());
    setFixedWidth(inner + 2 * kSidebarMargin);
    m_accounts->setMaximumWidth(inner);
    m_accounts->setTextWidth(inner - em);
}

void Navigation::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (m_entries.isEmpty())
        return; // still being built
    switch (event->type()) {
    case QEvent::LanguageChange:
    case QEvent::StyleChange:
        retranslate();
        break;
    case QEvent::FontChange:
        fitWidth();
        break;
    default:
        break;
    }
}

} // namespace latchkey::gui
