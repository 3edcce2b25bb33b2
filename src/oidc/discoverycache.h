#pragma once

#include "core/clock.h"
#include "josefetcher.h"
#include "providermetadata.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace latchkey::oidc {

class DiscoveryJob;

/// Provider metadata per issuer, fetched once and kept in memory for the process (up to a max
/// age). Concurrent requests for one issuer share one fetch. Failures are not cached.
class DiscoveryCache : public QObject
{
    Q_OBJECT

public:
    /// Called once with the metadata or the DiscoveryJob's error.
    using Callback = std::function<void(Result<ProviderMetadata>)>;

    /// Default time a fetched document is reused.
    static constexpr qint64 kDefaultMaxAgeSecs = 3600;

    /// A cache that fetches with `fetcher` and ages entries by `clock` (which must outlive it).
    DiscoveryCache(DocumentFetcher fetcher, const Clock &clock, QObject *parent = nullptr);
    ~DiscoveryCache() override;

    /// How long a fetched document is reused.
    void setMaxAgeSeconds(qint64 seconds) { m_maxAgeSecs = seconds; }

    /// Delivers the metadata of `issuer`: from memory when fresh, otherwise by a DiscoveryJob.
    /// `callback` runs exactly once from the event loop (never synchronously), and not at all
    /// once `context` is destroyed.
    void metadata(const QString &issuer, const MetadataOptions &options, QObject *context,
                  Callback callback);

    /// The cached, still fresh metadata of `issuer`, if any.
    std::optional<ProviderMetadata> cached(const QString &issuer,
                                           const MetadataOptions &options = {}) const;

    /// Forgets every cached document (pending fetches still complete).
    void clear() { m_entries.clear(); }

private:
    struct Entry
    {
        ProviderMetadata metadata;
        QDateTime fetchedAt;
    };
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };
    static QString keyFor(const QString &issuer, const MetadataOptions &options);
    void complete(const QString &key, const Result<ProviderMetadata> &result);

    DocumentFetcher m_fetcher;
    const Clock &m_clock;
    qint64 m_maxAgeSecs = kDefaultMaxAgeSecs;
    QHash<QString, Entry> m_entries;
    QHash<QString, QList<Waiter>> m_waiters;
};

} // namespace latchkey::oidc
