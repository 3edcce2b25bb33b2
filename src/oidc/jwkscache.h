#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "josefetcher.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace latchkey::oidc {

/// The signature verification keys of one issuer, from its `jwks_uri` only (OIDC Core §10.1,
/// RFC 8725 §3.10), kept in memory and refetched when a token names a key it does not hold —
/// at most once a minute, so a stream of forged `kid`s cannot make it hammer the provider.
///
///   findKey(kid, alg) ──► in the set? ──yes──► key
///                            │ no (or set empty/stale)
///                            ▼
///       first fetch, or last refetch ≥ 60 s ago? ──no──► NotFound
///                            │ yes
///                            ▼
///                  GET jwks_uri ──► select again ──► key | NotFound
class JwksCache : public QObject
{
    Q_OBJECT

public:
    /// One verification key of the set.
    struct Key
    {
        QString kid; ///< `kid`, may be empty
        QString kty; ///< "RSA" or "EC"
        QString crv; ///< "P-256" etc. for EC keys
        QString alg; ///< the JWK's `alg`, may be empty
        qint64 bits = 0; ///< the key size (RSA: the modulus), as cjose reports it
        QByteArray jwk; ///< the public key as compact JSON, which cjose imports (never empty)
    };
    /// Called once with the selected key; NotFound when the set has no key for the token,
    /// Network/Timeout/Protocol when the set could not be fetched.
    using KeyCallback = std::function<void(Result<Key>)>;

    /// Minimum time between two refetches triggered by an unknown `kid` (the first fetch of the
    /// set does not count).
    static constexpr qint64 kMinRefetchIntervalSecs = 60;
    /// A set older than this is fetched again before use (the old keys serve if that fails).
    static constexpr qint64 kDefaultMaxAgeSecs = 24 * 3600;

    /// A cache for `jwksUri` (from validated provider metadata) that fetches with `fetcher` and
    /// reads time from `clock` (which must outlive the cache).
    JwksCache(QUrl jwksUri, DocumentFetcher fetcher, const Clock &clock, QObject *parent = nullptr);
    ~JwksCache() override;

    /// The key set's URL.
    QUrl jwksUri() const { return m_jwksUri; }

    /// Keeps the fetched set across runs in `path` (a JSON file shared by every issuer's cache
    /// over the same data dir; public keys only, owner-only, written atomically): the set stored
    /// there is loaded on first use and serves until its lifetime ends; an unknown `kid` still
    /// refetches. A missing or corrupt file is ignored. Call before the first findKey().
    void setStoreFile(const QString &path) { m_storeFile = path; }

    /// Finds the key for a JWS signed with `alg` (RS256 → RSA, ES256 → EC P-256) and `kid`,
    /// fetching or refetching the set as described above. `callback` runs exactly once from the
    /// event loop (never synchronously), and not at all once `context` (non-null) is destroyed.
    void findKey(const QString &kid, const QString &alg, QObject *context, KeyCallback callback);

    /// Fetches the set now (ignoring the rate limit) and reports the outcome.
    void refresh(QObject *context, std::function<void(Status)> callback);

    /// True while the keys held were loaded from the store file and not fetched in this run: a
    /// provider may have replaced a key since under the same `kid`, so a signature that does not
    /// verify with one of them is worth one refresh() (IdTokenValidator does).
    bool heldFromStore() const { return m_heldFromStore; }

    /// The `kid`s of the keys currently held.
    QStringList keyIds() const;
    /// How many fetches were started (for diagnostics and tests).
    int fetchCount() const { return m_fetchCount; }

    /// Parses a JWK Set (RFC 7517 §5). Only public RSA and EC signature keys are kept: symmetric
    /// (`oct`) keys, keys with private members, `use` other than "sig", and keys cjose cannot
    /// import are skipped. Errors: Protocol when the document is not a JWK Set.
    static Result<QList<Key>> parseKeySet(const QByteArray &json);

    /// Selects the key for `kid` and `alg` from `keys`, or nothing.
    static std::optional<Key> select(const QList<Key> &keys, const QString &kid,
                                     const QString &alg);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        QString kid;
        QString alg;
        KeyCallback callback;
    };
    void fetch();
    void handleFetched(const Result<HttpResponse> &response);
    void loadStored();
    void store() const;
    Result<Key> lookup(const QString &kid, const QString &alg,
                       const std::optional<Error> &fetchError) const;

    QUrl m_jwksUri;
    DocumentFetcher m_fetcher;
    const Clock &m_clock;
    QList<Key> m_keys;
    QDateTime
            m_fetchedAt; // last successful fetch (here or, loaded from m_storeFile, in a past run)
    qint64 m_maxAgeSecs = kDefaultMaxAgeSecs; // the set's lifetime
    QString m_storeFile;
    bool m_storeLoaded = false;
    bool m_heldFromStore = false;
    QDateTime m_lastRefetchAt; // last fetch started for an unknown kid or an old set
    QList<Waiter> m_waiters;
    QList<std::pair<QPointer<QObject>, std::function<void(Status)>>> m_refreshWaiters;
    QPointer<QObject> m_request;
    int m_fetchCount = 0;
};

} // namespace latchkey::oidc
