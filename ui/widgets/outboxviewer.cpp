#include "outboxviewer.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace latchkey::gui {

namespace {

/// The outbox holds small messages; anything bigger is not one of ours.
constexpr qint64 kMaxMessageBytes = 1024 * 1024;

std::optional<OutboxMessage> readMessage(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly) || file.size() > kMaxMessageBytes)
        return std::nullopt;
    return parseOutboxMessage(file.readAll());
}

QLabel *selectableLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

OutboxViewer::OutboxViewer(const QString &path, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("outboxViewer"));
    setWindowTitle(tr("Developer mailbox"));
    setMinimumWidth(440);
    auto *outer = new QVBoxLayout(this);
    outer->setSpacing(12);
    m_details = new QWidget(this);
    auto *layout = new QVBoxLayout(m_details);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *fields = new QFormLayout;
    m_subject = selectableLabel(QStringLiteral("outboxSubject"), this);
    m_recipient = selectableLabel(QStringLiteral("outboxRecipient"), this);
    fields->addRow(tr("Subject:"), m_subject);
    fields->addRow(tr("To:"), m_recipient);
    layout->addLayout(fields);

    m_code = selectableLabel(QStringLiteral("outboxCode"), this);
    m_code->setAccessibleName(tr("Sign-in code"));
    QFont large = m_code->font();
    large.setPointSizeF(large.pointSizeF() * 2.2);
    large.setBold(true);
    large.setLetterSpacing(QFont::PercentageSpacing, 120);
    m_code->setFont(large);
    m_code->setAlignment(Qt::AlignCenter);
    m_code->setContentsMargins(0, 12, 0, 4);
    layout->addWidget(m_code);
    m_hint = selectableLabel(QStringLiteral("outboxHint"), this);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setText(
            tr("Type this code in the Latchkey window, or open the link on this computer."));
    layout->addWidget(m_hint);

    auto *actions = new QHBoxLayout;
    m_copy = new QPushButton(tr("Copy code"), this);
    m_copy->setObjectName(QStringLiteral("copyCode"));
    m_openLink = new QPushButton(tr("Open sign-in link"), this);
    m_openLink->setObjectName(QStringLiteral("openSignInLink"));
    actions->addStretch(1);
    actions->addWidget(m_copy);
    actions->addWidget(m_openLink);
    actions->addStretch(1);
    layout->addLayout(actions);
    outer->addWidget(m_details);

    m_empty = selectableLabel(QStringLiteral("outboxEmpty"), this);
    m_empty->setText(tr("No sign-in email yet — request one and it will appear here."));
    outer->addWidget(m_empty);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this,
            [this]() { QGuiApplication::clipboard()->setText(m_code->text()); });
    connect(m_openLink, &QPushButton::clicked, this,
            [this]() { QDesktopServices::openUrl(m_link); });

    if (const auto message = readMessage(path))
        showMessage(*message);
    else
        showEmpty();
}

void OutboxViewer::showMessage(const OutboxMessage &message)
{
    m_subject->setText(message.subject);
    m_recipient->setText(message.recipient);
    m_code->setText(message.code);
    m_code->setVisible(!message.code.isEmpty());
    m_hint->setVisible(!message.code.isEmpty());
    m_copy->setVisible(!message.code.isEmpty());
    m_link = message.link;
    m_openLink->setVisible(message.link.isValid());
    m_empty->hide();
}

void OutboxViewer::showEmpty()
{
    m_details->hide();
    m_empty->show();
}

} // namespace latchkey::gui
