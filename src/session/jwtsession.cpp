#include "jwtsession.h"

#include "core/josemodule.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace latchkey::jwtsession {

namespace {

// A session token is a few hundred bytes; anything much longer is not one of ours.
constexpr qsizetype kMaxTokenBytes = 4096;
constexpr int kFormat = 1; // `v`: the claim set's layout
constexpr qsizetype kIvBytes = 12; // A256GCM: a 96-bit IV and a 128-bit tag (RFC 7518 §5.3)
constexpr qsizetype kTagBytes = 16;
constexpr QLatin1StringView kAlgDir("dir");
constexpr QLatin1StringView kEncA256Gcm("A256GCM");

Error rejected(const char *reason)
{
    return Error::make(ErrorKind::Unauthorized, ErrorCode::NotSignedIn,
                       QStringLiteral("The stored session cannot be used."),
                       QString::fromLatin1(reason));
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

    const auto jose = joseapi::api(); // cjose, in the `jose` module
    if (!jose)
        return jose.error();
    QByteArray compact = jose.value()->encryptDir(key, plaintext);
    if (compact.isEmpty())
        return Error::make(ErrorKind::InvalidInput,
                           QStringLiteral("The session token could not be encrypted."),
                           QStringLiteral("jwt_encode"));
    return compact;
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
    if (!head || fields.size() != 2 || fields.value(QStringLiteral("alg")) != kAlgDir ||
        fields.value(QStringLiteral("enc")) != kEncA256Gcm ||
        !parts[1].isEmpty()) // `dir` has no encrypted key
        return rejected("algorithm");
    const auto iv = part(2);
    const auto ciphertext = part(3);
    const auto tag = part(4);
    if (!iv || iv.decoded.size() != kIvBytes || !ciphertext || ciphertext.decoded.isEmpty() ||
        !tag || tag.decoded.size() != kTagBytes)
        return rejected("malformed");

    const auto jose = joseapi::api();
    if (!jose)
        return jose.error();
    const joseapi::JweOpen opened = jose.value()->decryptDir(token, key);
    if (!opened.imported)
        return rejected("malformed");
    // cjose picks the algorithm from its own parse of the header: it must agree with ours.
    if (opened.alg != kAlgDir || opened.enc != kEncA256Gcm)
        return rejected("algorithm");
    if (key.size() != kKeyBytes || !opened.decrypted)
        return rejected("decrypt"); // altered, or made with another key

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(opened.plaintext, &parseError);
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
