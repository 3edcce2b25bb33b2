#include "discoverycache.h"

#include "discoveryjob.h"

#include <QTimer>

namespace latchkey::oidc {

DiscoveryCache::DiscoveryCache(DocumentFetcher fetcher, const Clock &clock, QObject *parent)
    : QObject(parent), m_fetcher(std::move(fetcher)), m_clock(clock)
{ }

DiscoveryCache::~DiscoveryCache() = default;

QString DiscoveryCache::keyFor(const QString &issuer, const MetadataOptions &options)
{
    // Metadata validated under allowLoopbackHttp must not be served to a caller without it.
    return issuer + (options.allowLoopbackHttp ? u"\n1\n" : u"\n0\n") + options.documentIssuer;
}

std::optional<ProviderMetadata> DiscoveryCache::cached(const QString &issuer,
                                                       const MetadataOptions &options) const
{
    const auto it = m_entries.constFind(keyFor(issuer, options));
    if (it == m_entries.cend())
        return std::nullopt;
    const qint64 age = it->fetchedAt.secsTo(m_clock.now());
    if (age < 0 || age >= m_maxAgeSecs)
        return std::nullopt;
    return it->metadata;
}

void DiscoveryCache::metadata(const QString &issuer, const MetadataOptions &options,
                              QObject *context, Callback callback)
{
    if (auto hit = cached(issuer, options)) {
        QTimer::singleShot(0, context, [callback = std::move(callback), value = std::move(*hit)]() {
            callback(value);
        });
        return;
    }
    const QString key = keyFor(issuer, options);
    auto &waiters = m_waiters[key];
    waiters.append(Waiter{context, std::move(callback)});
    if (waiters.size() > 1)
        return; // a fetch for this issuer is already running

    auto *job = new DiscoveryJob(issuer, m_fetcher, this);
    job->setOptions(options);
    connect(job, &DiscoveryJob::finished, this,
            [this, job, key](const Result<ProviderMetadata> &result) {
                job->deleteLater();
                complete(key, result);
            });
    job->start();
}

void DiscoveryCache::complete(const QString &key, const Result<ProviderMetadata> &result)
{
    if (result)
        m_entries.insert(key, Entry{result.value(), m_clock.now()});
    const QList<Waiter> waiters = m_waiters.take(key);
    for (const Waiter &waiter : waiters) {
        if (waiter.context)
            waiter.callback(result);
    }
}

} // namespace latchkey::oidc
