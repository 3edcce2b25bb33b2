#include "pages.h"

#include "accountswitcher.h"
#include "colours.h"
#include "ui_dashboardpage.h"
#include "ui_homepage.h"
#include "ui_loadingpage.h"
#include "ui_profilepage.h"

#include <QEvent>
#include <QListWidget>

#include <algorithm>
#include <QPushButton>

namespace latchkey::gui {

LoadingPage::LoadingPage(QWidget *parent) : QWidget(parent), m_ui(new Ui::LoadingPage)
{
    m_ui->setupUi(this);
}

LoadingPage::~LoadingPage() = default;

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

DashboardPage::DashboardPage(const ProtectedData &released, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::DashboardPage)
{
    m_ui->setupUi(this);
    connect(m_ui->backButton, &QPushButton::clicked, this, &DashboardPage::homeRequested);
    m_ui->status->setText(
            tr("This is protected content. You can access it because you are signed in.") + u"\n" +
            tr("Signed in as %1; %n active session(s).", nullptr, released.activeSessions)
                    .arg(released.user.email));
    QStringList lines;
    for (const ActivityEntry &entry : released.recentActivity)
        lines.append(
                QStringLiteral("%1  %2  %3")
                        .arg(entry.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                             entry.event, entry.detail));
    m_ui->data->setPlainText(tr("Recent activity") + u"\n\n" + lines.join(u'\n'));
}

DashboardPage::~DashboardPage() = default;

ProfilePage::ProfilePage(const Session &session, const QList<DeviceSession> &deviceSessions,
                         const QList<Provider> &linkable, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::ProfilePage)
{
    m_ui->setupUi(this);
    m_ui->linkError->setVisible(false);
    applyColours();
    auto *unlink = new QPushButton(tr("Unlink"), this);
    unlink->setObjectName(QStringLiteral("unlinkButton"));
    unlink->setEnabled(false);
    unlink->setToolTip(session.accounts.size() > 1
                               ? tr("Choose a sign-in method above to unlink it.")
                               : tr("This is the only way to sign in to this account."));
    m_ui->linkButtons->addWidget(unlink);
    connect(m_ui->methods, &QListWidget::currentItemChanged, this,
            [unlink, count = session.accounts.size()](QListWidgetItem *current) {
                unlink->setEnabled(current && count > 1);
            });
    connect(unlink, &QPushButton::clicked, this, [this]() {
        if (auto *item = m_ui->methods->currentItem())
            emit unlinkRequested(item->data(Qt::UserRole).toLongLong());
    });
    for (const Provider &provider : linkable) {
        auto *button = new QPushButton(tr("Link %1").arg(provider.label), this);
        button->setObjectName(QStringLiteral("link_") + provider.id);
        connect(button, &QPushButton::clicked, this,
                [this, id = provider.id]() { emit linkRequested(id); });
        m_ui->linkButtons->addWidget(button);
    }
    m_ui->linkButtons->addStretch();
    connect(m_ui->backButton, &QPushButton::clicked, this, &ProfilePage::homeRequested);
    connect(m_ui->signOutOthersButton, &QPushButton::clicked, this,
            &ProfilePage::signOutOthersRequested);
    connect(m_ui->signOutEverywhereButton, &QPushButton::clicked, this,
            &ProfilePage::signOutEverywhereRequested);
    connect(m_ui->deleteDataButton, &QPushButton::clicked, this, &ProfilePage::deleteDataRequested);
    const bool others = std::any_of(deviceSessions.cbegin(), deviceSessions.cend(),
                                    [](const DeviceSession &device) { return !device.current; });
    m_ui->signOutOthersButton->setEnabled(others);
    m_ui->signOutOthersButton->setToolTip(others ? QString() : tr("This is your only session."));
    const QString name = accountName(session.user);
    m_ui->name->setText(name);
    m_ui->email->setText(session.user.email);
    m_ui->avatar->setPixmap(initialsAvatar(name, 72, palette()));
    for (const Account &account : session.accounts) {
        auto *item =
                new QListWidgetItem(account.type == Account::Type::Email
                                            ? tr("Email link (%1)").arg(account.providerAccountId)
                                            : tr("%1 (%2)").arg(account.provider, account.issuer),
                                    m_ui->methods);
        item->setData(Qt::UserRole, account.id);
    }
    for (const DeviceSession &device : deviceSessions) {
        QString line =
                tr("%1 — last active %2, expires %3")
                        .arg(device.deviceName.isEmpty() ? tr("Unknown device") : device.deviceName,
                             device.lastSeenAt.toLocalTime().toString(Qt::ISODate),
                             device.expires.toLocalTime().toString(Qt::ISODate));
        if (device.current)
            line += tr(" (this session)");
        m_ui->sessions->addItem(line);
    }
}

ProfilePage::~ProfilePage() = default;

void ProfilePage::applyColours()
{
    QPalette own = m_ui->linkError->palette();
    own.setColor(QPalette::WindowText, errorColour(palette()));
    m_ui->linkError->setPalette(own);
}

void ProfilePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours(); // e.g. the desktop switched to a dark palette
    QWidget::changeEvent(event);
}

void ProfilePage::setLinkError(const QString &message)
{
    m_ui->linkError->setText(message);
    m_ui->linkError->setVisible(!message.isEmpty());
}

} // namespace latchkey::gui
