#pragma once

// Times as people read them in a list: "2 hours ago", "yesterday", "in 29 days", with the full
// local date and time (and its zone) for a tooltip.

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace latchkey::gui {

/// How a list says when something happened or will happen.
class RelativeTime
{
    Q_DECLARE_TR_FUNCTIONS(latchkey::gui::RelativeTime)

public:
    /// `when` relative to `now` in the person's language: "just now", "%n minute(s) ago", "%n
    /// hour(s) ago" (same local day), "yesterday", "%n day(s) ago" (under a month); the same
    /// forwards ("in %n hour(s)", "tomorrow", …); further away, the local date. Empty for an
    /// invalid `when`.
    static QString between(const QDateTime &when, const QDateTime &now);

    /// The full local date and time with the zone's abbreviation, e.g. "Tuesday, 3 March 2026
    /// 14:05 CET" (QLocale's long date, short time). Empty for an invalid `when`.
    static QString full(const QDateTime &when);

private:
    static QString past(qint64 seconds, qint64 days);
    static QString future(qint64 seconds, qint64 days);
};

} // namespace latchkey::gui
