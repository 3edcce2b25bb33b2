#pragma once

// The interface of the `jose` module (liblatchkey-jose.so, docs/architecture.md "Modules"): the
// only code that links cjose, jansson and libcrypto. Shared by the library and the module, so it
// holds plain Qt types and function pointers only: the module never calls into the library (its
// symbols are hidden), and every rule that is not cryptography — which algorithms, which key,
// which claims — stays in the library. Each call does one cryptographic or parsing step and
// reports what it saw; the library decides what that means.
#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace latchkey::joseapi {

/// Bumped whenever a member below changes; a module of another version is treated as missing.
constexpr int kVersion = 1;

/// jansson's strict parse of one JSON document (JSON_REJECT_DUPLICATES).
struct StrictJson
{
    bool parsed = false; ///< valid JSON with unique member names and no NUL in strings
    bool duplicate = false; ///< not parsed because a member name repeated
    bool isObject = false; ///< parsed, and the root is an object
    QJsonObject object; ///< the root object, converted member by member (when isObject)
    QString errorText; ///< jansson's message when not parsed (may quote the input: sanitize it)
    int line = 0;
    int column = 0;
};

/// What cjose makes of one JWK (RFC 7517 §4), given as compact JSON.
struct KeyInfo
{
    bool imported = false; ///< cjose could import it
    bool isRsa = false;
    bool isEc = false;
    QString curve; ///< EC: "P-256", "P-384", "P-521", or empty
    qint64 bits = 0; ///< the key size cjose reports (RSA: the modulus)
};

/// cjose's view of a compact JWS checked against one JWK.
struct JwsCheck
{
    bool imported = false; ///< the compact form parses as a JWS
    QString alg; ///< `alg` as cjose read the protected header
    bool verified = false; ///< the signature verifies with the key
    bool hasPayload = false; ///< the payload could be read
    QByteArray payload;
};

/// cjose's view of a compact JWE decrypted with a `dir` key.
struct JweOpen
{
    bool imported = false; ///< the compact form parses as a JWE
    QString alg; ///< `alg` and `enc` as cjose read the protected header
    QString enc;
    bool decrypted = false; ///< the tag verifies under the key
    QByteArray plaintext;
};

/// The module's functions. None keeps state between calls, all are thread-safe.
struct Api
{
    int version;
    StrictJson (*parseStrict)(const QByteArray &json);
    KeyInfo (*inspectKey)(const QByteArray &jwkJson);
    JwsCheck (*verifyJws)(const QByteArray &compact, const QByteArray &jwkJson);
    /// RFC 7516 compact JWE, `alg` "dir", `enc` "A256GCM", under a 32-byte `key`, fresh IV;
    /// empty on failure.
    QByteArray (*encryptDir)(const QByteArray &key, const QByteArray &plaintext);
    JweOpen (*decryptDir)(const QByteArray &compact, const QByteArray &key);
    /// AES-256-GCM (`key` 32 bytes, `nonce` 12): ciphertext ‖ 16-byte tag; empty on failure.
    QByteArray (*gcmSeal)(const QByteArray &key, const QByteArray &nonce,
                          const QByteArray &plaintext, const QByteArray &aad);
    /// The inverse of gcmSeal; false when the tag does not verify.
    bool (*gcmOpen)(const QByteArray &key, const QByteArray &nonce, const QByteArray &sealed,
                    const QByteArray &aad, QByteArray *plaintext);
};

} // namespace latchkey::joseapi

/// The module's entry point (what latchkey::module::entry("jose") returns the address of).
extern "C" Q_DECL_EXPORT const latchkey::joseapi::Api *latchkey_jose_module();
