#pragma once

#include <QByteArray>
#include <QString>

/// Secrets from the OS CSPRNG (QRandomGenerator::system()), never from a seeded generator.
/// docs/security.md: state, nonce, PKCE verifiers, session and link tokens, codes.
namespace latchkey::random {

/// `count` random bytes.
QByteArray bytes(int count);

/// `count` random bytes as unpadded base64url (RFC 4648 §5): 32 bytes give 43 characters.
QString base64Url(int count);

/// A string of `count` decimal digits, uniformly distributed (no modulo bias).
QString digits(int count);

} // namespace latchkey::random
