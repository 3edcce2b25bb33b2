#include "itemlistmodels.h"

#include "accountswitcher.h"
#include "pages.h"
#include "providericon.h"
#include "relativetime.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace latchkey::gui {

namespace {

constexpr int kIconPixels = 64; // drawn icons, scaled down by the view

const Provider *findProvider(const QString &providerId, const QList<Provider> &providers)
{
    for (const Provider &provider : providers) {
        if (provider.id == providerId)
            return &provider;
    }
    return nullptr;
}

QString methodLabel(const QString &providerId, const QList<Provider> &providers)
{
    const Provider *provider = findProvider(providerId, providers);
    return provider ? provider->label : providerId; // a provider no longer configured
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

/// An envelope in the palette's text colour, for a desktop without a mail icon in its theme.
QIcon envelopeIcon(const QPalette &palette)
{
    QPixmap pixmap(kIconPixels, kIconPixels);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(
            QPen(palette.color(QPalette::Text), 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    const QRectF body(6, 14, 52, 36);
    painter.drawRoundedRect(body, 4, 4);
    QPainterPath flap(body.topLeft() + QPointF(2, 2));
    flap.lineTo(body.center().x(), body.center().y() + 2);
    flap.lineTo(body.topRight() + QPointF(-2, 2));
    painter.drawPath(flap);
    return QIcon(pixmap);
}

} // namespace

QIcon methodIcon(const QString &providerId, const QList<Provider> &providers,
                 const QPalette &palette)
{
    if (providerId == u"email")
        return QIcon::fromTheme(QStringLiteral("internet-mail"), envelopeIcon(palette));
    const Provider *provider = findProvider(providerId, providers);
    if (!provider)
        return QIcon(initialsAvatar(providerId, kIconPixels, palette));
    const QIcon brand = providerIcon(provider->preset, palette.color(QPalette::Base));
    return brand.isNull() ? QIcon(initialsAvatar(provider->label, kIconPixels, palette)) : brand;
}

// ItemListModel

int ItemListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ItemListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &shown = cachedRow(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return shown.title;
    case SecondaryTextRole:
        return shown.secondary;
    case BadgeRole:
        return shown.badge;
    case Qt::ToolTipRole:
        return shown.toolTip;
    case Qt::DecorationRole:
        return shown.icon.isNull() ? QVariant() : QVariant(shown.icon);
    case IdRole:
        return shown.id;
    case Qt::AccessibleTextRole: {
        QStringList parts{shown.title, shown.badge, shown.secondary};
        parts.removeAll(QString());
        return parts.join(QStringLiteral(", "));
    }
    case Qt::AccessibleDescriptionRole:
        return shown.toolTip;
    default:
        return {};
    }
}

const ItemListModel::Row &ItemListModel::cachedRow(int index) const
{
    auto found = m_rows.find(index);
    if (found == m_rows.end())
        found = m_rows.insert(index, row(index));
    return found.value();
}

void ItemListModel::setNow(const QDateTime &now)
{
    m_now = now;
    refreshAll();
}

QDateTime ItemListModel::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

void ItemListModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    refreshAll();
}

QString ItemListModel::relative(const QDateTime &when) const
{
    return RelativeTime::between(when, now());
}

void ItemListModel::refreshAll()
{
    m_rows.clear();
    if (count() > 0)
        emit dataChanged(index(0), index(count() - 1));
}

// SignInMethodModel

SignInMethodModel::SignInMethodModel(const QList<Account> &accounts,
                                     const QList<Provider> &providers, QObject *parent)
    : ItemListModel(parent), m_accounts(accounts), m_providers(providers)
{ }

ItemListModel::Row SignInMethodModel::row(int index) const
{
    const Account &account = m_accounts.at(index);
    Row shown;
    shown.id = account.id;
    shown.icon = methodIcon(account.provider, m_providers, palette());
    QStringList details;
    QStringList times{ProfilePage::tr("Added: %1").arg(RelativeTime::full(account.createdAt))};
    if (account.type == Account::Type::Email) {
        shown.title = ProfilePage::tr("Email");
        details.append(account.providerAccountId); // the address
    } else {
        shown.title = methodLabel(account.provider, m_providers);
    }
    details.append(ProfilePage::tr("added %1").arg(relative(account.createdAt)));
    // How current the provider's details are: they stay usable offline, as of this time.
    if (account.refreshedAt.isValid()) {
        details.append(ProfilePage::tr("updated %1").arg(relative(account.refreshedAt)));
        times.append(ProfilePage::tr("Updated: %1").arg(RelativeTime::full(account.refreshedAt)));
    }
    shown.secondary = details.join(QStringLiteral(" · "));
    shown.toolTip = times.join(u'\n');
    return shown;
}

// DeviceSessionModel

DeviceSessionModel::DeviceSessionModel(const QList<DeviceSession> &sessions, QObject *parent)
    : ItemListModel(parent), m_sessions(sessions)
{
    // This session first, the others in the order given.
    std::stable_partition(m_sessions.begin(), m_sessions.end(),
                          [](const DeviceSession &session) { return session.current; });
}

ItemListModel::Row DeviceSessionModel::row(int index) const
{
    const DeviceSession &session = m_sessions.at(index);
    Row shown;
    shown.id = session.id;
    shown.title =
            session.deviceName.isEmpty() ? ProfilePage::tr("Unknown device") : session.deviceName;
    if (session.current)
        shown.badge = ProfilePage::tr("This session");
    shown.secondary = ProfilePage::tr("Last active %1 · expires %2")
                              .arg(relative(session.lastSeenAt), relative(session.expires));
    shown.toolTip =
            QStringList{
                    ProfilePage::tr("Signed in: %1").arg(RelativeTime::full(session.createdAt)),
                    ProfilePage::tr("Last active: %1").arg(RelativeTime::full(session.lastSeenAt)),
                    ProfilePage::tr("Expires: %1").arg(RelativeTime::full(session.expires))}
                    .join(u'\n');
    return shown;
}

// ActivityModel

ActivityModel::ActivityModel(const QList<ActivityEntry> &activity, const QList<Provider> &providers,
                             QObject *parent)
    : ItemListModel(parent), m_activity(activity), m_providers(providers)
{ }

ItemListModel::Row ActivityModel::row(int index) const
{
    const ActivityEntry &entry = m_activity.at(index);
    Row shown;
    shown.title = describe(entry, m_providers);
    shown.secondary = relative(entry.at);
    if (!entry.providerId.isEmpty())
        shown.icon = methodIcon(entry.providerId, m_providers, palette());
    shown.toolTip = RelativeTime::full(entry.at);
    // For a failure, what went wrong.
    if (entry.error != ErrorCode::Unspecified)
        shown.toolTip += u'\n' + errorMessage(Error::make(ErrorKind::Protocol, entry.error, {}));
    return shown;
}

} // namespace latchkey::gui
