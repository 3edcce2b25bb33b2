#pragma once

#include <QFrame>
#include <QList>
#include <QString>

#include <optional>

class QToolButton;

namespace latchkey::gui {

class AccountSwitcher;

/// The views a user can ask for. Dashboard and Profile are gated: they are only constructed with a
/// valid session; asked for while signed out, sign-in comes first and then the view (callbackUrl).
enum class View { Home, Dashboard, Profile };

/// Every view, in the order the navigation lists them.
inline constexpr View kViews[] = {View::Home, View::Dashboard, View::Profile};

/// A view's name in window.ini, LATCHKEY_AFTER_SIGN_IN and `--view`: home, dashboard, profile.
QString viewKey(View view);
/// The view `key` names; nothing for another word.
std::optional<View> viewFromKey(QStringView key);

/// Back and Forward over the views, like a browser's: opening another view drops what was ahead.
class ViewHistory
{
public:
    /// `view` is now shown. Nothing changes when it is the current entry (a view rebuilt, or the
    /// one back() or forward() just returned).
    void visit(View view);
    /// Steps one view back and returns it; nothing at the first view.
    std::optional<View> back();
    /// Steps one view forward and returns it; nothing at the last view.
    std::optional<View> forward();
    bool canGoBack() const { return m_index > 0; }
    bool canGoForward() const { return m_index + 1 < m_views.size(); }
    /// Forgets every view (at sign-out).
    void clear();

private:
    QList<View> m_views;
    qsizetype m_index = -1;
};

/// The sidebar of the signed-in window: the account switcher at its top, then one entry per view
/// (icon above its name), the current view highlighted. Entries are buttons: Tab reaches them,
/// Space opens one. Its width depends on the font and language only, never on the view.
class Navigation : public QFrame
{
    Q_OBJECT

public:
    /// Places `accounts` at the top; the sidebar sizes its name to fit.
    explicit Navigation(AccountSwitcher *accounts, QWidget *parent = nullptr);

    /// Highlights `view`'s entry (none: nothing highlighted, e.g. on the sign-in page).
    void setCurrent(std::optional<View> view);
    /// The entry that opens `view` (named nav<View>, e.g. navDashboard).
    QToolButton *entry(View view) const;

signals:
    /// An entry was chosen; the window opens `view` through its session gate and then calls
    /// setCurrent().
    void viewRequested(View view);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fitWidth();
    void showCurrent();

    AccountSwitcher *m_accounts = nullptr;
    QList<QToolButton *> m_entries; // in kViews order
    std::optional<View> m_current;
};

} // namespace latchkey::gui
