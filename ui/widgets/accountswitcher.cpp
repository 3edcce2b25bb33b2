#include "accountswitcher.h"

#include <latchkey/client.h>

#include <QAction>
#include <QEvent>
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
}

void AccountSwitcher::refresh()
{
    m_menu->clear();
    const QList<SignedInAccount> accounts = m_client.accounts().valueOr({});
    setVisible(!accounts.isEmpty());
    const auto active = std::find_if(accounts.cbegin(), accounts.cend(),
                                     [](const SignedInAccount &account) { return account.active; });
    if (active != accounts.cend()) {
        setText(accountName(active->user));
        setIcon(initialsAvatar(accountName(active->user), 24, palette()));
        setToolTip(tr("Signed in as %1. Switch account or add one.").arg(active->user.email));
    } else {
        setText(tr("Accounts"));
        setIcon(QIcon());
        setToolTip(tr("Accounts signed in on this computer"));
    }
    setAccessibleName(toolTip());

    for (const SignedInAccount &account : accounts) {
        const QString name = accountName(account.user);
        const QString label = account.user.email.isEmpty() || account.user.email == name
                ? name
                : tr("%1 — %2").arg(name, account.user.email);
        QAction *action = m_menu->addAction(initialsAvatar(name, 24, palette()), label);
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
}

void AccountSwitcher::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        refresh(); // the avatars follow a dark palette
    QToolButton::changeEvent(event);
}

} // namespace latchkey::gui
