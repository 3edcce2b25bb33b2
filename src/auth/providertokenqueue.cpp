// ProviderTokens, the revocation queue (docs/security.md): a token about to be revoked at
// sign-out is kept, sealed with a key from the keychain, until its provider answered; one that
// could not reach its provider is tried again at the next start, when the network comes back, and
// with growing pauses while the program runs.
#include "providertokens.h"

#include "core/logging.h"
#include "core/random.h"
#include "core/sealedbox.h"
#include "keychain/secretstore.h"
#include "storage/revocationrepository.h"

#include <QNetworkInformation>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

constexpr qint64 kFirstPauseSecs = 60;
constexpr qint64 kLongestPauseSecs = 3600;

// What a sealed token is bound to: a box copied to another row's provider does not open.
QByteArray associatedData(const QString &providerId, const QString &tokenTypeHint)
{
    return providerId.toUtf8() + '\0' + tokenTypeHint.toUtf8();
}

// One minute after the first failure, then twice as long each time, at most an hour.
qint64 pauseAfter(int attempts)
{
    return std::min(kLongestPauseSecs, kFirstPauseSecs << std::min(attempts, 6));
}

} // namespace

void ProviderTokens::withRevocationKey(bool create,
                                       std::function<void(const Result<QByteArray> &)> done)
{
    if (!m_revocationKey.isEmpty()) {
        QTimer::singleShot(0, this, [this, done]() { done(m_revocationKey); });
        return;
    }
    SecretStore &secrets = m_deps.secrets;
    secrets.read(secretkeys::revocationKey(), this,
                 [this, &secrets, create, done](const Result<QByteArray> &stored) {
                     if (stored && stored->size() == sealedbox::kKeyBytes) {
                         m_revocationKey = stored.value();
                         done(m_revocationKey);
                         return;
                     }
                     if (!create || (!stored && stored.error().kind != ErrorKind::NotFound)) {
                         done(stored ? Result<QByteArray>(Error::make(ErrorKind::NotFound,
                                                                      u"No revocation key."_s))
                                     : stored);
                         return;
                     }
                     const QByteArray key = random::bytes(sealedbox::kKeyBytes);
                     secrets.write(secretkeys::revocationKey(), key, this,
                                   [this, key, done](Status written) {
                                       if (!written) {
                                           done(written.error());
                                           return;
                                       }
                                       m_revocationKey = key;
                                       done(key);
                                   });
                 });
}

void ProviderTokens::queueRevocation(const QString &providerId, const QString &token,
                                     const QString &tokenTypeHint, std::function<void(qint64)> done)
{
    withRevocationKey(
            true, [this, providerId, token, tokenTypeHint, done](const Result<QByteArray> &key) {
                if (!key) {
                    // Revoked now all the same; only a later try is lost.
                    qCWarning(lcAuth) << "cannot queue the revocation (no key in the keychain):"
                                      << errorKindName(key.error().kind);
                    done(0);
                    return;
                }
                auto sealed = sealedbox::seal(key.value(), token.toUtf8(),
                                              associatedData(providerId, tokenTypeHint));
                auto row = sealed
                        ? RevocationRepository(m_deps.db).add(providerId, tokenTypeHint,
                                                              sealed.value(), m_deps.clock.now())
                        : Result<PendingRevocation>(sealed.error());
                if (!row)
                    qCWarning(lcAuth) << "cannot queue the revocation:" << row.error().message;
                done(row ? row->id : 0);
            });
}

void ProviderTokens::revokeQueued(const OidcProviderConfig &provider, qint64 row, int attempts,
                                  const QString &token, const QString &tokenTypeHint,
                                  std::function<void()> done)
{
    revoke(provider, token, tokenTypeHint,
           [this, providerId = provider.id, row, attempts, done](bool answered) {
               RevocationRepository queue(m_deps.db);
               if (answered) {
                   if (row != 0)
                       (void)queue.remove(row);
               } else if (row != 0) {
                   (void)queue.postpone(row, m_deps.clock.now().addSecs(pauseAfter(attempts)));
                   qCInfo(lcAuth) << "the provider" << providerId
                                  << "could not be reached; its revocation waits";
                   emit revocationDeferred(providerId);
                   scheduleRetry();
               }
               done();
           });
}

void ProviderTokens::retryRevocations()
{
    if (m_retrying)
        return;
    // Every row, due or not: this runs at a start, when the network came back, or when the
    // pause of the earliest row is over; the pauses only space out the tries while a run lasts.
    const QDateTime now = m_deps.clock.now();
    auto due = RevocationRepository(m_deps.db).all();
    if (!due) {
        qCWarning(lcAuth) << "cannot read the revocation queue:" << due.error().message;
        return;
    }
    if (due->isEmpty()) {
        if (m_retryTimer)
            m_retryTimer->stop();
        return; // the usual start: one query, no keychain read
    }
    m_retrying = true;
    ++m_busy;
    withRevocationKey(false, [this, rows = due.value(), now](const Result<QByteArray> &key) {
        RevocationRepository queue(m_deps.db);
        auto settled = std::make_shared<qsizetype>(rows.size());
        auto finish = [this, settled]() {
            if (--*settled > 0)
                return;
            m_retrying = false;
            scheduleRetry();
            if (--m_busy == 0)
                notifyIdle();
        };
        if (!key && key.error().kind != ErrorKind::NotFound) {
            // A locked or unreachable keychain: the rows wait for a later try.
            qCInfo(lcAuth) << "the revocation queue waits for the keychain";
            *settled = 1;
            finish();
            return;
        }
        for (const PendingRevocation &row : rows) {
            const OidcProviderConfig *provider = m_deps.config.provider(row.provider);
            auto token = key ? sealedbox::open(key.value(), row.sealed,
                                               associatedData(row.provider, row.tokenTypeHint))
                             : Result<QByteArray>(key.error());
            if (!token && token.error().code == ErrorCode::ModuleMissing) {
                finish(); // the installation is broken, not the box: kept for a later start
                continue;
            }
            if (!provider || !token || row.queuedAt.addDays(kGiveUpAfterDays) < now) {
                // Nothing can revoke it any more (or it expired long ago): it is dropped.
                qCInfo(lcAuth) << "a queued revocation for" << row.provider << "is given up";
                (void)queue.remove(row.id);
                finish();
                continue;
            }
            revokeQueued(*provider, row.id, row.attempts + 1, QString::fromUtf8(token.value()),
                         row.tokenTypeHint, finish);
        }
    });
}

void ProviderTokens::scheduleRetry()
{
    auto next = RevocationRepository(m_deps.db).nextDue();
    if (!next || !next->isValid()) {
        if (m_retryTimer)
            m_retryTimer->stop();
        return;
    }
    if (!m_retryTimer) {
        m_retryTimer = new QTimer(this);
        m_retryTimer->setSingleShot(true);
        connect(m_retryTimer, &QTimer::timeout, this, &ProviderTokens::retryRevocations);
    }
    const qint64 waitMs = std::clamp<qint64>(m_deps.clock.now().msecsTo(next.value()), 1000,
                                             kLongestPauseSecs * 1000);
    m_retryTimer->start(std::chrono::milliseconds(waitMs));
    // Back online: try at once rather than at the end of the pause. Loaded only once something
    // waits, so a start with an empty queue loads no network-information plugin.
    if (!m_watchingNetwork &&
        QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        m_watchingNetwork = true;
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability == QNetworkInformation::Reachability::Online)
                        retryRevocations();
                });
    }
}

} // namespace latchkey
