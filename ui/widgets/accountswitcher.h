#pragma once

#include <latchkey/types.h>

#include <QPixmap>
#include <QToolButton>

class QMenu;

namespace latchkey {
class Client;
}

namespace latchkey::gui {

/// A round avatar with the first letter of `name`, in the palette's highlight colours.
QPixmap initialsAvatar(const QString &name, int size, const QPalette &palette);

/// The name people know an account by: its name, else the part of its address before the @.
QString accountName(const User &user);

/// The account switcher at the top of the window (like Nextcloud's or Slack's): the active
/// account's avatar and name; its menu lists every account signed in on this device, then "Add
/// another account…" and "Sign out of all accounts". Hidden while no account is signed in here.
class AccountSwitcher : public QToolButton
{
    Q_OBJECT

public:
    /// `client` must outlive the switcher.
    explicit AccountSwitcher(Client &client, QWidget *parent = nullptr);

    /// Reads the accounts (at start, and again after a sign-in, a switch or a sign-out). Hidden
    /// until called.
    void refresh();

signals:
    /// Another account was chosen: the window switches to it.
    void switchRequested(qint64 userId);
    /// The active account was chosen: back to its Home.
    void activeChosen();
    void addAccountRequested();
    void signOutAllRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    Client &m_client;
    QMenu *m_menu = nullptr;
};

} // namespace latchkey::gui
