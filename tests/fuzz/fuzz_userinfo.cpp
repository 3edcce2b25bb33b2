// libFuzzer target for UserInfo answers (OIDC Core 5.3.2; docs/security.md "Fuzzing"). A seed is
// "<status> <content type>\n<body>" (fuzz_support.h); the ID token's subject is "alice". Any broken
// invariant aborts.

#include "fuzz_support.h"
#include "oidc/userinfo.h"

using namespace latchkey;
using latchkey::oidc::UserInfo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::HttpAnswer answer = fuzz::splitAnswer(fuzz::bytes(data, size));
    const QString subject = QStringLiteral("alice");
    const Result<UserInfo> result =
            UserInfo::parse(answer.status, answer.contentType, answer.body, subject);
    if (!result) {
        const Error &error = result.error();
        fuzz::checkError(error);
        const bool refused = answer.status == 401 || answer.status == 403;
        const bool trouble = answer.status >= 500 || answer.status == 429;
        FUZZ_CHECK((error.kind == ErrorKind::OAuthToken) == refused);
        FUZZ_CHECK((error.kind == ErrorKind::Network) == trouble);
        FUZZ_CHECK(refused || trouble || error.kind == ErrorKind::Protocol);
        return 0;
    }
    const UserInfo &info = result.value();
    FUZZ_CHECK(answer.status == 200);
    FUZZ_CHECK(!answer.contentType.trimmed().toLower().startsWith("application/jwt"));
    // OIDC Core 5.3.2: the claims are used only when `sub` is the ID token's.
    FUZZ_CHECK(info.subject == subject && info.claims.value(u"sub").toString() == subject);
    // Only a web picture is kept (never javascript:, file:, data:).
    FUZZ_CHECK(info.picture.isEmpty() ||
               (info.picture.isValid() &&
                (info.picture.scheme() == u"https" || info.picture.scheme() == u"http")));
    return 0;
}
