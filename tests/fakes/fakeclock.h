#pragma once

#include "core/clock.h"

namespace latchkey::test {

/// A clock that only moves when told to.
class FakeClock final : public Clock
{
public:
    explicit FakeClock(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC))
        : m_now(std::move(start))
    { }
    QDateTime now() const override { return m_now; }
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }
    void set(QDateTime at) { m_now = std::move(at); }

private:
    QDateTime m_now;
};

} // namespace latchkey::test
