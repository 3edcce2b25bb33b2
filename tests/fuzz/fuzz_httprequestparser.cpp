// libFuzzer target for the loopback listener's request parser (docs/security.md "Fuzzing").
// Built with -fsanitize=fuzzer,address,undefined when LATCHKEY_FUZZ is ON (clang), and in every
// build as a corpus replayer (replay_main.cpp). Any broken invariant aborts.

#include "fuzz_support.h"
#include "net/httprequestparser.h"

using latchkey::HttpParseLimits;
using latchkey::HttpParseResult;
using latchkey::parseHttpRequest;

namespace {

bool isAllowedStatus(int status)
{
    return status == 400 || status == 405 || status == 414 || status == 431 || status == 505;
}

void checkInvariants(QByteArrayView input, const HttpParseLimits &limits)
{
    const HttpParseResult result = parseHttpRequest(input, limits);
    switch (result.state) {
    case HttpParseResult::State::NeedMore:
        // Never waits for more once the cap is reached.
        FUZZ_CHECK(input.size() < limits.maxHeadBytes);
        FUZZ_CHECK(result.status == 0 && result.consumed == 0);
        break;
    case HttpParseResult::State::Invalid:
        FUZZ_CHECK(isAllowedStatus(result.status));
        FUZZ_CHECK(!result.reason.isEmpty());
        FUZZ_CHECK(result.consumed == 0);
        break;
    case HttpParseResult::State::Complete: {
        const latchkey::HttpRequest &request = result.request;
        FUZZ_CHECK(result.consumed > 0 && result.consumed <= input.size());
        FUZZ_CHECK(result.consumed <= limits.maxHeadBytes);
        FUZZ_CHECK(input.first(result.consumed).endsWith("\r\n\r\n"));
        FUZZ_CHECK(request.method == "GET");
        FUZZ_CHECK(request.path.startsWith(u'/'));
        FUZZ_CHECK(!request.path.contains(u'?') && !request.path.contains(u'#'));
        FUZZ_CHECK(request.minorVersion == 0 || request.minorVersion == 1);
        FUZZ_CHECK(request.headers.size() <= limits.maxHeaderCount);
        for (const auto &[key, value] : request.query)
            FUZZ_CHECK(!key.contains(QChar(0)) && !value.contains(QChar(0)));
        // The head alone parses to the same request: bytes after it are never looked at.
        const HttpParseResult head = parseHttpRequest(input.first(result.consumed), limits);
        FUZZ_CHECK(head.complete() && head.consumed == result.consumed);
        FUZZ_CHECK(head.request.path == request.path && head.request.query == request.query);
        break;
    }
    }
    // Prefix-closed: a verdict never depends on bytes the parser has not reached yet.
    const qsizetype halfSize = input.size() / 2;
    const HttpParseResult half = parseHttpRequest(input.first(halfSize), limits);
    if (result.complete() && halfSize < result.consumed)
        FUZZ_CHECK(half.needMore());
    else if (result.complete())
        FUZZ_CHECK(half.complete() && half.consumed == result.consumed);
    else if (result.invalid())
        FUZZ_CHECK(half.needMore() || (half.invalid() && half.status == result.status));
    else
        FUZZ_CHECK(half.needMore());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = latchkey::fuzz::bytes(data, size);
    checkInvariants(input, HttpParseLimits{});
    HttpParseLimits small;
    small.maxHeadBytes = 64;
    small.maxHeaderCount = 2;
    checkInvariants(input, small);
    return 0;
}
