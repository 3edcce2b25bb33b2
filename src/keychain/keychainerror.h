#pragma once

#include "core/result.h"

#include <qt6keychain/keychain.h>

#include <QString>

namespace latchkey {

/// Which SecretStore call an error belongs to, so its message can say what could not be done.
enum class KeychainOperation {
    Read, ///< reading a secret
    Write, ///< storing a secret
    Remove, ///< deleting a secret
};

/// Maps the outcome of one QtKeychain job to a Status (a pure function, no I/O).
///
/// `code` is the job's `error()`, `detail` its `errorString()` (the backend's own words, quoted in
/// the message; it never contains the secret). NoError gives success. EntryNotFound is an Error of
/// kind NotFound; every other code is of kind Keychain with a message that says what happened and
/// what the user can do. Error::code is the QtKeychain error number in decimal.
Status keychainStatus(QKeychain::Error code, const QString &detail, KeychainOperation operation);

/// The Error a SecretStore call reports when the keychain did not answer within `timeoutMs`
/// (kind Timeout, code "timeout"): typically a keychain waiting for a password prompt nobody sees.
Error keychainTimeoutError(KeychainOperation operation, int timeoutMs);

} // namespace latchkey
