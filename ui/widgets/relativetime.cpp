#include "relativetime.h"

#include <QLocale>

#include <cstdlib>

namespace latchkey::gui {

namespace {

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDaysInWords = 31; // further than this, the date itself

} // namespace

QString RelativeTime::between(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return {};
    // Calendar days count in the person's time zone: 23:50 yesterday is "yesterday".
    const qint64 days = when.toLocalTime().date().daysTo(now.toLocalTime().date());
    const qint64 seconds = when.secsTo(now);
    if (std::abs(days) >= kDaysInWords)
        return QLocale().toString(when.toLocalTime().date(), QLocale::ShortFormat);
    return seconds >= 0 ? past(seconds, days) : future(-seconds, -days);
}

QString RelativeTime::past(qint64 seconds, qint64 days)
{
    if (seconds < kMinute)
        return tr("just now");
    if (seconds < kHour)
        return tr("%n minute(s) ago", nullptr, int(seconds / kMinute));
    if (days == 0)
        return tr("%n hour(s) ago", nullptr, int(seconds / kHour));
    if (days == 1)
        return tr("yesterday");
    return tr("%n day(s) ago", nullptr, int(days));
}

QString RelativeTime::future(qint64 seconds, qint64 days)
{
    if (seconds < kMinute)
        return tr("in less than a minute");
    if (seconds < kHour)
        return tr("in %n minute(s)", nullptr, int(seconds / kMinute));
    if (days == 0)
        return tr("in %n hour(s)", nullptr, int(seconds / kHour));
    if (days == 1)
        return tr("tomorrow");
    return tr("in %n day(s)", nullptr, int(days));
}

QString RelativeTime::full(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    return locale.toString(local.date(), QLocale::LongFormat) + u' ' +
            locale.toString(local.time(), QLocale::ShortFormat) + u' ' +
            local.timeZoneAbbreviation();
}

} // namespace latchkey::gui
