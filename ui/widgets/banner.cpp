#include "banner.h"

#include "lineicons.h"

#include <QAccessible>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace latchkey::gui {

namespace {

constexpr int kIconSize = 16;
constexpr int kStripeWidth = 4;

LineGlyph severityGlyph(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return LineGlyph::Info;
    case Severity::Warning:
        return LineGlyph::Warning;
    case Severity::Error:
        break;
    }
    return LineGlyph::Error;
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return Banner::tr("Information");
    case Severity::Warning:
        return Banner::tr("Warning");
    case Severity::Error:
        break;
    }
    return Banner::tr("Error");
}

/// Fills `widget`'s background with `background` and its text with `text`.
void paint(QWidget *widget, const QColor &background, const QColor &text)
{
    QPalette own = widget->palette();
    own.setColor(QPalette::Window, background);
    own.setColor(QPalette::WindowText, text);
    widget->setPalette(own);
    widget->setAutoFillBackground(true);
}

} // namespace

Banner::Banner(QWidget *parent) : QWidget(parent), m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("banner"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(1);
    setVisible(false);
}

void Banner::setMessage(const BannerMessage &message)
{
    auto found = m_rows.find(message.id);
    if (found == m_rows.end()) {
        Row row = createRow(message);
        // The most serious first; within a severity, the order they came in.
        const auto before = std::find_if(m_order.cbegin(), m_order.cend(), [&](const QString &id) {
            return m_rows.value(id).severity < message.severity;
        });
        const auto at = before - m_order.cbegin();
        m_rows.insert(message.id, row);
        m_order.insert(at, message.id);
        m_layout->insertWidget(int(at), row.frame);
        setVisible(true);
        announce(row);
        return;
    }
    const bool changed = found->label->text() != message.text;
    fill(*found, message);
    if (changed)
        announce(*found);
}

void Banner::removeMessage(const QString &id)
{
    const auto found = m_rows.find(id);
    if (found == m_rows.end())
        return;
    found->frame->deleteLater();
    found->frame->hide();
    m_rows.erase(found);
    m_order.removeOne(id);
    setVisible(!m_rows.isEmpty());
}

bool Banner::hasMessage(const QString &id) const { return m_rows.contains(id); }

QStringList Banner::texts() const
{
    QStringList result;
    for (const QString &id : m_order)
        result.append(m_rows.value(id).label->text());
    return result;
}

QWidget *Banner::row(const QString &id) const { return m_rows.value(id).frame; }

void Banner::alert(const QString &id)
{
    if (const auto found = m_rows.constFind(id); found != m_rows.cend())
        announce(*found);
}

Banner::Row Banner::createRow(const BannerMessage &message)
{
    Row row;
    row.frame = new QWidget(this);
    row.frame->setObjectName(message.id + QStringLiteral("Message"));
    auto *line = new QHBoxLayout(row.frame);
    line->setContentsMargins(0, 0, 12, 0);
    row.stripe = new QWidget(row.frame);
    row.stripe->setFixedWidth(kStripeWidth);
    row.icon = new QLabel(row.frame);
    row.icon->setFixedSize(kIconSize, kIconSize);
    row.label = new QLabel(row.frame);
    row.label->setObjectName(message.id + QStringLiteral("Text"));
    row.label->setWordWrap(true);
    row.label->setTextFormat(Qt::PlainText);
    row.label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row.button = new QPushButton(row.frame);
    row.button->setObjectName(message.actionName);
    if (message.action)
        connect(row.button, &QPushButton::clicked, this, message.action);
    line->addWidget(row.stripe);
    line->addSpacing(8);
    line->addWidget(row.icon, 0, Qt::AlignVCenter);
    line->addWidget(row.label, 1);
    line->addWidget(row.button, 0, Qt::AlignVCenter);
    row.label->setContentsMargins(0, 8, 0, 8);
    fill(row, message);
    return row;
}

void Banner::fill(Row &row, const BannerMessage &message)
{
    row.severity = message.severity;
    row.label->setText(message.text);
    row.label->setAccessibleName(severityName(message.severity) + QStringLiteral(": ") +
                                 message.text);
    row.button->setText(message.actionLabel);
    row.button->setAccessibleName(message.actionLabel);
    row.button->setAccessibleDescription(message.text);
    row.button->setVisible(!message.actionLabel.isEmpty());
    row.icon->setAccessibleName(severityName(message.severity));
    colour(row);
}

void Banner::colour(const Row &row) const
{
    const BannerColours colours = bannerColours(palette(), row.severity);
    paint(row.frame, colours.background, colours.text);
    paint(row.stripe, colours.edge, colours.text);
    row.icon->setPixmap(lineGlyphPixmap(severityGlyph(row.severity), colours.icon, kIconSize,
                                        devicePixelRatio()));
}

void Banner::announce(const Row &row)
{
    if (row.severity == Severity::Info)
        return;
    QAccessibleEvent alert(row.label, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
    emit announced(row.label->accessibleName());
}

void Banner::changeEvent(QEvent *event)
{
    // The desktop switched between light and dark, or the app's palette changed: recolour.
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::ApplicationPaletteChange:
    case QEvent::ThemeChange:
    case QEvent::StyleChange:
        for (const Row &row : std::as_const(m_rows))
            colour(row);
        break;
    default:
        break;
    }
    QWidget::changeEvent(event);
}

} // namespace latchkey::gui
