#include "devicepage.h"

#include "qrcode.h"
#include "signinpages.h"

#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace latchkey {

namespace {

constexpr int kQuietZone = 4; // modules of light border, as ISO/IEC 18004 asks
constexpr int kQrTargetPx = 184;

QLabel *centredLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

/// A label's font at `points`, in weight `weight`: no style sheet, so palette changes reach it.
void setLabelFont(QLabel *label, int points, QFont::Weight weight, bool fixedPitch = false)
{
    QFont font = fixedPitch ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : label->font();
    font.setPointSize(points);
    font.setWeight(weight);
    label->setFont(font);
}

} // namespace

DevicePage::DevicePage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("devicePage"));
    m_title = centredLabel(this, QStringLiteral("title"));
    setLabelFont(m_title, 18, QFont::DemiBold);
    m_instructions = centredLabel(this, QStringLiteral("instructions"));
    m_instructions->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_instructions->setTextFormat(Qt::RichText); // the address is never broken across lines
    m_userCode = new QLabel(this);
    m_userCode->setObjectName(QStringLiteral("userCode"));
    m_userCode->setTextFormat(Qt::PlainText);
    m_userCode->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLabelFont(m_userCode, 24, QFont::DemiBold, true);
    m_copyButton = new QPushButton(tr("Copy"), this);
    m_copyButton->setObjectName(QStringLiteral("copyCodeButton"));
    m_copyButton->setAccessibleName(tr("Copy the code"));
    m_copyButton->setAccessibleDescription(tr("Copies the code to type on the other device"));
    m_qr = new QLabel(this);
    m_qr->setObjectName(QStringLiteral("qrCode"));
    m_qr->setAlignment(Qt::AlignCenter);
    QSizePolicy keep = m_qr->sizePolicy();
    keep.setRetainSizeWhenHidden(true); // an expired code hides it without moving the rest
    m_qr->setSizePolicy(keep);
    m_countdown = centredLabel(this, QStringLiteral("countdown"));
    m_note = centredLabel(this, QStringLiteral("phishingNote"));
    m_note->setText(tr("Only enter the code if you started this sign-in."));
    colourText(m_note, palette(), false);
    m_newCodeButton = new QPushButton(tr("Get a new code"), this);
    m_newCodeButton->setObjectName(QStringLiteral("newCodeButton"));
    m_newCodeButton->setAccessibleName(tr("Get a new code"));
    m_newCodeButton->setAccessibleDescription(tr("Starts again with a new code"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setAccessibleName(tr("Cancel sign-in"));
    m_cancelButton->setAccessibleDescription(tr("Stops the sign-in on the other device (Esc)"));

    auto *codeRow = new QHBoxLayout;
    codeRow->addStretch();
    codeRow->addWidget(m_userCode);
    codeRow->addWidget(m_copyButton);
    codeRow->addStretch();
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_newCodeButton);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch();
    auto *card = new QVBoxLayout;
    card->setSpacing(10);
    card->addWidget(m_title);
    card->addWidget(m_instructions);
    card->addLayout(codeRow);
    card->addWidget(m_qr);
    card->addWidget(m_countdown);
    card->addWidget(m_note);
    card->addLayout(buttons);
    auto *centre = new QHBoxLayout;
    centre->addStretch();
    auto *cardWidget = new QWidget(this);
    cardWidget->setMaximumWidth(560);
    cardWidget->setLayout(card);
    centre->addWidget(cardWidget, 1);
    centre->addStretch();
    auto *outer = new QVBoxLayout(this);
    outer->addStretch();
    outer->addLayout(centre);
    outer->addStretch();
    setTabOrder(m_copyButton, m_newCodeButton);
    setTabOrder(m_newCodeButton, m_cancelButton);

    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &DevicePage::tick);
    connect(m_copyButton, &QPushButton::clicked, this,
            [this]() { QGuiApplication::clipboard()->setText(m_userCode->text()); });
    connect(m_newCodeButton, &QPushButton::clicked, this, &DevicePage::newCodeRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &DevicePage::cancelRequested);
    connect(escapeShortcut(this), &QShortcut::activated, this, &DevicePage::cancelRequested);
}

QImage DevicePage::qrImage(const QString &text, int target)
{
    const QrCode code = QrCode::encode(text);
    if (code.isEmpty())
        return {};
    const int modules = code.size() + 2 * kQuietZone;
    const int scale = qMax(2, target / modules);
    // Scanners need dark modules on a light ground, whatever the palette: this black-on-white
    // pair is the one fixed colour pair of the widgets, in a dark palette as in a light one.
    QImage image(modules * scale, modules * scale, QImage::Format_RGB32);
    image.fill(Qt::white);
    const QRgb dark = qRgb(0, 0, 0);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        const int my = y / scale - kQuietZone;
        for (int x = 0; x < image.width(); ++x) {
            if (code.dark(x / scale - kQuietZone, my))
                line[x] = dark;
        }
    }
    return image;
}

void DevicePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        colourText(m_note, palette(), false);
        if (m_expired)
            colourText(m_userCode, palette(), false);
    }
    QWidget::changeEvent(event);
}

void DevicePage::showCode(const QString &providerLabel, const DeviceCode &code)
{
    m_providerId = code.providerId;
    m_expiresAt = code.expiresAt;
    m_expired = false;
    const QString address = code.verificationUri.toDisplayString();
    m_title->setText(tr("Sign in with %1 on another device").arg(providerLabel));
    const QString unbroken =
            QStringLiteral("<span style=\"white-space: nowrap; font-weight: 600;\">%1</span>")
                    .arg(address.toHtmlEscaped());
    m_instructions->setText(tr("On your phone or another computer, open %1 and enter this code:")
                                    .toHtmlEscaped()
                                    .arg(unbroken));
    m_userCode->setText(code.userCode);
    m_userCode->setPalette(QPalette()); // the window's text colour again
    m_copyButton->setEnabled(true);
    const QUrl scanned = code.verificationUriComplete.isEmpty() ? code.verificationUri
                                                                : code.verificationUriComplete;
    m_qr->setPixmap(QPixmap::fromImage(qrImage(scanned.toString(QUrl::FullyEncoded), kQrTargetPx)));
    m_qr->setAccessibleName(tr("QR code of %1").arg(address));
    m_qr->setVisible(true);
    m_newCodeButton->setVisible(false);
    tick();
    m_timer.start();
    m_copyButton->setFocus();
}

void DevicePage::tick()
{
    const qint64 left = QDateTime::currentDateTimeUtc().secsTo(m_expiresAt);
    if (left <= 0) {
        showExpired();
        return;
    }
    m_countdown->setText(tr("Code expires in %1").arg(minutesSeconds(left)));
}

void DevicePage::showExpired(const QString &message)
{
    m_timer.stop();
    m_expired = true;
    m_countdown->setText(message.isEmpty() ? tr("This code has expired.") : message);
    colourText(m_userCode, palette(), false); // greyed, but legible in a dark palette too
    m_copyButton->setEnabled(false);
    m_qr->setVisible(false);
    m_newCodeButton->setVisible(true);
    m_newCodeButton->setFocus();
}

} // namespace latchkey
