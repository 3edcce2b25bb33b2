// The `jose` module (core/joseapi.h): cjose, jansson and libcrypto behind plain Qt types. Loaded
// the first time the library checks an ID token, parses provider JSON strictly, or uses the jwt
// session token or the revocation queue's sealed box (docs/architecture.md "Modules").
#include "core/joseapi.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cjose/cjose.h>
#include <jansson.h>
#include <openssl/evp.h>

#include <memory>

namespace latchkey::joseapi {

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct JsonDeleter
{
    void operator()(json_t *value) const { json_decref(value); }
};
struct JwkDeleter
{
    void operator()(cjose_jwk_t *jwk) const { cjose_jwk_release(jwk); }
};
struct JwsDeleter
{
    void operator()(cjose_jws_t *jws) const { cjose_jws_release(jws); }
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
using JwkPtr = std::unique_ptr<cjose_jwk_t, JwkDeleter>;
using Context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

QJsonValue toQt(const json_t *value);

QJsonObject objectToQt(const json_t *object)
{
    QJsonObject out;
    const char *key = nullptr;
    json_t *member = nullptr;
    // json_object_foreach needs a non-const object; jansson does not modify it while iterating.
    json_t *mutableObject = const_cast<json_t *>(object);
    json_object_foreach(mutableObject, key, member)
    {
        out.insert(QString::fromUtf8(key), toQt(member));
    }
    return out;
}

QJsonValue toQt(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return objectToQt(value);
    case JSON_ARRAY: {
        QJsonArray array;
        for (size_t i = 0; i < json_array_size(value); ++i)
            array.append(toQt(json_array_get(value, i)));
        return array;
    }
    case JSON_STRING:
        return QString::fromUtf8(json_string_value(value),
                                 static_cast<qsizetype>(json_string_length(value)));
    case JSON_INTEGER:
        return QJsonValue(static_cast<qint64>(json_integer_value(value)));
    case JSON_REAL:
        return json_real_value(value);
    case JSON_TRUE:
        return true;
    case JSON_FALSE:
        return false;
    case JSON_NULL:
        return QJsonValue(QJsonValue::Null);
    }
    return QJsonValue(QJsonValue::Undefined);
}

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

unsigned char *bytes(QByteArray &data) { return reinterpret_cast<unsigned char *>(data.data()); }

JwkPtr importJwk(const QByteArray &json)
{
    cjose_err err;
    return JwkPtr(cjose_jwk_import(json.constData(), static_cast<size_t>(json.size()), &err));
}

JwkPtr octKey(const QByteArray &key)
{
    cjose_err err;
    return JwkPtr(cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t *>(key.constData()),
                                            static_cast<size_t>(key.size()), &err));
}

StrictJson parseStrict(const QByteArray &json)
{
    StrictJson out;
    json_error_t error{};
    // RFC 8725 §3.2 / RFC 7515 §5.2: duplicate member names are rejected, not "last one wins".
    // jansson also rejects embedded NUL characters in strings unless JSON_ALLOW_NUL is given.
    const std::unique_ptr<json_t, JsonDeleter> root(json_loadb(
            json.constData(), static_cast<size_t>(json.size()), JSON_REJECT_DUPLICATES, &error));
    if (!root) {
        out.duplicate = json_error_code(&error) == json_error_duplicate_key;
        out.errorText = QString::fromUtf8(error.text);
        out.line = error.line;
        out.column = error.column;
        return out;
    }
    out.parsed = true;
    out.isObject = json_is_object(root.get());
    if (out.isObject)
        out.object = objectToQt(root.get());
    return out;
}

KeyInfo inspectKey(const QByteArray &jwkJson)
{
    KeyInfo out;
    const JwkPtr jwk = importJwk(jwkJson);
    if (!jwk)
        return out;
    out.imported = true;
    cjose_err err;
    const cjose_jwk_kty_t kty = cjose_jwk_get_kty(jwk.get(), &err);
    out.isRsa = kty == CJOSE_JWK_KTY_RSA;
    out.isEc = kty == CJOSE_JWK_KTY_EC;
    out.bits = static_cast<qint64>(cjose_jwk_get_keysize(jwk.get(), &err));
    if (out.isEc) {
        switch (cjose_jwk_EC_get_curve(jwk.get(), &err)) {
        case CJOSE_JWK_EC_P_256:
            out.curve = QStringLiteral("P-256");
            break;
        case CJOSE_JWK_EC_P_384:
            out.curve = QStringLiteral("P-384");
            break;
        case CJOSE_JWK_EC_P_521:
            out.curve = QStringLiteral("P-521");
            break;
        case CJOSE_JWK_EC_INVALID:
            break;
        }
    }
    return out;
}

JwsCheck verifyJws(const QByteArray &compact, const QByteArray &jwkJson)
{
    JwsCheck out;
    cjose_err err;
    const std::unique_ptr<cjose_jws_t, JwsDeleter> jws(
            cjose_jws_import(compact.constData(), static_cast<size_t>(compact.size()), &err));
    if (!jws)
        return out;
    out.imported = true;
    const char *alg = cjose_header_get(cjose_jws_get_protected(jws.get()), CJOSE_HDR_ALG, &err);
    out.alg = alg ? QString::fromUtf8(alg) : QString();
    const JwkPtr jwk = importJwk(jwkJson);
    out.verified = jwk && cjose_jws_verify(jws.get(), jwk.get(), &err);
    uint8_t *plaintext = nullptr; // owned by `jws`
    size_t length = 0;
    if (out.verified && cjose_jws_get_plaintext(jws.get(), &plaintext, &length, &err)) {
        out.hasPayload = true;
        out.payload = QByteArray(reinterpret_cast<const char *>(plaintext),
                                 static_cast<qsizetype>(length));
    }
    return out;
}

QByteArray encryptDir(const QByteArray &key, const QByteArray &plaintext)
{
    cjose_err err;
    const JwkPtr jwk = octKey(key);
    const std::unique_ptr<cjose_header_t, HeaderDeleter> header(cjose_header_new(&err));
    if (!jwk || !header ||
        !cjose_header_set(header.get(), CJOSE_HDR_ALG, CJOSE_HDR_ALG_DIR, &err) ||
        !cjose_header_set(header.get(), CJOSE_HDR_ENC, CJOSE_HDR_ENC_A256GCM, &err))
        return {};
    const std::unique_ptr<cjose_jwe_t, JweDeleter> jwe(cjose_jwe_encrypt(
            jwk.get(), header.get(), reinterpret_cast<const uint8_t *>(plaintext.constData()),
            static_cast<size_t>(plaintext.size()), &err));
    const std::unique_ptr<char, BufferDeleter> compact(jwe ? cjose_jwe_export(jwe.get(), &err)
                                                           : nullptr);
    return compact ? QByteArray(compact.get()) : QByteArray();
}

JweOpen decryptDir(const QByteArray &compact, const QByteArray &key)
{
    JweOpen out;
    cjose_err err;
    const std::unique_ptr<cjose_jwe_t, JweDeleter> jwe(
            cjose_jwe_import(compact.constData(), static_cast<size_t>(compact.size()), &err));
    if (!jwe)
        return out;
    out.imported = true;
    cjose_header_t *header = cjose_jwe_get_protected(jwe.get());
    const char *alg = header ? cjose_header_get(header, CJOSE_HDR_ALG, &err) : nullptr;
    const char *enc = header ? cjose_header_get(header, CJOSE_HDR_ENC, &err) : nullptr;
    out.alg = alg ? QString::fromUtf8(alg) : QString();
    out.enc = enc ? QString::fromUtf8(enc) : QString();
    // Decrypted only as the `dir`/A256GCM token it claims to be (the library checks the same).
    if (out.alg != QLatin1StringView(CJOSE_HDR_ALG_DIR) ||
        out.enc != QLatin1StringView(CJOSE_HDR_ENC_A256GCM))
        return out;
    const JwkPtr jwk = octKey(key);
    size_t length = 0;
    const std::unique_ptr<uint8_t, BufferDeleter> plaintext(
            jwk ? cjose_jwe_decrypt(jwe.get(), jwk.get(), &length, &err) : nullptr);
    if (plaintext) {
        out.decrypted = true;
        out.plaintext = QByteArray(reinterpret_cast<const char *>(plaintext.get()),
                                   static_cast<qsizetype>(length));
    }
    return out;
}

QByteArray gcmSeal(const QByteArray &key, const QByteArray &nonce, const QByteArray &plaintext,
                   const QByteArray &aad)
{
    if (key.size() != 32 || nonce.size() != kNonceBytes)
        return {};
    QByteArray sealed(plaintext.size() + kTagBytes, '\0');
    Context ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int written = 0;
    int finalWritten = 0;
    unsigned char *out = bytes(sealed);
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(aad), int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &written, bytes(plaintext), int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + written, &finalWritten) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                            out + written + finalWritten) != 1)
        return {};
    return sealed;
}

bool gcmOpen(const QByteArray &key, const QByteArray &nonce, const QByteArray &sealed,
             const QByteArray &aad, QByteArray *plaintext)
{
    if (key.size() != 32 || nonce.size() != kNonceBytes || sealed.size() < kTagBytes)
        return false;
    const qsizetype cipherBytes = sealed.size() - kTagBytes;
    QByteArray out(cipherBytes, '\0');
    QByteArray tag = sealed.right(kTagBytes);
    Context ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int written = 0;
    int finalWritten = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(aad), int(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(out), &written, bytes(sealed), int(cipherBytes)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(out) + written, &finalWritten) != 1)
        return false;
    *plaintext = std::move(out);
    return true;
}

constexpr Api kApi{kVersion,   parseStrict, inspectKey, verifyJws,
                   encryptDir, decryptDir,  gcmSeal,    gcmOpen};

} // namespace

} // namespace latchkey::joseapi

const latchkey::joseapi::Api *latchkey_jose_module() { return &latchkey::joseapi::kApi; }
