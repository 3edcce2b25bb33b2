#include "pages.h"

#include "core/config.h"
#include "ui_checkemailpage.h"
#include "ui_dashboardpage.h"
#include "ui_homepage.h"
#include "ui_loadingpage.h"
#include "ui_profilepage.h"
#include "ui_signinpage.h"
#include "ui_waitingpage.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPushButton>

namespace latchkey::gui {

LoadingPage::LoadingPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::LoadingPage)
{
    m_ui->setupUi(this);
}

LoadingPage::~LoadingPage() = default;

SignInPage::SignInPage(const QList<OidcProviderConfig> &providers, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::SignInPage)
{
    m_ui->setupUi(this);
    for (const OidcProviderConfig &provider : providers) {
        auto *button = new QPushButton(tr("Sign in with %1").arg(provider.label), this);
        button->setObjectName(QStringLiteral("provider_") + provider.id);
        button->setMinimumHeight(36);
        connect(button, &QPushButton::clicked, this,
                [this, id = provider.id]() { emit providerChosen(id); });
        m_ui->providerButtons->addWidget(button);
        m_buttons.append(button);
    }
    m_ui->noProvidersHint->setVisible(providers.isEmpty());
    m_ui->orLabel->setVisible(!providers.isEmpty());
    m_ui->returnHint->setVisible(false);
    m_ui->errorLabel->setVisible(false);
    const auto request = [this]() { emit emailRequested(m_ui->emailEdit->text()); };
    connect(m_ui->emailButton, &QPushButton::clicked, this, request);
    connect(m_ui->emailEdit, &QLineEdit::returnPressed, this, request);
}

SignInPage::~SignInPage() = default;

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
}

QString SignInPage::emailText() const { return m_ui->emailEdit->text(); }

CheckEmailPage::CheckEmailPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::CheckEmailPage)
{
    m_ui->setupUi(this);
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

HomePage::HomePage(QWidget *parent) : QWidget(parent), m_ui(new Ui::HomePage)
{
    m_ui->setupUi(this);
    connect(m_ui->dashboardButton, &QPushButton::clicked, this, &HomePage::dashboardRequested);
    connect(m_ui->profileButton, &QPushButton::clicked, this, &HomePage::profileRequested);
    connect(m_ui->signOutButton, &QPushButton::clicked, this, &HomePage::signOutRequested);
}

HomePage::~HomePage() = default;

void HomePage::setSession(const Session &session)
{
    const QString who = session.user.email.isEmpty() ? session.user.name : session.user.email;
    m_ui->signedInAs->setText(tr("Signed in as %1").arg(who));
}

DashboardPage::DashboardPage(const Session &session, const QJsonObject &released, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::DashboardPage)
{
    m_ui->setupUi(this);
    connect(m_ui->backButton, &QPushButton::clicked, this, &DashboardPage::homeRequested);
    m_ui->status->setText(released.value(QStringLiteral("content")).toString() + u"\n" +
                          tr("Signed in as %1; %n active session(s).", nullptr,
                             released.value(QStringLiteral("activeSessions")).toInt())
                                  .arg(session.user.email));
    QStringList lines;
    for (const QJsonValue &entry : released.value(QStringLiteral("recentActivity")).toArray()) {
        const QJsonObject event = entry.toObject();
        lines.append(QStringLiteral("%1  %2  %3")
                             .arg(QDateTime::fromString(
                                          event.value(QStringLiteral("at")).toString(), Qt::ISODate)
                                          .toLocalTime()
                                          .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                  event.value(QStringLiteral("event")).toString(),
                                  event.value(QStringLiteral("detail")).toString()));
    }
    m_ui->data->setPlainText(tr("Recent activity") + u"\n\n" + lines.join(u'\n'));
}

DashboardPage::~DashboardPage() = default;

namespace {

QPixmap initialsAvatar(const QString &text)
{
    QPixmap pixmap(72, 72);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor(0x1a, 0x73, 0xe8));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(pixmap.rect());
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setPixelSize(30);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(pixmap.rect(), Qt::AlignCenter, text.left(1).toUpper());
    return pixmap;
}

} // namespace

ProfilePage::ProfilePage(const Session &session, const QStringList &deviceSessions,
                         const QList<QPair<QString, QString>> &linkable, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::ProfilePage)
{
    m_ui->setupUi(this);
    m_ui->linkError->setVisible(false);
    for (const auto &[id, label] : linkable) {
        auto *button = new QPushButton(tr("Link %1").arg(label), this);
        button->setObjectName(QStringLiteral("link_") + id);
        connect(button, &QPushButton::clicked, this, [this, id = id]() { emit linkRequested(id); });
        m_ui->linkButtons->addWidget(button);
    }
    m_ui->linkButtons->addStretch();
    connect(m_ui->backButton, &QPushButton::clicked, this, &ProfilePage::homeRequested);
    const QString name = session.user.name.isEmpty() ? session.user.email.section(u'@', 0, 0)
                                                     : session.user.name;
    m_ui->name->setText(name);
    m_ui->email->setText(session.user.email);
    m_ui->avatar->setPixmap(initialsAvatar(name));
    for (const Account &account : session.accounts) {
        m_ui->methods->addItem(account.type == Account::Type::Email
                                       ? tr("Email link (%1)").arg(account.providerAccountId)
                                       : tr("%1 (%2)").arg(account.provider, account.issuer));
    }
    m_ui->sessions->addItems(deviceSessions);
}

ProfilePage::~ProfilePage() = default;

void ProfilePage::setLinkError(const QString &message)
{
    m_ui->linkError->setText(message);
    m_ui->linkError->setVisible(!message.isEmpty());
}

} // namespace latchkey::gui
