#include "pkce.h"

#include "core/random.h"

#include <QCryptographicHash>

namespace latchkey::oidc {

namespace {
// RFC 7636 §4.1: 32 octets → a 43-octet base64url verifier (the recommended length).
constexpr int kVerifierBytes = 32;
} // namespace

Pkce Pkce::generate()
{
    Pkce pkce;
    pkce.verifier = random::base64Url(kVerifierBytes); // RFC 7636 §4.1, CSPRNG (docs/security.md)
    pkce.challenge = challengeFor(pkce.verifier);
    return pkce;
}

QString Pkce::challengeFor(const QString &verifier)
{
    // RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), no padding.
    const QByteArray digest =
            QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256);
    return QString::fromLatin1(
            digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace latchkey::oidc
