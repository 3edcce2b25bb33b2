#include "pages.h"

#include "accountswitcher.h"
#include "colours.h"
#include "ui_dashboardpage.h"
#include "ui_homepage.h"
#include "ui_loadingpage.h"
#include "ui_profilepage.h"

#include <QEvent>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>

#include <algorithm>

namespace latchkey::gui {

namespace {

constexpr int kAvatarSize = 72; // Profile's avatar, in device-independent pixels

QString methodLabel(const QString &providerId, const QList<Provider> &providers)
{
    for (const Provider &provider : providers) {
        if (provider.id == providerId)
            return provider.label;
    }
    return providerId; // a provider no longer configured
}

/// One line of the activity, in the person's language (never the raw event name).
QString describe(const ActivityEntry &entry, const QList<Provider> &providers)
{
    const bool email = entry.providerId == u"email";
    const QString label = methodLabel(entry.providerId, providers);
    if (entry.event == u"signIn")
        return email ? ProfilePage::tr("Signed in with an email link")
                     : ProfilePage::tr("Signed in with %1").arg(label);
    if (entry.event == u"signOut") {
        if (entry.detail == u"others")
            return ProfilePage::tr("Signed out your other sessions");
        if (entry.detail.startsWith(u"session:"))
            return ProfilePage::tr("Signed out one of your sessions");
        return ProfilePage::tr("Signed out");
    }
    if (entry.event == u"createUser")
        return ProfilePage::tr("Account created");
    if (entry.event == u"linkAccount")
        return email ? ProfilePage::tr("Email sign-in added")
                     : ProfilePage::tr("%1 linked").arg(label);
    if (entry.event == u"unlinkAccount")
        return email ? ProfilePage::tr("Email sign-in removed")
                     : ProfilePage::tr("%1 unlinked").arg(label);
    if (entry.event == u"sessionExpired")
        return ProfilePage::tr("Session expired");
    if (entry.event == u"signInFailed")
        return email ? ProfilePage::tr("Sign-in with an email link failed")
                     : ProfilePage::tr("Sign-in with %1 failed").arg(label);
    return entry.event; // recorded by a newer version
}

/// Fills `list` (columns: what, when) with `activity`, or says what will appear there.
void showActivity(QTreeWidget *list, const QList<ActivityEntry> &activity,
                  const QList<Provider> &providers)
{
    list->setHeaderLabels({ProfilePage::tr("What happened"), ProfilePage::tr("When")});
    list->setRootIsDecorated(false);
    list->clear();
    const QLocale locale;
    for (const ActivityEntry &entry : activity) {
        const QDateTime local = entry.at.toLocalTime();
        auto *item = new QTreeWidgetItem(
                list, {describe(entry, providers), locale.toString(local, QLocale::ShortFormat)});
        // The full local date with its time zone, and for a failure what went wrong.
        item->setToolTip(1, locale.toString(local, QLocale::LongFormat));
        if (entry.error != ErrorCode::Unspecified)
            item->setToolTip(0, errorMessage(Error::make(ErrorKind::Protocol, entry.error, {})));
    }
    if (activity.isEmpty()) {
        auto *item = new QTreeWidgetItem(
                list,
                {ProfilePage::tr("Sign-ins, sign-outs and changes to your sign-in methods "
                                 "will appear here.")});
        item->setFlags(Qt::NoItemFlags);
    }
    list->resizeColumnToContents(0);
}

} // namespace

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

DashboardPage::DashboardPage(const ProtectedData &released, const QList<Provider> &providers,
                             QWidget *parent)
    : QWidget(parent), m_ui(new Ui::DashboardPage)
{
    m_ui->setupUi(this);
    connect(m_ui->backButton, &QPushButton::clicked, this, &DashboardPage::homeRequested);
    m_ui->status->setText(
            tr("This is protected content. You can access it because you are signed in.") + u"\n" +
            tr("Signed in as %1; %n active session(s).", nullptr, released.activeSessions)
                    .arg(released.user.email));
    showActivity(m_ui->activity, released.recentActivity, providers);
}

DashboardPage::~DashboardPage() = default;

ProfilePage::ProfilePage(const Session &session, const ProfileContents &contents, QWidget *parent)
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
    for (const Provider &provider : contents.linkable) {
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
    const QList<DeviceSession> &deviceSessions = contents.deviceSessions;
    const bool others = std::any_of(deviceSessions.cbegin(), deviceSessions.cend(),
                                    [](const DeviceSession &device) { return !device.current; });
    m_ui->signOutOthersButton->setEnabled(others);
    m_ui->signOutOthersButton->setToolTip(others ? QString() : tr("This is your only session."));
    m_name = accountName(session.user);
    m_ui->name->setText(m_name);
    m_ui->email->setText(session.user.email);
    m_ui->avatar->setPixmap(initialsAvatar(m_name, kAvatarSize, palette()));
    for (const Account &account : session.accounts) {
        QString text = account.type == Account::Type::Email
                ? tr("Email link (%1)").arg(account.providerAccountId)
                : tr("%1 (%2)").arg(account.provider, account.issuer);
        // How current the provider's details are: they stay usable offline, as of this time.
        if (account.refreshedAt.isValid())
            text += tr(" — updated %1")
                            .arg(QLocale().toString(account.refreshedAt.toLocalTime(),
                                                    QLocale::ShortFormat));
        auto *item = new QListWidgetItem(text, m_ui->methods);
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
    showActivity(m_ui->activity, contents.activity, contents.providers);
    // The short lists keep a modest height; the activity, which grows, takes the room left.
    for (QListWidget *list : {m_ui->methods, m_ui->sessions})
        list->setMaximumHeight(list->sizeHintForRow(0) * 3 + 2 * list->frameWidth() + 4);
    m_ui->layout->setStretchFactor(m_ui->activity, 1);
}

ProfilePage::~ProfilePage() = default;

void ProfilePage::setPicture(const QString &path)
{
    m_picture = path;
    m_ui->avatar->setPixmap(accountAvatar(m_picture, m_name, kAvatarSize, palette()));
}

void ProfilePage::applyColours()
{
    if (!m_name.isEmpty()) // the initials follow a dark palette too
        m_ui->avatar->setPixmap(accountAvatar(m_picture, m_name, kAvatarSize, palette()));
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
