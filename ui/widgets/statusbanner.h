#pragma once

#include "banner.h"

#include <latchkey/client.h>

namespace latchkey::gui {

class WindowState;

/// The window's banner over a Client: one row each for a notice from the window, the keychain's
/// state (locked at start: Unlock; failed: Try again; the first run's explanation of the system
/// keyring, before any keyring prompt), a database problem and the developer mailbox. Each row
/// goes as soon as its condition does (Client::problemChanged() and friends).
class StatusBanner : public Banner
{
    Q_OBJECT

public:
    /// `client` and `state` (the window's, where the keyring note's dismissal is kept) must
    /// outlive the banner.
    StatusBanner(Client &client, WindowState &state, QWidget *parent = nullptr);

    /// Shows `text` as the window's notice (why a session ended, what could not be done) until
    /// the next call or Dismiss; empty: none.
    void setNotice(const QString &text);
    /// Reads the client's state again and shows what applies now.
    void refresh();

signals:
    /// The person dismissed the notice.
    void noticeDismissed();
    /// The person pressed Unlock: the keyring's own prompt follows, then a saved session may
    /// come back.
    void unlockRequested();

private:
    void showProblem();
    void showKeyringNote();
    void showOutbox();
    void openOutbox();
    /// No session was ever kept in this device's keychain, and the keychain is in use: the
    /// system may ask to create or unlock a keyring at the first sign-in.
    bool firstRun();
    /// From now on firstRun() is false (kept in the window's state).
    void rememberKeyringExplained();

    Client &m_client;
    WindowState &m_state;
};

} // namespace latchkey::gui
