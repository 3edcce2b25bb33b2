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

/// The picture at `path` (Client::avatarPath()) cut to a circle of `size`, like initialsAvatar();
/// null when there is none or it cannot be read: show initials then.
QPixmap pictureAvatar(const QString &path, int size);

/// The account's picture when there is one, else its initials.
QPixmap accountAvatar(const QString &picturePath, const QString &name, int size,
                      const QPalette &palette);

/// The name people know an account by: its name, else the part of its address before the @.
QString accountName(const User &user);

/// The account switcher at the top of the window's sidebar (like Nextcloud's or Slack's): the
/// active account's avatar and name; its menu lists every account signed in on this device, then
/// "Add another account…" and "Sign out of all accounts". Hidden while no account is signed in
/// here.
class AccountSwitcher : public QToolButton
{
    Q_OBJECT

public:
    /// `client` must outlive the switcher.
    explicit AccountSwitcher(Client &client, QWidget *parent = nullptr);

    /// Reads the accounts (at start, and again after a sign-in, a switch or a sign-out). Hidden
    /// until called.
    void refresh();
    /// Whether an account is signed in on this device (as of the last refresh()).
    bool hasAccounts() const { return m_hasAccounts; }
    /// Elides the active account's name to `width` pixels (the full name is in the tooltip).
    void setTextWidth(int width);

signals:
    /// refresh() read the accounts again.
    void accountsChanged();
    /// Another account was chosen: the window switches to it.
    void switchRequested(qint64 userId);
    /// The active account was chosen: back to its Home.
    void activeChosen();
    void addAccountRequested();
    void signOutAllRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    /// A picture arrived for `userId`: its menu entry (and the button, if active) shows it.
    void showPicture(qint64 userId);
    void showName();

    Client &m_client;
    qint64 m_activeId = 0;
    bool m_hasAccounts = false;
    QString m_name; // the active account's, or "Accounts"
    int m_textWidth = 0; // 0: not elided
    QMenu *m_menu = nullptr;
};

} // namespace latchkey::gui
