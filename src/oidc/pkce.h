#pragma once

#include <QString>

namespace latchkey::oidc {

/// A PKCE pair (RFC 7636), fresh for every authorization request and never reused.
///
/// The verifier is 32 bytes from the OS CSPRNG as unpadded base64url: 43 characters from the
/// unreserved set [A-Za-z0-9-._~] (§4.1). The challenge is BASE64URL(SHA-256(ASCII(verifier)))
/// (§4.2). The method is always S256: Latchkey never downgrades to `plain` (docs/security.md).
struct Pkce
{
    /// The secret sent only to the token endpoint (`code_verifier`). Never log it.
    QString verifier;
    /// The value sent in the authorization request (`code_challenge`).
    QString challenge;

    /// The only `code_challenge_method` Latchkey sends.
    static QString method() { return QStringLiteral("S256"); }

    /// A new pair from 32 CSPRNG bytes.
    static Pkce generate();

    /// The S256 challenge for `verifier` (RFC 7636 §4.2). Exposed for tests and for checking a
    /// stored verifier against a challenge.
    static QString challengeFor(const QString &verifier);
};

} // namespace latchkey::oidc
