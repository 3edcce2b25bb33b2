#pragma once

#include <QDateTime>

namespace latchkey {

/// The source of "now" for every expiry decision, so tests can move time with a fake clock.
class Clock
{
public:
    virtual ~Clock() = default;
    /// The current time in UTC.
    virtual QDateTime now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

} // namespace latchkey
