// libFuzzer target for the jwt strategy's session token (docs/security.md "Fuzzing",
// "Sessions"): the keychain entry is read back as a JWE, and another program with access to the
// keychain could have put anything there. The first 32 bytes are the key, the rest the token.
// A token that opens has sound claims; claims made from the input survive encode → decode under
// the input's key; and a token opens under no other key. Any broken invariant aborts.

#include "fuzz_support.h"
#include "session/jwtsession.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size).toByteArray();
    const QByteArray key =
            input.left(jwtsession::kKeyBytes).leftJustified(jwtsession::kKeyBytes, '\0');
    const QByteArray token = input.mid(jwtsession::kKeyBytes);

    if (const auto opened = jwtsession::decode(token, key)) {
        FUZZ_CHECK(opened->userId > 0 && opened->generation >= 0);
        FUZZ_CHECK(opened->issuedAt.isValid() && opened->expires.isValid());
    } else {
        fuzz::checkError(opened.error());
        FUZZ_CHECK(opened.error().kind == ErrorKind::Unauthorized);
        const QString &reason = opened.error().reason;
        FUZZ_CHECK(reason == u"malformed" || reason == u"algorithm" || reason == u"decrypt" ||
                   reason == u"claims");
    }

    jwtsession::Claims claims;
    claims.userId = 1 + qint64(qHash(token) % 1'000'000);
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(1'700'000'000 + qint64(size), Qt::UTC);
    claims.expires = claims.issuedAt.addDays(30);
    claims.authenticatedAt = claims.issuedAt.addSecs(-qint64(size % 600));
    claims.method = QString::fromUtf8(token.left(16));
    claims.generation = qint64(size % 7);
    const auto encoded = jwtsession::encode(claims, key);
    FUZZ_CHECK(encoded.ok());
    const auto decoded = jwtsession::decode(encoded.value(), key);
    FUZZ_CHECK(decoded.ok());
    FUZZ_CHECK(decoded->userId == claims.userId && decoded->generation == claims.generation);
    FUZZ_CHECK(decoded->expires == claims.expires && decoded->issuedAt == claims.issuedAt);
    FUZZ_CHECK(decoded->authenticatedAt == claims.authenticatedAt);
    FUZZ_CHECK(decoded->method == claims.method);
    QByteArray otherKey = key;
    otherKey[0] = char(otherKey[0] ^ 1);
    FUZZ_CHECK(!jwtsession::decode(encoded.value(), otherKey).ok());
    return 0;
}
