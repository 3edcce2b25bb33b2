#include "signinpages.h"

#include "providericon.h"
#include "readablecolours.h"

#include "ui_checkemailpage.h"
#include "ui_signinpage.h"
#include "ui_waitingpage.h"

#include <QAccessible>
#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>

namespace latchkey {

void colourText(QLabel *label, const QPalette &palette, bool error)
{
    QPalette own = label->palette();
    own.setColor(QPalette::WindowText,
                 error ? colours::errorColour(palette)
                       : colours::readableOn(palette.color(QPalette::PlaceholderText),
                                             palette.color(QPalette::Window)));
    label->setPalette(own);
}

QString minutesSeconds(qint64 secs)
{
    return QStringLiteral("%1:%2")
            .arg(secs / 60, 2, 10, QLatin1Char('0'))
            .arg(secs % 60, 2, 10, QLatin1Char('0'));
}

QShortcut *escapeShortcut(QWidget *page)
{
    auto *escape = new QShortcut(QKeySequence::Cancel, page);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    return escape;
}

void showError(QLabel *label, const QString &message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
    if (message.isEmpty())
        return;
    QAccessibleEvent alert(label, QAccessible::Alert); // read out at once by screen readers
    QAccessible::updateAccessibility(&alert);
}

ErrorCountdown::ErrorCountdown(QLabel *label) : QObject(label), m_label(label)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ErrorCountdown::tick);
}

bool ErrorCountdown::show(const Error &error)
{
    m_error = error;
    showError(m_label, errorMessage(error));
    if (error.kind != ErrorKind::RateLimited || error.retryAfterSecs <= 0) {
        m_timer.stop();
        return false;
    }
    m_timer.start();
    return true;
}

void ErrorCountdown::tick()
{
    if (--m_error.retryAfterSecs > 0) {
        m_label->setText(errorMessage(m_error)); // no new alert each second
        return;
    }
    m_timer.stop();
    showError(m_label, {});
    emit finished();
}

namespace {

constexpr char kPresetProperty[] = "latchkeyPreset";
constexpr char kMethodProperty[] = "latchkeyMethod";
constexpr char kDescriptionProperty[] = "latchkeyDescription";

/// A small "Last used" tag inside `button`, at its right end; hidden until setLastUsed().
/// Call after the button's accessible description is set.
void addLastUsedTag(QPushButton *button)
{
    button->setProperty(kDescriptionProperty, button->accessibleDescription());
    auto *tag = new QLabel(SignInPage::tr("Last used"), button);
    tag->setObjectName(QStringLiteral("lastUsedTag"));
    tag->setAttribute(Qt::WA_TransparentForMouseEvents);
    QFont font = tag->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    tag->setFont(font);
    tag->setVisible(false);
    auto *row = new QHBoxLayout(button);
    row->setContentsMargins(0, 0, 8, 0);
    row->addStretch();
    row->addWidget(tag);
}

/// Shows or hides the "Last used" tag of `button` and says so to screen readers.
void tagLastUsed(QPushButton *button, bool lastUsed)
{
    button->findChild<QLabel *>(QStringLiteral("lastUsedTag"))->setVisible(lastUsed);
    const QString description = button->property(kDescriptionProperty).toString();
    button->setAccessibleDescription(
            lastUsed ? SignInPage::tr("%1 (used last on this device)").arg(description)
                     : description);
}

} // namespace

SignInPage::SignInPage(const QList<Provider> &providers, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::SignInPage)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("signInPage"));
    const QString app = QGuiApplication::applicationDisplayName();
    if (!app.isEmpty())
        m_ui->title->setText(tr("Sign in to %1").arg(app));
    m_ui->emailButton->setProperty(kMethodProperty, QStringLiteral("email"));
    addLastUsedTag(m_ui->emailButton);
    // Tab order follows the page: the email field, its button, each provider as shown, then
    // "Sign in on another device".
    setTabOrder(m_ui->emailEdit, m_ui->emailButton);
    QWidget *previous = m_ui->emailButton;
    for (const Provider &provider : providers) {
        QPushButton *button = addProviderButton(provider);
        setTabOrder(previous, button);
        previous = button;
    }
    // "Sign in on another device": link-like, under the provider buttons and their error, next in
    // the tab order; shown once setDeviceProviders() names a provider that offers it.
    m_deviceButton = new QPushButton(tr("Sign in on another device"), this);
    m_deviceButton->setObjectName(QStringLiteral("deviceSignInButton"));
    m_deviceButton->setAccessibleName(tr("Sign in on another device"));
    m_deviceButton->setAccessibleDescription(
            tr("Shows a code to enter on your phone or another computer"));
    m_deviceButton->setFlat(true);
    m_deviceButton->setCursor(Qt::PointingHandCursor);
    m_deviceButton->setVisible(false);
    m_ui->providerBlock->addWidget(m_deviceButton, 0, Qt::AlignHCenter);
    connect(m_deviceButton, &QPushButton::clicked, this, [this]() {
        if (m_deviceProviders.size() == 1)
            emit deviceSignInChosen(m_deviceProviders.first().id);
    });
    setTabOrder(previous, m_deviceButton);
    applyColors();
    m_ui->noProvidersHint->setVisible(providers.isEmpty());
    m_ui->orLabel->setVisible(!providers.isEmpty());
    m_ui->returnHint->setVisible(false);
    m_ui->errorLabel->setVisible(false);
    m_errorCountdown = new ErrorCountdown(m_ui->errorLabel);
    connect(m_errorCountdown, &ErrorCountdown::finished, this, [this]() {
        m_emailWaits = false;
        setBusy(m_busy);
    });
    const auto request = [this]() {
        if (m_ui->emailButton->isEnabled())
            emit emailRequested(m_ui->emailEdit->text());
    };
    connect(m_ui->emailButton, &QPushButton::clicked, this, request);
    connect(m_ui->emailEdit, &QLineEdit::returnPressed, this, request);
}

QPushButton *SignInPage::addProviderButton(const Provider &provider)
{
    // Google's branding asks for exactly "Sign in with Google" next to its "G" mark.
    const QString name =
            provider.preset == ProviderPreset::Google ? QStringLiteral("Google") : provider.label;
    auto *button = new QPushButton(tr("Sign in with %1").arg(name), this);
    button->setObjectName(QStringLiteral("provider_") + provider.id);
    button->setProperty(kPresetProperty, static_cast<int>(provider.preset));
    button->setProperty(kMethodProperty, provider.id);
    button->setAccessibleName(button->text());
    button->setAccessibleDescription(tr("Opens %1 in your browser to sign in").arg(name));
    button->setMinimumHeight(36);
    button->setIconSize(QSize(18, 18));
    addLastUsedTag(button);
    connect(button, &QPushButton::clicked, this,
            [this, id = provider.id]() { emit providerChosen(id); });
    m_ui->providerButtons->addWidget(button);
    m_buttons.append(button);
    return button;
}

SignInPage::~SignInPage() = default;

void SignInPage::applyColors()
{
    colourText(m_ui->errorLabel, palette(), true);
    colourText(m_ui->noProvidersHint, palette(), false);
    // The palette's link colour, lightened on a dark window where a default dark blue would not
    // read.
    QColor linkColour = palette().color(QPalette::Link);
    if (palette().color(QPalette::Window).lightness() < 128 && linkColour.lightness() < 160)
        linkColour = QColor::fromHsl(linkColour.hslHue(), linkColour.hslSaturation(), 175);
    QPalette link = m_deviceButton->palette();
    link.setColor(QPalette::ButtonText, linkColour);
    m_deviceButton->setPalette(link);
    for (QWidget *button : std::as_const(m_buttons)) {
        const auto preset = static_cast<ProviderPreset>(button->property(kPresetProperty).toInt());
        static_cast<QPushButton *>(button)->setIcon(
                providerIcon(preset, palette().color(QPalette::Button)));
    }
    for (QLabel *tag : findChildren<QLabel *>(QStringLiteral("lastUsedTag")))
        colourText(tag, palette(), false);
}

void SignInPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColors(); // e.g. the desktop switched to a dark palette
    QWidget::changeEvent(event);
}

void SignInPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    emit shown();
    // Typing starts in the email field; a filled-in address is selected, so typing replaces it.
    m_ui->emailEdit->setFocus(Qt::OtherFocusReason);
    m_ui->emailEdit->selectAll();
}

void SignInPage::setLastUsed(const LastSignIn &last)
{
    const QString &methodId = last.providerId;
    if (m_ui->emailEdit->text().isEmpty())
        m_ui->emailEdit->setText(last.email);
    QList<QWidget *> buttons = m_buttons;
    buttons.prepend(m_ui->emailButton);
    for (QWidget *widget : std::as_const(buttons)) {
        auto *button = static_cast<QPushButton *>(widget);
        tagLastUsed(button, !methodId.isEmpty() && button->property(kMethodProperty) == methodId);
    }
}

void SignInPage::setEmail(const QString &address)
{
    m_ui->emailEdit->setText(address);
    m_ui->emailEdit->selectAll();
}

void SignInPage::setDeviceProviders(const QList<Provider> &providers)
{
    m_deviceProviders = providers;
    m_deviceButton->setVisible(!providers.isEmpty());
    delete m_deviceButton->menu();
    m_deviceButton->setMenu(nullptr);
    if (providers.size() < 2)
        return;
    auto *menu = new QMenu(m_deviceButton);
    menu->setObjectName(QStringLiteral("deviceProviderMenu"));
    for (const Provider &provider : providers) {
        QAction *action = menu->addAction(tr("With %1").arg(provider.label));
        action->setObjectName(QStringLiteral("device_") + provider.id);
        connect(action, &QAction::triggered, this,
                [this, id = provider.id]() { emit deviceSignInChosen(id); });
    }
    m_deviceButton->setMenu(menu);
}

void SignInPage::setReturnHint(const QString &hint)
{
    m_ui->returnHint->setText(hint);
    m_ui->returnHint->setVisible(!hint.isEmpty());
}

void SignInPage::placeError(ErrorPlace place)
{
    m_ui->emailBlock->removeWidget(m_ui->errorLabel);
    m_ui->providerBlock->removeWidget(m_ui->errorLabel);
    if (place == ErrorPlace::Email)
        m_ui->emailBlock->addWidget(m_ui->errorLabel);
    else
        m_ui->providerBlock->insertWidget(1, m_ui->errorLabel); // right under the buttons
}

void SignInPage::setError(const QString &message, ErrorPlace place)
{
    m_errorCountdown->stop();
    m_emailWaits = false;
    placeError(place);
    latchkey::showError(m_ui->errorLabel, message);
    setBusy(m_busy);
}

void SignInPage::setEmailError(const Error &error)
{
    setError({}, ErrorPlace::Email);
    m_emailWaits = m_errorCountdown->show(error);
    setBusy(m_busy);
}

void SignInPage::setBusy(bool busy)
{
    m_busy = busy;
    m_ui->emailButton->setEnabled(!busy && !m_emailWaits);
    m_ui->emailEdit->setEnabled(!busy);
    for (QWidget *button : std::as_const(m_buttons))
        button->setEnabled(!busy);
    m_deviceButton->setEnabled(!busy);
}

namespace {

constexpr int kCodeDigits = 6;

/// Keeps `label`'s place in the layout while it is hidden or short, `lines` lines high, so that
/// an error appearing moves nothing.
void reserveLines(QLabel *label, int lines)
{
    label->setMinimumHeight(label->fontMetrics().lineSpacing() * lines);
    QSizePolicy policy = label->sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    label->setSizePolicy(policy);
}

/// "This is your last try." or "3 tries left.": the English plural is right without a
/// translation.
QString triesLeft(int tries)
{
    if (tries == 1)
        return CheckEmailPage::tr("This is your last try.");
    return CheckEmailPage::tr("%n tries left.", "", tries);
}

} // namespace

CheckEmailPage::CheckEmailPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::CheckEmailPage)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("checkEmailPage"));
    colourText(m_ui->errorLabel, palette(), true);
    reserveLines(m_ui->errorLabel, 3);
    m_ui->errorLabel->setVisible(false);
    m_errorCountdown = new ErrorCountdown(m_ui->errorLabel);
    // The resend button is as wide as its widest text, so its countdown never moves the others.
    m_ui->resendButton->setText(tr("Resend in %1").arg(minutesSeconds(0)));
    const int countdownWidth = m_ui->resendButton->sizeHint().width();
    m_ui->resendButton->setText(tr("Resend email"));
    m_ui->resendButton->setMinimumWidth(
            qMax(countdownWidth, m_ui->resendButton->sizeHint().width()));
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &CheckEmailPage::tick);
    connect(m_ui->codeEdit, &QLineEdit::textEdited, this, &CheckEmailPage::normaliseCode);
    connect(m_ui->verifyButton, &QPushButton::clicked, this, &CheckEmailPage::submit);
    connect(m_ui->codeEdit, &QLineEdit::returnPressed, this, [this]() {
        if (!m_ui->codeEdit->text().isEmpty()) // Enter in an emptied field keeps the error shown
            submit();
    });
    connect(m_ui->resendButton, &QPushButton::clicked, this, &CheckEmailPage::resendRequested);
    connect(m_ui->otherAddressButton, &QPushButton::clicked, this,
            &CheckEmailPage::otherAddressRequested);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &CheckEmailPage::cancelRequested);
    connect(escapeShortcut(this), &QShortcut::activated, this, &CheckEmailPage::cancelRequested);
}

CheckEmailPage::~CheckEmailPage() = default;

void CheckEmailPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        colourText(m_ui->errorLabel, palette(), true);
    QWidget::changeEvent(event);
}

QString CheckEmailPage::code() const
{
    QString digits;
    for (const QChar c : m_ui->codeEdit->text()) {
        if (c.isDigit()) // also a full-width digit from an input method: as ASCII
            digits.append(QChar(u'0' + c.digitValue()));
    }
    return digits.left(kCodeDigits);
}

/// Typed or pasted text keeps its digits only ("123 456", "123-456" → "123456"); the sixth digit
/// signs in without a button press.
void CheckEmailPage::normaliseCode()
{
    const QString digits = code();
    if (digits != m_ui->codeEdit->text())
        m_ui->codeEdit->setText(digits);
    if (digits.size() == kCodeDigits)
        submit();
}

/// Only a whole code reaches the client: a short or mistyped one never uses up a try.
void CheckEmailPage::submit()
{
    if (!m_ui->codeEdit->isEnabled())
        return; // already checking one
    if (code().size() != kCodeDigits) {
        setError(tr("Enter all 6 digits of the code from the email."));
        m_ui->codeEdit->setFocus();
        return;
    }
    setError({});
    emit codeEntered(code());
}

void CheckEmailPage::showSent(const QString &address, qint64 resendWaitSecs)
{
    m_ui->sentTo->setText(
            tr("We sent a sign-in link to %1. Open it on this computer to sign in.").arg(address));
    m_ui->codeEdit->clear();
    m_ui->codeEdit->setFocus();
    setError({});
    startResendCountdown(resendWaitSecs);
}

void CheckEmailPage::startResendCountdown(qint64 secs)
{
    m_wait = secs;
    tick();
    m_countdown.start();
}

void CheckEmailPage::tick()
{
    if (m_wait > 0) {
        m_ui->resendButton->setEnabled(false);
        m_ui->resendButton->setText(tr("Resend in %1").arg(minutesSeconds(m_wait)));
        --m_wait;
        return;
    }
    m_countdown.stop();
    m_ui->resendButton->setEnabled(true);
    m_ui->resendButton->setText(tr("Resend email"));
}

void CheckEmailPage::setError(const QString &message)
{
    m_errorCountdown->stop();
    latchkey::showError(m_ui->errorLabel, message);
}

void CheckEmailPage::showError(const Error &error)
{
    setBusy(false);
    if (error.code == ErrorCode::CodeWrong) {
        Error plain = error;
        plain.remainingAttempts = -1; // said below, with the right plural
        QString message = errorMessage(plain);
        if (error.remainingAttempts > 0)
            message += u' ' + triesLeft(error.remainingAttempts);
        setError(message);
        m_ui->codeEdit->clear();
        m_ui->codeEdit->setFocus();
        return;
    }
    if (m_errorCountdown->show(error))
        startResendCountdown(error.retryAfterSecs);
}

void CheckEmailPage::setBusy(bool busy)
{
    m_ui->verifyButton->setEnabled(!busy);
    m_ui->codeEdit->setEnabled(!busy);
}

WaitingPage::WaitingPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::WaitingPage)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("waitingPage"));
    m_fallbackTimer.setSingleShot(true);
    connect(&m_fallbackTimer, &QTimer::timeout, this, [this]() {
        m_ui->openAgainButton->setVisible(true);
        m_ui->copyButton->setVisible(true);
    });
    connect(m_ui->openAgainButton, &QPushButton::clicked, this, &WaitingPage::openAgainRequested);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &WaitingPage::cancelRequested);
    connect(escapeShortcut(this), &QShortcut::activated, this, &WaitingPage::cancelRequested);
    connect(m_ui->copyButton, &QPushButton::clicked, this, [this]() {
        QGuiApplication::clipboard()->setText(m_url.toString(QUrl::FullyEncoded));
        m_ui->hint->setText(tr("Link copied. Paste it into your browser's address bar."));
    });
}

WaitingPage::~WaitingPage() = default;

void WaitingPage::showWaiting(const QString &providerLabel, const QUrl &url, int fallbackDelayMs)
{
    m_url = url;
    m_ui->hint->setText(tr("Continue signing in with %1 in your browser, then come back here.")
                                .arg(providerLabel));
    m_ui->openAgainButton->setVisible(false);
    m_ui->copyButton->setVisible(false);
    m_ui->cancelButton->setFocus(); // Enter, Space or Esc cancel
    m_fallbackTimer.start(fallbackDelayMs);
}

} // namespace latchkey
