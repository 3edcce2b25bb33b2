#include "signinpages.h"

#include "readablecolours.h"

#include "ui_checkemailpage.h"
#include "ui_signinpage.h"
#include "ui_waitingpage.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QIcon>
#include <QMenu>
#include <QPushButton>

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

namespace {

constexpr char kPresetProperty[] = "latchkeyPreset";

/// The provider's mark as its button guidelines ask (Google's "G", Microsoft's four squares,
/// GitHub's light mark on a dark palette); a provider without a preset gets none.
QIcon providerIcon(ProviderPreset preset, const QPalette &palette)
{
    switch (preset) {
    case ProviderPreset::GitHub:
        return QIcon(palette.color(QPalette::Button).lightness() < 128
                             ? QStringLiteral(":/latchkey/providers/github-dark.svg")
                             : QStringLiteral(":/latchkey/providers/github.svg"));
    case ProviderPreset::Google:
        return QIcon(QStringLiteral(":/latchkey/providers/google.svg"));
    case ProviderPreset::Microsoft:
        return QIcon(QStringLiteral(":/latchkey/providers/microsoft.svg"));
    case ProviderPreset::GitLab:
        return QIcon(QStringLiteral(":/latchkey/providers/gitlab.svg"));
    case ProviderPreset::Oidc:
    case ProviderPreset::OAuth2:
        break;
    }
    return {};
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
    QWidget *previous = nullptr;
    for (const Provider &provider : providers) {
        auto *button = new QPushButton(tr("Sign in with %1").arg(provider.label), this);
        button->setObjectName(QStringLiteral("provider_") + provider.id);
        button->setProperty(kPresetProperty, static_cast<int>(provider.preset));
        button->setMinimumHeight(36);
        button->setIconSize(QSize(18, 18));
        connect(button, &QPushButton::clicked, this,
                [this, id = provider.id]() { emit providerChosen(id); });
        m_ui->providerButtons->addWidget(button);
        m_buttons.append(button);
        // Tab visits the buttons in the order they are shown, then the email field.
        if (previous)
            setTabOrder(previous, button);
        previous = button;
    }
    // "Sign in on another device": link-like, under the provider buttons and next in the tab
    // order; shown once setDeviceProviders() names a provider that offers it.
    m_deviceButton = new QPushButton(tr("Sign in on another device"), this);
    m_deviceButton->setObjectName(QStringLiteral("deviceSignInButton"));
    m_deviceButton->setFlat(true);
    m_deviceButton->setCursor(Qt::PointingHandCursor);
    m_deviceButton->setVisible(false);
    m_ui->providerButtons->addWidget(m_deviceButton, 0, Qt::AlignHCenter);
    connect(m_deviceButton, &QPushButton::clicked, this, [this]() {
        if (m_deviceProviders.size() == 1)
            emit deviceSignInChosen(m_deviceProviders.first().id);
    });
    if (previous)
        setTabOrder(previous, m_deviceButton);
    setTabOrder(m_deviceButton, m_ui->emailEdit);
    applyColors();
    m_ui->noProvidersHint->setVisible(providers.isEmpty());
    m_ui->orLabel->setVisible(!providers.isEmpty());
    m_ui->returnHint->setVisible(false);
    m_ui->errorLabel->setVisible(false);
    const auto request = [this]() { emit emailRequested(m_ui->emailEdit->text()); };
    connect(m_ui->emailButton, &QPushButton::clicked, this, request);
    connect(m_ui->emailEdit, &QLineEdit::returnPressed, this, request);
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
        static_cast<QPushButton *>(button)->setIcon(providerIcon(preset, palette()));
    }
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

void SignInPage::setError(const QString &message)
{
    m_ui->errorLabel->setText(message);
    m_ui->errorLabel->setVisible(!message.isEmpty());
}

void SignInPage::setBusy(bool busy)
{
    m_ui->emailButton->setEnabled(!busy);
    m_ui->emailEdit->setEnabled(!busy);
    for (QWidget *button : std::as_const(m_buttons))
        button->setEnabled(!busy);
    m_deviceButton->setEnabled(!busy);
}

CheckEmailPage::CheckEmailPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::CheckEmailPage)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("checkEmailPage"));
    colourText(m_ui->errorLabel, palette(), true);
    m_ui->errorLabel->setVisible(false);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &CheckEmailPage::tick);
    const auto submit = [this]() { emit codeEntered(m_ui->codeEdit->text()); };
    connect(m_ui->verifyButton, &QPushButton::clicked, this, submit);
    connect(m_ui->codeEdit, &QLineEdit::returnPressed, this, submit);
    connect(m_ui->resendButton, &QPushButton::clicked, this, &CheckEmailPage::resendRequested);
    connect(m_ui->otherAddressButton, &QPushButton::clicked, this,
            &CheckEmailPage::otherAddressRequested);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &CheckEmailPage::cancelRequested);
}

CheckEmailPage::~CheckEmailPage() = default;

void CheckEmailPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        colourText(m_ui->errorLabel, palette(), true);
    QWidget::changeEvent(event);
}

void CheckEmailPage::showSent(const QString &address, qint64 resendWaitSecs)
{
    m_ui->sentTo->setText(
            tr("We sent a sign-in link to %1. Open it on this computer to sign in.").arg(address));
    m_ui->codeEdit->clear();
    m_ui->codeEdit->setFocus();
    setError({});
    m_wait = resendWaitSecs;
    tick();
    m_countdown.start();
}

void CheckEmailPage::tick()
{
    if (m_wait > 0) {
        m_ui->resendButton->setEnabled(false);
        m_ui->resendButton->setText(tr("Resend email (%1 s)").arg(m_wait));
        --m_wait;
        return;
    }
    m_countdown.stop();
    m_ui->resendButton->setEnabled(true);
    m_ui->resendButton->setText(tr("Resend email"));
}

void CheckEmailPage::setError(const QString &message)
{
    m_ui->errorLabel->setText(message);
    m_ui->errorLabel->setVisible(!message.isEmpty());
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
    m_fallbackTimer.start(fallbackDelayMs);
}

} // namespace latchkey
