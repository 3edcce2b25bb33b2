#pragma once

// The models behind Profile's and Dashboard's lists: sign-in methods, this device's sessions and
// the account's activity. Each row has a title (Qt::DisplayRole), a second line, an optional
// badge ("This session"), an icon, a tooltip with the full dates and an accessible text that
// reads all of it.

#include <latchkey/types.h>

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>
#include <QPalette>

namespace latchkey::gui {

/// The roles ItemListModel answers besides Qt's own.
enum ItemRole {
    SecondaryTextRole = Qt::UserRole + 1, ///< the row's second line
    BadgeRole, ///< a short mark shown at the end of the title, e.g. "This session"
    IdRole, ///< the database id of what the row shows (qint64)
};

/// A read-only list whose rows are computed from a plain value list; times are told relative to
/// now() and icons follow palette().
class ItemListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    /// The moment relative times are told against (invalid: the current time).
    void setNow(const QDateTime &now);
    QDateTime now() const;
    /// The palette icons are chosen for (GitHub's light mark on a dark one).
    void setPalette(const QPalette &palette);

protected:
    /// What one row shows.
    struct Row
    {
        QString title;
        QString secondary;
        QString badge;
        QString toolTip;
        QIcon icon;
        qint64 id = 0;
    };
    virtual int count() const = 0;
    virtual Row row(int index) const = 0;
    const QPalette &palette() const { return m_palette; }
    /// "2 hours ago" for `when`.
    QString relative(const QDateTime &when) const;

private:
    const Row &cachedRow(int index) const;
    void refreshAll();
    mutable QHash<int, Row> m_rows; // what row() said, until now or the palette changes
    QDateTime m_now;
    QPalette m_palette;
};

/// The person's sign-in methods: the provider's label and mark, or "Email" and the address.
class SignInMethodModel : public ItemListModel
{
    Q_OBJECT

public:
    SignInMethodModel(const QList<Account> &accounts, const QList<Provider> &providers,
                      QObject *parent = nullptr);

protected:
    int count() const override { return int(m_accounts.size()); }
    Row row(int index) const override;

private:
    QList<Account> m_accounts;
    QList<Provider> m_providers;
};

/// The person's sessions in this database, the current one first and marked "This session".
class DeviceSessionModel : public ItemListModel
{
    Q_OBJECT

public:
    explicit DeviceSessionModel(const QList<DeviceSession> &sessions, QObject *parent = nullptr);

protected:
    int count() const override { return int(m_sessions.size()); }
    Row row(int index) const override;

private:
    QList<DeviceSession> m_sessions;
};

/// The account's activity, newest first, each entry said in words ("Signed in with Google").
class ActivityModel : public ItemListModel
{
    Q_OBJECT

public:
    ActivityModel(const QList<ActivityEntry> &activity, const QList<Provider> &providers,
                  QObject *parent = nullptr);

protected:
    int count() const override { return int(m_activity.size()); }
    Row row(int index) const override;

private:
    QList<ActivityEntry> m_activity;
    QList<Provider> m_providers;
};

/// The mark of a sign-in method: the provider's logo as its guidelines ask, the desktop's mail
/// icon for email (or a drawn envelope), else the label's first letter in a circle.
QIcon methodIcon(const QString &providerId, const QList<Provider> &providers,
                 const QPalette &palette);

} // namespace latchkey::gui
