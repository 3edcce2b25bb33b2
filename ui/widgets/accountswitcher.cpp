#include "accountswitcher.h"

#include <latchkey/client.h>

#include <QAction>
#include <QEvent>
#include <QImageReader>
#include <QMenu>
#include <QPainter>

namespace latchkey::gui {

QPixmap initialsAvatar(const QString &name, int size, const QPalette &palette)
{
    const qreal scale = 2.0; // sharp on 2× screens as well
    QPixmap pixmap(int(size * scale), int(size * scale));
    pixmap.setDevicePixelRatio(scale);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(palette.color(QPalette::Highlight));
    painter.setPen(Qt::NoPen);
    const QRectF circle(0, 0, size, size);
    painter.drawEllipse(circle);
    painter.setPen(palette.color(QPalette::HighlightedText));
    QFont font = painter.font();
    font.setPixelSize(size * 5 / 12);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(circle, Qt::AlignCenter, name.left(1).toUpper());
    return pixmap;
}

QPixmap pictureAvatar(const QString &path, int size)
{
    if (path.isEmpty())
        return {};
    // The library checked the file already (docs/security.md, provider pictures); checked again
    // here before anything is decoded: raster formats only, and never a huge canvas.
    static const QList<QByteArray> kRaster{"png", "jpeg", "gif", "webp"};
    constexpr int kMaxDimension = 2048;
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    const QSize source = reader.size();
    if (!kRaster.contains(reader.format()) || source.isEmpty() || source.width() > kMaxDimension ||
        source.height() > kMaxDimension)
        return {};
    const qreal scale = 2.0; // sharp on 2× screens as well, like initialsAvatar()
    const int side = int(size * scale);
    // Decoded straight to the size it is shown at, filling the circle (the middle of a wide or
    // tall picture).
    reader.setScaledSize(source.scaled(side, side, Qt::KeepAspectRatioByExpanding));
    const QImage image = reader.read();
    if (image.isNull())
        return {};
    QPixmap pixmap(side, side);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    // A brush-filled ellipse has an antialiased edge; a clip path would not.
    QBrush brush(image);
    brush.setTransform(
            QTransform::fromTranslate((side - image.width()) / 2.0, (side - image.height()) / 2.0));
    painter.setBrush(brush);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QRectF(0, 0, side, side));
    painter.end();
    pixmap.setDevicePixelRatio(scale);
    return pixmap;
}

QPixmap accountAvatar(const QString &picturePath, const QString &name, int size,
                      const QPalette &palette)
{
    const QPixmap picture = pictureAvatar(picturePath, size);
    return picture.isNull() ? initialsAvatar(name, size, palette) : picture;
}

QString accountName(const User &user)
{
    return user.name.isEmpty() ? user.email.section(u'@', 0, 0) : user.name;
}

AccountSwitcher::AccountSwitcher(Client &client, QWidget *parent)
    : QToolButton(parent), m_client(client), m_menu(new QMenu(this))
{
    setObjectName(QStringLiteral("accountSwitcher"));
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setPopupMode(QToolButton::InstantPopup);
    setAutoRaise(true);
    setIconSize(QSize(24, 24));
    m_menu->setObjectName(QStringLiteral("accountMenu"));
    setMenu(m_menu);
    setVisible(false); // until refresh(): the accounts are known once the client is restored
    setAccessibleDescription(tr("Lists the accounts signed in on this computer: switch to one, "
                                "add another or sign out of all."));
    connect(&m_client, &Client::avatarChanged, this, &AccountSwitcher::showPicture);
}

void AccountSwitcher::showPicture(qint64 userId)
{
    const QPixmap picture = pictureAvatar(m_client.avatarPath(userId), iconSize().width());
    if (picture.isNull())
        return;
    if (userId == m_activeId)
        setIcon(picture);
    if (auto *action = m_menu->findChild<QAction *>(QStringLiteral("account_%1").arg(userId)))
        action->setIcon(picture);
}

void AccountSwitcher::refresh()
{
    m_menu->clear();
    const QList<SignedInAccount> accounts = m_client.accounts().valueOr({});
    m_hasAccounts = !accounts.isEmpty();
    setVisible(m_hasAccounts);
    const auto active = std::find_if(accounts.cbegin(), accounts.cend(),
                                     [](const SignedInAccount &account) { return account.active; });
    m_activeId = active != accounts.cend() ? active->user.id : 0;
    // avatarPath() never waits: a picture not here yet comes with avatarChanged().
    if (active != accounts.cend()) {
        m_name = accountName(active->user);
        setIcon(accountAvatar(m_client.avatarPath(active->user.id), accountName(active->user),
                              iconSize().width(), palette()));
        setToolTip(tr("Signed in as %1. Switch account or add one.").arg(active->user.email));
    } else {
        m_name = tr("Accounts");
        setIcon(QIcon());
        setToolTip(tr("Accounts signed in on this computer"));
    }
    setAccessibleName(toolTip());
    showName();

    for (const SignedInAccount &account : accounts) {
        const QString name = accountName(account.user);
        const QString label = account.user.email.isEmpty() || account.user.email == name
                ? name
                : tr("%1 — %2").arg(name, account.user.email);
        QAction *action = m_menu->addAction(accountAvatar(m_client.avatarPath(account.user.id),
                                                          name, iconSize().width(), palette()),
                                            label);
        action->setObjectName(QStringLiteral("account_%1").arg(account.user.id));
        action->setCheckable(true);
        action->setChecked(account.active);
        const qint64 id = account.user.id;
        const bool isActive = account.active;
        connect(action, &QAction::triggered, this, [this, id, isActive]() {
            if (isActive)
                emit activeChosen();
            else
                emit switchRequested(id);
        });
    }
    m_menu->addSeparator();
    QAction *add = m_menu->addAction(tr("Add another account…"));
    add->setObjectName(QStringLiteral("addAccount"));
    connect(add, &QAction::triggered, this, &AccountSwitcher::addAccountRequested);
    QAction *all = m_menu->addAction(tr("Sign out of all accounts"));
    all->setObjectName(QStringLiteral("signOutAll"));
    connect(all, &QAction::triggered, this, &AccountSwitcher::signOutAllRequested);
    emit accountsChanged();
}

void AccountSwitcher::setTextWidth(int width)
{
    m_textWidth = width;
    showName();
}

void AccountSwitcher::showName()
{
    setText(m_textWidth > 0 ? fontMetrics().elidedText(m_name, Qt::ElideRight, m_textWidth)
                            : m_name);
}

void AccountSwitcher::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        refresh(); // the avatars follow a dark palette
    QToolButton::changeEvent(event);
}

} // namespace latchkey::gui
