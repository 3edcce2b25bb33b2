#include "pages.h"

#include "accountswitcher.h"
#include "colours.h"
#include "itemlistmodels.h"
#include "itemlistview.h"
#include "ui_dashboardpage.h"
#include "ui_homepage.h"
#include "ui_loadingpage.h"
#include "ui_profilepage.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace latchkey::gui {

namespace {

constexpr int kAvatarSize = 72; // Profile's avatar, in device-independent pixels
constexpr int kTickMs = 60 * 1000; // "2 minutes ago" moves on once a minute
constexpr int kShortListRows = 3; // sign-in methods and sessions before they scroll
constexpr int kMinimumWidth = 420; // Profile's, like Dashboard's (dashboardpage.ui)

/// Shows `model` in `view`, saying `placeholder` while it is empty, with room for between
/// `minimumRows` and `maximumRows` rows.
void showList(ItemListView *view, ItemListModel *model, const QString &placeholder, int minimumRows,
              int maximumRows)
{
    view->setModel(model);
    view->setPlaceholderText(placeholder);
    view->setVisibleRows(minimumRows, maximumRows);
}

/// Tells `models` to tell times against `now` and to pick icons for `page`'s palette; an invalid
/// `now` is the current time, kept current by a timer on `page`.
void setNow(QWidget *page, const QList<ItemListModel *> &models, const QDateTime &now)
{
    for (ItemListModel *model : models) {
        model->setNow(now);
        model->setPalette(page->palette());
    }
    if (now.isValid())
        return;
    auto *tick = new QTimer(page);
    QObject::connect(tick, &QTimer::timeout, page, [models]() {
        for (ItemListModel *model : models)
            model->setNow({});
    });
    tick->start(kTickMs);
}

/// `label` in bold at `scale` times `page`'s text size, so titles grow with a larger font.
void setHeading(QLabel *label, const QWidget *page, qreal scale)
{
    QFont font = page->font();
    font.setBold(true);
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * scale);
    else
        font.setPixelSize(qRound(font.pixelSize() * scale));
    label->setFont(font);
}

constexpr qreal kTitleScale = 1.8; // a page's title
constexpr qreal kNameScale = 1.4; // Profile's name beside the avatar

QString emptyActivity()
{
    return ProfilePage::tr("Sign-ins, sign-outs and changes to your sign-in methods "
                           "will appear here.");
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
                             QWidget *parent, const QDateTime &now)
    : QWidget(parent), m_ui(new Ui::DashboardPage),
      m_activity(new ActivityModel(released.recentActivity, providers, this))
{
    m_ui->setupUi(this);
    connect(m_ui->backButton, &QPushButton::clicked, this, &DashboardPage::homeRequested);
    m_ui->status->setText(
            tr("This is protected content. You can access it because you are signed in.") + u"\n" +
            tr("Signed in as %1; %n active session(s).", nullptr, released.activeSessions)
                    .arg(released.user.email));
    showList(m_ui->activity, m_activity, emptyActivity(), 3, 20);
    m_ui->activity->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setNow(this, {m_activity}, now);
    setHeading(m_ui->title, this, kTitleScale);
}

DashboardPage::~DashboardPage() = default;

void DashboardPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_activity->setPalette(palette()); // GitHub's mark changes in a dark palette
    if (event->type() == QEvent::FontChange)
        setHeading(m_ui->title, this, kTitleScale);
    QWidget::changeEvent(event);
}

ProfilePage::ProfilePage(const Session &session, const ProfileContents &contents, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::ProfilePage)
{
    m_ui->setupUi(this);
    m_ui->linkError->setVisible(false);
    m_name = accountName(session.user);
    m_ui->name->setText(m_name);
    m_ui->email->setText(session.user.email);
    applyColours();
    showLists(session, contents);
    addLinkButtons(session, contents.linkable);
    connectActions();
    offerSessionSignOut(session.sessionId);
    const QList<DeviceSession> &deviceSessions = contents.deviceSessions;
    const bool others = std::any_of(deviceSessions.cbegin(), deviceSessions.cend(),
                                    [](const DeviceSession &device) { return !device.current; });
    m_ui->signOutOthersButton->setEnabled(others);
    m_ui->signOutOthersButton->setToolTip(others ? QString() : tr("This is your only session."));
    applyHeadings();
    m_ui->content->installEventFilter(this);
    holdContentWidth();
}

void ProfilePage::applyHeadings()
{
    setHeading(m_ui->title, this, kTitleScale);
    setHeading(m_ui->name, this, kNameScale);
}

bool ProfilePage::eventFilter(QObject *watched, QEvent *event)
{
    // The content's minimum changed (a larger font, another style, a button added).
    if (watched == m_ui->content && event->type() == QEvent::LayoutRequest)
        holdContentWidth();
    return QWidget::eventFilter(watched, event);
}

void ProfilePage::holdContentWidth()
{
    // The page scrolls up and down only: its minimum width is its content's, with room for the
    // scroll bar, so the window's minimum holds every button whole (at any text size).
    QScrollArea *area = m_ui->scrollArea;
    const int content = m_ui->content->minimumSizeHint().width() +
            area->verticalScrollBar()->sizeHint().width() + 2 * area->frameWidth();
    area->setMinimumWidth(std::max(kMinimumWidth, content));
}

void ProfilePage::showLists(const Session &session, const ProfileContents &contents)
{
    m_models = {new SignInMethodModel(session.accounts, contents.providers, this),
                new DeviceSessionModel(contents.deviceSessions, this),
                new ActivityModel(contents.activity, contents.providers, this)};
    // The short lists show their rows whole (up to three; the page scrolls instead).
    const auto shortList = [](ItemListModel *model) {
        return std::clamp(model->rowCount(), 1, kShortListRows);
    };
    showList(m_ui->methods, m_models.at(0),
             tr("The ways you sign in to this account will appear here."),
             shortList(m_models.at(0)), kShortListRows);
    showList(m_ui->sessions, m_models.at(1), tr("Your sessions on this device will appear here."),
             shortList(m_models.at(1)), kShortListRows);
    // The short lists keep a modest height; the activity, which grows, takes the room left.
    showList(m_ui->activity, m_models.at(2), emptyActivity(), 3, 20);
    m_ui->activity->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_ui->layout->setStretchFactor(m_ui->activity, 1);
    setNow(this, m_models, contents.now);
}

void ProfilePage::addLinkButtons(const Session &session, const QList<Provider> &linkable)
{
    auto *unlink = new QPushButton(tr("Unlink"), this);
    unlink->setObjectName(QStringLiteral("unlinkButton"));
    unlink->setAccessibleName(tr("Unlink the selected sign-in method"));
    unlink->setEnabled(false);
    unlink->setToolTip(session.accounts.size() > 1
                               ? tr("Choose a sign-in method above to unlink it.")
                               : tr("This is the only way to sign in to this account."));
    m_ui->linkButtons->addWidget(unlink);
    connect(m_ui->methods->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [unlink, count = session.accounts.size()](const QModelIndex &current) {
                unlink->setEnabled(current.isValid() && count > 1);
            });
    connect(unlink, &QPushButton::clicked, this, [this]() {
        if (const QModelIndex current = m_ui->methods->currentIndex(); current.isValid())
            emit unlinkRequested(current.data(IdRole).toLongLong());
    });
    for (const Provider &provider : linkable) {
        auto *button = new QPushButton(tr("Link %1").arg(provider.label), this);
        button->setObjectName(QStringLiteral("link_") + provider.id);
        button->setAccessibleName(button->text());
        button->setIcon(methodIcon(provider.id, linkable, palette()));
        connect(button, &QPushButton::clicked, this,
                [this, id = provider.id]() { emit linkRequested(id); });
        m_ui->linkButtons->addWidget(button);
    }
    m_ui->linkButtons->addStretch();
}

void ProfilePage::offerSessionSignOut(qint64 currentSessionId)
{
    QPushButton *revoke = m_ui->revokeSessionButton;
    revoke->setToolTip(tr("Choose another session above to sign it out."));
    connect(m_ui->sessions->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [revoke, currentSessionId](const QModelIndex &current) {
                // This session ends with Sign out, which also clears the keychain.
                revoke->setEnabled(current.isValid() &&
                                   current.data(IdRole).toLongLong() != currentSessionId);
            });
    connect(revoke, &QPushButton::clicked, this, [this]() {
        if (const QModelIndex current = m_ui->sessions->currentIndex(); current.isValid())
            emit revokeSessionRequested(current.data(IdRole).toLongLong());
    });
}

void ProfilePage::connectActions()
{
    connect(m_ui->backButton, &QPushButton::clicked, this, &ProfilePage::homeRequested);
    connect(m_ui->signOutOthersButton, &QPushButton::clicked, this,
            &ProfilePage::signOutOthersRequested);
    connect(m_ui->signOutEverywhereButton, &QPushButton::clicked, this,
            &ProfilePage::signOutEverywhereRequested);
    connect(m_ui->deleteDataButton, &QPushButton::clicked, this, &ProfilePage::deleteDataRequested);
}

ProfilePage::~ProfilePage() = default;

void ProfilePage::setPicture(const QString &path)
{
    m_picture = path;
    m_ui->avatar->setPixmap(accountAvatar(m_picture, m_name, kAvatarSize, palette()));
}

void ProfilePage::applyColours()
{
    // The initials and GitHub's mark follow a dark palette too.
    m_ui->avatar->setPixmap(accountAvatar(m_picture, m_name, kAvatarSize, palette()));
    for (ItemListModel *model : std::as_const(m_models))
        model->setPalette(palette());
    QPalette own = m_ui->linkError->palette();
    own.setColor(QPalette::WindowText, errorColour(palette()));
    m_ui->linkError->setPalette(own);
}

void ProfilePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours(); // e.g. the desktop switched to a dark palette
    if (event->type() == QEvent::FontChange)
        applyHeadings();

    QWidget::changeEvent(event);
}

void ProfilePage::setLinkError(const QString &message)
{
    m_ui->linkError->setText(message);
    m_ui->linkError->setVisible(!message.isEmpty());
}

} // namespace latchkey::gui
