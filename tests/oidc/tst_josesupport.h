#pragma once

// Test-only helpers shared by the oidc/ part 1 tests: cjose key generation, JWS signing (also of
// raw, hostile header bytes) and a fake document fetcher that never touches the network.

#include "oidc/josefetcher.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cjose/cjose.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

namespace latchkey::test {

inline QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

/// A cjose key pair with a kid.
class TestKey
{
public:
    TestKey() = default;
    TestKey(cjose_jwk_t *jwk, const QString &kid) : m_jwk(jwk, &cjose_jwk_release), m_kid(kid)
    {
        const QByteArray k = kid.toUtf8();
        cjose_jwk_set_kid(jwk, k.constData(), static_cast<size_t>(k.size()), nullptr);
    }
    static TestKey rsa(const QString &kid)
    {
        static const uint8_t e[] = {0x01, 0x00, 0x01};
        return TestKey(cjose_jwk_create_RSA_random(2048, e, sizeof(e), nullptr), kid);
    }
    static TestKey ec(const QString &kid)
    {
        return TestKey(cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, nullptr), kid);
    }
    cjose_jwk_t *jwk() const { return m_jwk.get(); }
    QString kid() const { return m_kid; }
    bool isNull() const { return !m_jwk; }

    /// The public JWK as a JSON object (with `kid`), plus `extra` members.
    QJsonObject publicJwk(const QJsonObject &extra = {}) const
    {
        char *json = cjose_jwk_to_json(m_jwk.get(), false, nullptr);
        QJsonObject out = QJsonDocument::fromJson(QByteArray(json)).object();
        cjose_get_dealloc()(json);
        for (auto it = extra.begin(); it != extra.end(); ++it)
            out.insert(it.key(), it.value());
        return out;
    }

private:
    std::shared_ptr<cjose_jwk_t> m_jwk;
    QString m_kid;
};

/// A JWK Set document of the given public keys.
inline QByteArray jwksDocument(const QList<QJsonObject> &keys)
{
    QJsonArray array;
    for (const QJsonObject &key : keys)
        array.append(key);
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), array}})
            .toJson(QJsonDocument::Compact);
}

/// Signs `payload` with cjose under `header` (which must name `alg`).
inline QByteArray signJws(cjose_jwk_t *jwk, const QJsonObject &header, const QByteArray &payload)
{
    const QByteArray headerJson = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json_t *cjoseHeader =
            json_loadb(headerJson.constData(), static_cast<size_t>(headerJson.size()), 0, nullptr);
    cjose_err err;
    cjose_jws_t *jws =
            cjose_jws_sign(jwk, cjoseHeader, reinterpret_cast<const uint8_t *>(payload.constData()),
                           static_cast<size_t>(payload.size()), &err);
    json_decref(cjoseHeader);
    if (!jws)
        return QByteArray("sign-failed:") + err.message;
    const char *compact = nullptr;
    cjose_jws_export(jws, &compact, nullptr);
    QByteArray out(compact);
    cjose_jws_release(jws);
    return out;
}

/// RS256 over raw header bytes (which cjose would never produce, e.g. duplicated names), so a test
/// can prove the rejection comes from the header rule and not from a bad signature.
inline QByteArray signRawRs256(const TestKey &key, const QByteArray &headerJson,
                               const QByteArray &payload)
{
    const QByteArray input = b64url(headerJson) + '.' + b64url(payload);
    // cjose 0.6 hands out an RSA*; wrapping it needs the OpenSSL 1.1 API (test-only).
    auto *rsa = static_cast<RSA *>(cjose_jwk_get_keydata(key.jwk(), nullptr));
    EVP_PKEY *pkey = EVP_PKEY_new();
    EVP_PKEY_set1_RSA(pkey, rsa);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey);
    EVP_DigestSign(ctx, nullptr, &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   static_cast<size_t>(input.size()));
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   static_cast<size_t>(input.size()));
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return input + '.' + b64url(signature.left(static_cast<qsizetype>(length)));
}

/// An unsigned-style token from raw parts: b64url(header).b64url(payload).signature.
inline QByteArray rawToken(const QByteArray &headerJson, const QByteArray &payload,
                           const QByteArray &signature = {})
{
    return b64url(headerJson) + '.' + b64url(payload) + '.' + signature;
}

/// A document fetcher serving canned answers from memory, always asynchronously.
class FakeFetcher
{
public:
    /// Serves `body` with `status` for `url`.
    void serve(const QUrl &url, const QByteArray &body, int status = 200)
    {
        oidc::HttpResponse response;
        response.status = status;
        response.contentType = "application/json";
        response.body = body;
        m_answers.insert(url, response);
    }
    /// Fails `url` with `error`.
    void fail(const QUrl &url, const Error &error) { m_answers.insert(url, error); }
    /// Requests for `url` so far.
    int count(const QUrl &url) const { return m_counts.value(url); }
    /// All requests so far.
    int total() const { return m_total; }
    /// When true, requests are recorded but never answered.
    void setSilent(bool silent) { m_silent = silent; }

    oidc::DocumentFetcher fetcher()
    {
        return [this](const QUrl &url, QObject *context, oidc::HttpCallback callback) {
            ++m_counts[url];
            ++m_total;
            if (m_silent)
                return;
            const Result<oidc::HttpResponse> answer = m_answers.value(
                    url, Error::make(ErrorKind::Network, QStringLiteral("no such host (fake)")));
            QTimer::singleShot(0, context, [callback, answer]() { callback(answer); });
        };
    }

private:
    QHash<QUrl, Result<oidc::HttpResponse>> m_answers;
    QHash<QUrl, int> m_counts;
    int m_total = 0;
    bool m_silent = false;
};

} // namespace latchkey::test
