#pragma once

#include <latchkey/browserlauncher.h>

#include <QList>

#include <optional>

namespace latchkey::test {

/// A BrowserLauncher for unit tests: records every URL it is asked to open and answers with
/// success, or with the failure armed by failNext() (a desktop without a browser).
class FakeBrowser final : public BrowserLauncher
{
public:
    Status open(const QUrl &url) override
    {
        m_opened.append(url);
        if (m_nextFailure)
            return *std::exchange(m_nextFailure, std::nullopt);
        return {};
    }

    /// The URLs asked for so far, oldest first.
    const QList<QUrl> &opened() const { return m_opened; }
    /// The next open() fails with `error`.
    void failNext(Error error) { m_nextFailure = std::move(error); }

private:
    QList<QUrl> m_opened;
    std::optional<Error> m_nextFailure;
};

} // namespace latchkey::test
