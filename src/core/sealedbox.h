#pragma once

#include "core/result.h"

#include <QByteArray>

/// Authenticated encryption of small secrets kept outside the keychain (docs/security.md, the
/// revocation queue): AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce per message. A
/// sealed box is nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes); `aad` is authenticated but not
/// stored, so a box moved to another context does not open.
namespace latchkey::sealedbox {

constexpr int kKeyBytes = 32;

/// Encrypts `plaintext` under `key` (kKeyBytes bytes). Precondition: key.size() == kKeyBytes.
Result<QByteArray> seal(const QByteArray &key, const QByteArray &plaintext, const QByteArray &aad);
/// Decrypts a box made by seal() with the same key and `aad`; InvalidInput when it was altered,
/// is too short or the key or `aad` differ. Both need the `jose` module (core/josemodule.h):
/// ModuleMissing without it.
Result<QByteArray> open(const QByteArray &key, const QByteArray &box, const QByteArray &aad);

} // namespace latchkey::sealedbox
