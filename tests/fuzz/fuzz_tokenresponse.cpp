// libFuzzer target for token endpoint answers (docs/security.md "Fuzzing"): success responses
// (RFC 6749 §5.1) and error responses (§5.2) of the token and revocation endpoints. A seed is
// "<status>\n<body>" (fuzz_support.h). Any broken invariant aborts.

#include "fuzz_support.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenresponse.h"

#include <QDateTime>

using namespace latchkey;
using latchkey::oidc::TokenResponse;

namespace {

const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1767225600, Qt::UTC); // 2026-01-01

// RFC 6749 §5.2: error codes use %x20-21 / %x23-5B / %x5D-7E only.
bool isOAuthText(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'"' || c == u'\\')
            return false;
    }
    return true;
}

void checkEndpointError(const Error &error, int status)
{
    fuzz::checkError(error);
    if (status >= 500 || status == 429) {
        FUZZ_CHECK(error.kind == ErrorKind::Network); // never a reason to sign out
    } else if (error.kind == ErrorKind::OAuthToken) {
        FUZZ_CHECK(status == 400 || status == 401);
        FUZZ_CHECK(!error.reason.isEmpty() && error.reason.size() <= 200);
        FUZZ_CHECK(isOAuthText(error.reason));
        FUZZ_CHECK((error.code == ErrorCode::InvalidGrant) == (error.reason == u"invalid_grant"));
    } else {
        FUZZ_CHECK(error.kind == ErrorKind::Protocol);
    }
}

void checkResponse(const fuzz::HttpAnswer &answer)
{
    const Result<TokenResponse> result = TokenResponse::parse(answer.status, answer.body, kNow);
    if (!result) {
        checkEndpointError(result.error(), answer.status);
        return;
    }
    const TokenResponse &response = result.value();
    FUZZ_CHECK(answer.status == 200);
    FUZZ_CHECK(!response.accessToken.isEmpty());
    FUZZ_CHECK(response.tokenType == u"Bearer");
    FUZZ_CHECK(!response.expiresAt.isValid() ||
               (response.expiresAt >= kNow && response.expiresAt <= kNow.addYears(11)));
    FUZZ_CHECK(!response.isExpired(kNow.addSecs(-1)));
}

void checkSanitizedText(const QString &text)
{
    const QString clean = oidc::sanitizedOAuthText(text);
    FUZZ_CHECK(clean.size() <= 200 && isOAuthText(clean));
    FUZZ_CHECK(clean == clean.trimmed());
    FUZZ_CHECK(oidc::sanitizedOAuthText(clean) == clean);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::HttpAnswer answer = fuzz::splitAnswer(fuzz::bytes(data, size));
    checkResponse(answer);
    if (answer.status != 200) {
        checkEndpointError(oidc::tokenEndpointError(answer.status, answer.body,
                                                    QStringLiteral("revocation endpoint")),
                           answer.status);
    }
    checkSanitizedText(QString::fromUtf8(answer.body));
    return 0;
}
