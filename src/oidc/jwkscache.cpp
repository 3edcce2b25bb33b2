#include "jwkscache.h"

#include "core/josemodule.h"
#include "core/logging.h"
#include "josejson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

#include <vector>

namespace latchkey::oidc {

namespace {

constexpr qint64 kMaxStoreBytes = 4 * 1024 * 1024; // larger is not a file this cache wrote
constexpr qint64 kMinRsaBits = 2048; // RFC 7518 §3.3: RSA keys of 2048 bits or more

// cjose aborts the whole program (an assert in its base64url decoder) on some malformed values,
// e.g. a "=" after a length of 1 mod 4. So every member it decodes must first pass our strict
// decoder (RFC 7515 §2: unpadded base64url), or the key is skipped before cjose sees it.
bool hasBase64UrlMembers(const QJsonObject &object)
{
    for (const char16_t *name :
         {u"n", u"e", u"d", u"p", u"q", u"dp", u"dq", u"qi", u"x", u"y", u"k"}) {
        const QJsonValue value = object.value(QStringView(name));
        if (value.isUndefined())
            continue;
        if (!value.isString() || !jose::decodeBase64Url(value.toString().toLatin1()))
            return false;
    }
    return true;
}

} // namespace

JwksCache::JwksCache(QUrl jwksUri, DocumentFetcher fetcher, const Clock &clock, QObject *parent)
    : QObject(parent), m_jwksUri(std::move(jwksUri)), m_fetcher(std::move(fetcher)), m_clock(clock)
{ }

JwksCache::~JwksCache() = default;

Result<QList<JwksCache::Key>> JwksCache::parseKeySet(const QByteArray &json)
{
    auto parsed = jose::parseObjectStrict(json, QStringLiteral("The provider's key set (JWKS)"),
                                          ErrorKind::Protocol);
    if (!parsed)
        return parsed.error();
    const QJsonValue keys = parsed->value(QStringLiteral("keys"));
    if (!keys.isArray()) {
        return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                           QStringLiteral("The provider's key set (JWKS) has no \"keys\" list. "
                                          "The provider may be misconfigured."));
    }
    const auto jose = joseapi::api(); // loaded already by parseObjectStrict
    if (!jose)
        return jose.error();
    QList<Key> out;
    for (const QJsonValue &value : keys.toArray()) {
        const QJsonObject object = value.toObject();
        const QString kty = object.value(QStringLiteral("kty")).toString();
        // RFC 8725 §3.1: only asymmetric keys verify ID tokens; an `oct` key in a public set would
        // let anyone who reads it forge tokens, so it is never imported.
        if (kty != u"RSA" && kty != u"EC")
            continue;
        // A public set never carries private members; such an entry is a provider mistake.
        if (object.contains(QStringLiteral("d")))
            continue;
        const QJsonValue use = object.value(QStringLiteral("use"));
        if (!use.isUndefined() && use.toString() != u"sig") // RFC 7517 §4.2
            continue;
        const QByteArray jwk = QJsonDocument(object).toJson(QJsonDocument::Compact);
        const joseapi::KeyInfo info =
                hasBase64UrlMembers(object) ? jose.value()->inspectKey(jwk) : joseapi::KeyInfo{};
        if (!info.imported) {
            qCInfo(lcOidc) << "skipping a JWK that cjose cannot import, kid"
                           << object.value(QStringLiteral("kid")).toString();
            continue;
        }
        Key key;
        key.kid = object.value(QStringLiteral("kid")).toString();
        key.kty = kty;
        key.alg = object.value(QStringLiteral("alg")).toString();
        if (kty == u"EC")
            key.crv = info.curve;
        key.bits = info.bits;
        key.jwk = jwk;
        out.append(std::move(key));
    }
    return out;
}

std::optional<JwksCache::Key> JwksCache::select(const QList<Key> &keys, const QString &kid,
                                                const QString &alg)
{
    QList<Key> candidates;
    for (const Key &key : keys) {
        // RFC 8725 §3.1: the key type must match the algorithm family.
        bool typeMatches = false;
        if (alg == u"RS256") {
            typeMatches = key.kty == u"RSA" && key.bits >= kMinRsaBits;
        } else if (alg == u"ES256") {
            typeMatches = key.kty == u"EC" && key.crv == u"P-256";
        }
        if (!typeMatches || (!key.alg.isEmpty() && key.alg != alg)) // RFC 7517 §4.4
            continue;
        if (!kid.isEmpty() && key.kid != kid)
            continue;
        candidates.append(key);
    }
    // OIDC Core §10.1: without a `kid`, the key is unambiguous only if the set has one candidate.
    if (candidates.size() == 1 || (!kid.isEmpty() && !candidates.isEmpty()))
        return candidates.first();
    return std::nullopt;
}

QStringList JwksCache::keyIds() const
{
    QStringList out;
    for (const Key &key : m_keys)
        out.append(key.kid);
    return out;
}

void JwksCache::findKey(const QString &kid, const QString &alg, QObject *context,
                        KeyCallback callback)
{
    Waiter waiter{context, kid, alg, std::move(callback)};
    if (!m_storeLoaded)
        loadStored();
    const QDateTime now = m_clock.now();
    const bool haveSet = m_fetchedAt.isValid();
    const qint64 age = haveSet ? m_fetchedAt.secsTo(now) : 0;
    const bool stale = haveSet && (age < 0 || age >= m_maxAgeSecs);
    const bool known = haveSet && select(m_keys, kid, alg).has_value();

    // OIDC Core §10.1.1 (key rotation): refetch on an unknown kid or an old set, but at most
    // once a minute, so forged kids cannot make us hammer the provider. The first fetch of the
    // set is not a refetch: a key rotated in just after it is still found.
    const qint64 sinceRefetch = m_lastRefetchAt.isValid() ? m_lastRefetchAt.secsTo(now) : -1;
    const bool mayRefetch = !m_lastRefetchAt.isValid() || sinceRefetch < 0 ||
            sinceRefetch >= kMinRefetchIntervalSecs;
    const bool refetch = haveSet && (stale || !known) && mayRefetch;
    if (m_request) {
        m_waiters.append(std::move(waiter)); // a fetch is running: wait for it
        return;
    }
    if (haveSet && !refetch) {
        QTimer::singleShot(0, context,
                           [callback = std::move(waiter.callback),
                            result = lookup(kid, alg, std::nullopt)]() { callback(result); });
        return;
    }
    if (refetch)
        m_lastRefetchAt = now;
    m_waiters.append(std::move(waiter));
    fetch();
}

void JwksCache::refresh(QObject *context, std::function<void(Status)> callback)
{
    m_refreshWaiters.append({context, std::move(callback)});
    if (!m_request)
        fetch();
}

void JwksCache::fetch()
{
    ++m_fetchCount;
    m_request = new QObject(this);
    qCDebug(lcOidc) << "fetching JWKS" << m_jwksUri.toDisplayString();
    m_fetcher(m_jwksUri, m_request,
              [this](Result<HttpResponse> response) { handleFetched(response); });
}

void JwksCache::handleFetched(const Result<HttpResponse> &response)
{
    m_request->deleteLater();
    m_request = nullptr;

    std::optional<Error> error;
    if (!response) {
        error = response.error();
    } else if (response->status != 200) {
        error = Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                            QStringLiteral("The provider's key set at %1 answered HTTP %2. Try "
                                           "again later.")
                                    .arg(m_jwksUri.toDisplayString())
                                    .arg(response->status));
    } else if (auto keys = parseKeySet(response->body); !keys) {
        error = keys.error();
    } else {
        m_keys = keys.value();
        m_heldFromStore = false;
        m_fetchedAt = m_clock.now();
        m_maxAgeSecs = kDefaultMaxAgeSecs;
        store();
    }
    if (error)
        qCInfo(lcOidc) << "JWKS fetch failed:" << error->message;

    // Results are computed before any callback runs: a callback may destroy this cache.
    std::vector<std::pair<Waiter, Result<Key>>> results;
    for (Waiter &waiter : std::exchange(m_waiters, {})) {
        Result<Key> result = lookup(waiter.kid, waiter.alg, error);
        results.emplace_back(std::move(waiter), std::move(result));
    }
    const auto refreshWaiters = std::exchange(m_refreshWaiters, {});
    for (const auto &[waiter, result] : results) {
        if (waiter.context)
            waiter.callback(result);
    }
    for (const auto &[context, callback] : refreshWaiters) {
        if (context)
            callback(error ? Status(*error) : Status());
    }
}

// The store file: {"<jwks_uri>": {"document": "<the JWK Set of the keys kept>", "fetchedAt": <secs
// since the epoch>, "maxAgeSecs": <lifetime>}, ...}. The document is parsed again on load with
// every rule of parseKeySet(), so a file edited by someone else can only make us fetch, never trust
// more.
void JwksCache::loadStored()
{
    m_storeLoaded = true;
    if (m_storeFile.isEmpty() || m_fetchedAt.isValid())
        return;
    QFile file(m_storeFile);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject entry = QJsonDocument::fromJson(file.read(kMaxStoreBytes))
                                      .object()
                                      .value(m_jwksUri.toString())
                                      .toObject();
    const QJsonValue fetchedAt = entry.value(QStringLiteral("fetchedAt"));
    const qint64 maxAge = entry.value(QStringLiteral("maxAgeSecs")).toInteger(-1);
    auto keys = parseKeySet(entry.value(QStringLiteral("document")).toString().toUtf8());
    if (!fetchedAt.isDouble() || maxAge <= 0 || !keys) {
        if (!entry.isEmpty())
            qCInfo(lcOidc) << "ignoring the stored JWKS for" << m_jwksUri.toDisplayString();
        return;
    }
    m_keys = keys.value();
    m_heldFromStore = true;
    m_fetchedAt = QDateTime::fromSecsSinceEpoch(fetchedAt.toInteger(), Qt::UTC);
    m_maxAgeSecs = std::min(maxAge, kDefaultMaxAgeSecs);
}

void JwksCache::store() const
{
    if (m_storeFile.isEmpty())
        return;
    // Only the keys kept (public RSA/EC signature keys): a private member a provider published by
    // mistake is never written down.
    QJsonArray keys;
    for (const Key &key : m_keys)
        keys.append(QJsonDocument::fromJson(key.jwk).object());
    const QByteArray document = QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}})
                                        .toJson(QJsonDocument::Compact);
    QJsonObject all;
    if (QFile file(m_storeFile); file.open(QIODevice::ReadOnly))
        all = QJsonDocument::fromJson(file.read(kMaxStoreBytes)).object();
    all.insert(m_jwksUri.toString(),
               QJsonObject{{QStringLiteral("document"), QString::fromUtf8(document)},
                           {QStringLiteral("fetchedAt"), m_fetchedAt.toSecsSinceEpoch()},
                           {QStringLiteral("maxAgeSecs"), m_maxAgeSecs}});
    QDir().mkpath(QFileInfo(m_storeFile).absolutePath());
    QSaveFile file(m_storeFile);
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(QJsonDocument(all).toJson(QJsonDocument::Compact)) < 0 || !file.commit())
        qCInfo(lcOidc) << "cannot keep the JWKS in" << m_storeFile << ':' << file.errorString();
}

Result<JwksCache::Key> JwksCache::lookup(const QString &kid, const QString &alg,
                                         const std::optional<Error> &fetchError) const
{
    // Keys already held (possibly stale) still serve when a refetch failed.
    if (auto key = select(m_keys, kid, alg))
        return *key;
    if (fetchError)
        return *fetchError;
    return Error::make(ErrorKind::NotFound, ErrorCode::NotFound,
                       QStringLiteral("The provider's key set at %1 has no %2 key with id \"%3\".")
                               .arg(m_jwksUri.toDisplayString(), alg, kid));
}

} // namespace latchkey::oidc
