// libFuzzer target for ID token payloads (OIDC Core 3.1.3.7; docs/security.md "Fuzzing"): the
// strict JSON reader and the claim checks run after the signature is verified, plus the base64url
// decoder the payload goes through. Any broken invariant aborts.

#include "fuzz_support.h"
#include "oidc/idtokenclaims.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/josejson.h"

using namespace latchkey;
using latchkey::oidc::IdToken;
using latchkey::oidc::IdTokenExpectations;

namespace {

const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1767225600, Qt::UTC); // 2026-01-01

void checkClaims(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    const Result<IdToken> result = oidc::checkIdTokenClaims(claims, expected, kNow);
    if (!result) {
        fuzz::checkError(result.error());
        FUZZ_CHECK(result.error().kind == ErrorKind::IdTokenInvalid);
        FUZZ_CHECK(!result.error().reason.isEmpty());
        return;
    }
    const IdToken &token = result.value();
    const qint64 leeway = expected.leewaySecs;
    if (expected.microsoftTenant.isEmpty()) {
        FUZZ_CHECK(token.issuer == expected.issuer); // rule 2 (the Google form maps to the issuer)
    } else {
        // Entra ID: exactly the issuer of the token's own directory, one the tenant admits.
        const QString tid = claims.value(u"tid").toString();
        FUZZ_CHECK(tid.size() == 36 && token.issuer == claims.value(u"iss").toString());
        FUZZ_CHECK(token.issuer == u"https://login.microsoftonline.com/" + tid + u"/v2.0");
        FUZZ_CHECK(tid != u"9188040d-6c67-4c5b-b112-36a304b66dad"); // "organizations"
    }
    FUZZ_CHECK(!token.subject.isEmpty() && token.subject == claims.value(u"sub").toString());
    // rule 3: the client id is an audience and every audience is the client id.
    FUZZ_CHECK(!token.audience.isEmpty());
    for (const QString &audience : token.audience)
        FUZZ_CHECK(audience == expected.clientId);
    FUZZ_CHECK(token.authorizedParty.isEmpty() || token.authorizedParty == expected.clientId);
    FUZZ_CHECK(token.expiresAt.isValid() && kNow < token.expiresAt.addSecs(leeway)); // rule 9
    FUZZ_CHECK(token.issuedAt.isValid() && token.issuedAt <= kNow.addSecs(leeway)); // rule 10
    FUZZ_CHECK(!token.notBefore.isValid() || token.notBefore <= kNow.addSecs(leeway));
    FUZZ_CHECK(token.nonce == expected.nonce); // rule 11
}

void checkBase64Url(QByteArrayView input)
{
    const std::optional<QByteArray> decoded = oidc::jose::decodeBase64Url(input);
    if (!decoded)
        return;
    // Unpadded base64url: 4 characters carry 3 bytes, a tail of 2 or 3 characters 1 or 2.
    FUZZ_CHECK(input.size() % 4 != 1);
    FUZZ_CHECK(decoded->size() == input.size() / 4 * 3 + qMax<qsizetype>(0, input.size() % 4 - 1));
    FUZZ_CHECK(!input.contains('=') && !input.contains('+') && !input.contains('/'));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);
    checkBase64Url(input);
    const auto claims = oidc::jose::parseObjectStrict(input.toByteArray(),
                                                      QStringLiteral("The ID token's claims"),
                                                      ErrorKind::IdTokenInvalid);
    if (!claims) {
        fuzz::checkError(claims.error());
        FUZZ_CHECK(claims.error().kind == ErrorKind::IdTokenInvalid);
        return 0;
    }
    IdTokenExpectations expected;
    expected.issuer = QStringLiteral("https://issuer.example");
    expected.clientId = QStringLiteral("client-1");
    expected.nonce = QStringLiteral("n-0S6_WzA2Mj");
    checkClaims(claims.value(), expected);
    IdTokenExpectations google = expected;
    google.issuer = QStringLiteral("https://accounts.google.com");
    google.googleIssuerQuirk = true;
    checkClaims(claims.value(), google);
    IdTokenExpectations microsoft = expected;
    microsoft.issuer = QStringLiteral("https://login.microsoftonline.com/organizations/v2.0");
    microsoft.microsoftTenant = QStringLiteral("organizations");
    checkClaims(claims.value(), microsoft);
    return 0;
}
