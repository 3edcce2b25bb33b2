#include "jwtsession.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cjose/cjose.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace latchkey::jwtsession {

namespace {

// A session token is a few hundred bytes; anything much longer is not one of ours.
constexpr qsizetype kMaxTokenBytes = 4096;
constexpr int kFormat = 1; // `v`: the claim set's layout
constexpr qsizetype kIvBytes = 12; // A256GCM: a 96-bit IV and a 128-bit tag (RFC 7518 §5.3)
constexpr qsizetype kTagBytes = 16;

struct JwkDeleter
{
    void operator()(cjose_jwk_t *jwk) const { cjose_jwk_release(jwk); }
};
struct JweDeleter
{
    void operator()(cjose_jwe_t *jwe) const { cjose_jwe_release(jwe); }
};
struct HeaderDeleter
{
    void operator()(cjose_header_t *header) const { cjose_header_release(header); }
};
struct BufferDeleter
{
    void operator()(void *buffer) const { cjose_get_dealloc()(buffer); }
};

Error rejected(const char *reason)
{
    return Error::make(ErrorKind::Unauthorized, ErrorCode::NotSignedIn,
                       QStringLiteral("The stored session cannot be used."),
                       QString::fromLatin1(reason));
}

std::unique_ptr<cjose_jwk_t, JwkDeleter> octKey(const QByteArray &key)
{
    cjose_err err;
    return std::unique_ptr<cjose_jwk_t, JwkDeleter>(
            cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t *>(key.constData()),
                                      static_cast<size_t>(key.size()), &err));
}

qint64 seconds(const QDateTime &time) { return time.toSecsSinceEpoch(); }

} // namespace

Result<QByteArray> encode(const Claims &claims, const QByteArray &key)
{
    Q_ASSERT(key.size() == kKeyBytes);
    const QJsonObject payload{
            {QStringLiteral("v"), kFormat},
            {QStringLiteral("sub"), QString::number(claims.userId)},
            {QStringLiteral("iat"), seconds(claims.issuedAt)},
            {QStringLiteral("exp"), seconds(claims.expires)},
            {QStringLiteral("auth_time"), seconds(claims.authenticatedAt)},
            {QStringLiteral("amr"), claims.method},
            {QStringLiteral("gen"), claims.generation},
    };
    const QByteArray plaintext = QJsonDocument(payload).toJson(QJsonDocument::Compact);

    cjose_err err;
    auto jwk = octKey(key);
    std::unique_ptr<cjose_header_t, HeaderDeleter> header(cjose_header_new(&err));
    if (!jwk || !header ||
        !cjose_header_set(header.get(), CJOSE_HDR_ALG, CJOSE_HDR_ALG_DIR, &err) ||
        !cjose_header_set(header.get(), CJOSE_HDR_ENC, CJOSE_HDR_ENC_A256GCM, &err))
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("The session key is unusable."),
                           QStringLiteral("jwt_encode"));
    std::unique_ptr<cjose_jwe_t, JweDeleter> jwe(cjose_jwe_encrypt(
            jwk.get(), header.get(), reinterpret_cast<const uint8_t *>(plaintext.constData()),
            static_cast<size_t>(plaintext.size()), &err));
    std::unique_ptr<char, BufferDeleter> compact(jwe ? cjose_jwe_export(jwe.get(), &err) : nullptr);
    if (!compact)
        return Error::make(ErrorKind::InvalidInput,
                           QStringLiteral("The session token could not be encrypted."),
                           QStringLiteral("jwt_encode"));
    return QByteArray(compact.get());
}

Result<Claims> decode(const QByteArray &token, const QByteArray &key)
{
    if (token.isEmpty() || token.size() > kMaxTokenBytes)
        return rejected("malformed");
    // The shape encode() makes, checked before cjose sees the token: cjose 0.6.2 copies the IV
    // without checking its length (a short one reads past its buffer), and before CVE-2023-37464
    // it took the tag's length from the token, so a one-byte tag could be guessed.
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 5)
        return rejected("malformed");
    const auto part = [&parts](int index) {
        return QByteArray::fromBase64Encoding(parts[index],
                                              QByteArray::Base64UrlEncoding |
                                                      QByteArray::AbortOnBase64DecodingErrors);
    };
    const auto head = part(0);
    const QJsonObject fields = QJsonDocument::fromJson(head.decoded).object();
    if (!head || fields.size() != 2 ||
        fields.value(QStringLiteral("alg")) != QLatin1String(CJOSE_HDR_ALG_DIR) ||
        fields.value(QStringLiteral("enc")) != QLatin1String(CJOSE_HDR_ENC_A256GCM) ||
        !parts[1].isEmpty()) // `dir` has no encrypted key
        return rejected("algorithm");
    const auto iv = part(2);
    const auto ciphertext = part(3);
    const auto tag = part(4);
    if (!iv || iv.decoded.size() != kIvBytes || !ciphertext || ciphertext.decoded.isEmpty() ||
        !tag || tag.decoded.size() != kTagBytes)
        return rejected("malformed");

    cjose_err err;
    std::unique_ptr<cjose_jwe_t, JweDeleter> jwe(
            cjose_jwe_import(token.constData(), static_cast<size_t>(token.size()), &err));
    if (!jwe)
        return rejected("malformed");
    // cjose picks the algorithm from its own parse of the header: it must agree with ours.
    cjose_header_t *header = cjose_jwe_get_protected(jwe.get());
    const char *alg = header ? cjose_header_get(header, CJOSE_HDR_ALG, &err) : nullptr;
    const char *enc = header ? cjose_header_get(header, CJOSE_HDR_ENC, &err) : nullptr;
    if (!alg || !enc || std::strcmp(alg, CJOSE_HDR_ALG_DIR) != 0 ||
        std::strcmp(enc, CJOSE_HDR_ENC_A256GCM) != 0)
        return rejected("algorithm");
    if (key.size() != kKeyBytes)
        return rejected("decrypt");
    auto jwk = octKey(key);
    size_t length = 0;
    std::unique_ptr<uint8_t, BufferDeleter> plaintext(
            jwk ? cjose_jwe_decrypt(jwe.get(), jwk.get(), &length, &err) : nullptr);
    if (!plaintext)
        return rejected("decrypt"); // altered, or made with another key

    QJsonParseError parseError;
    const QJsonDocument document =
            QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(plaintext.get()),
                                               static_cast<qsizetype>(length)),
                                    &parseError);
    const QJsonObject payload = document.object();
    bool numericSub = false;
    Claims claims;
    claims.userId = payload.value(QStringLiteral("sub")).toString().toLongLong(&numericSub);
    const auto time = [&payload](const char *name) {
        const QJsonValue value = payload.value(QLatin1String(name));
        return value.isDouble() ? QDateTime::fromSecsSinceEpoch(qint64(value.toDouble()), Qt::UTC)
                                : QDateTime();
    };
    claims.issuedAt = time("iat");
    claims.expires = time("exp");
    claims.authenticatedAt = time("auth_time");
    claims.method = payload.value(QStringLiteral("amr")).toString();
    const QJsonValue generation = payload.value(QStringLiteral("gen"));
    claims.generation = generation.toInteger(-1);
    if (parseError.error != QJsonParseError::NoError || !document.isObject() ||
        payload.value(QStringLiteral("v")).toInt() != kFormat || !numericSub ||
        claims.userId <= 0 || !claims.issuedAt.isValid() || !claims.expires.isValid() ||
        !claims.authenticatedAt.isValid() || claims.generation < 0)
        return rejected("claims");
    return claims;
}

} // namespace latchkey::jwtsession
