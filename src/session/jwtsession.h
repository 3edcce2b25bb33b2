#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

/// The session token of the jwt strategy (docs/architecture.md, session strategies): a JWE in
/// compact form (RFC 7516), `alg` "dir" with `enc` "A256GCM" under a 256-bit key kept in the
/// keychain, so only this device can read or make one, and any change to it fails to decrypt.
/// Its claims name the user and the expiry; no database row stands behind it.
namespace latchkey::jwtsession {

constexpr int kKeyBytes = 32;

struct Claims
{
    qint64 userId = 0; ///< `sub`
    QDateTime issuedAt; ///< `iat`: renewal is due updateAge after it
    QDateTime expires; ///< `exp`
    QDateTime authenticatedAt; ///< `auth_time`: the last sign-in or step-up
    QString method; ///< `amr`: the provider id or "email" it was signed in with
    /// `gen`: the user's session generation when it was issued. Signing the account out moves
    /// the generation on, which ends every token issued before.
    qint64 generation = 0;
};

/// Encrypts `claims` under `key` (kKeyBytes bytes) with a fresh random IV.
Result<QByteArray> encode(const Claims &claims, const QByteArray &key);
/// Decrypts and checks a token made by encode() with `key`. Any failure is an Unauthorized error
/// whose `reason` says which check failed ("malformed", "algorithm", "decrypt" — altered or
/// another key — or "claims"); the token itself is never part of it. Expiry is the caller's.
Result<Claims> decode(const QByteArray &token, const QByteArray &key);

} // namespace latchkey::jwtsession
