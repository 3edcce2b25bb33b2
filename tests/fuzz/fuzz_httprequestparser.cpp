// libFuzzer target for the loopback listener's request parser (docs/security.md "Tests that must
// exist"). Built with -fsanitize=fuzzer,address,undefined when LATCHKEY_FUZZ is ON (clang), and in
// every build as a corpus replayer (replay_main.cpp). Any broken invariant aborts.

#include "net/httprequestparser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using latchkey::HttpParseLimits;
using latchkey::HttpParseResult;
using latchkey::parseHttpRequest;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

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
        check(input.size() < limits.maxHeadBytes);
        check(result.status == 0 && result.consumed == 0);
        break;
    case HttpParseResult::State::Invalid:
        check(isAllowedStatus(result.status));
        check(!result.reason.isEmpty());
        check(result.consumed == 0);
        break;
    case HttpParseResult::State::Complete: {
        const latchkey::HttpRequest &request = result.request;
        check(result.consumed > 0 && result.consumed <= input.size());
        check(result.consumed <= limits.maxHeadBytes);
        check(input.first(result.consumed).endsWith("\r\n\r\n"));
        check(request.method == "GET");
        check(request.path.startsWith(u'/'));
        check(!request.path.contains(u'?') && !request.path.contains(u'#'));
        check(request.minorVersion == 0 || request.minorVersion == 1);
        check(request.headers.size() <= limits.maxHeaderCount);
        for (const auto &[key, value] : request.query)
            check(!key.contains(QChar(0)) && !value.contains(QChar(0)));
        // The head alone parses to the same request: bytes after it are never looked at.
        const HttpParseResult head = parseHttpRequest(input.first(result.consumed), limits);
        check(head.complete() && head.consumed == result.consumed);
        check(head.request.path == request.path && head.request.query == request.query);
        break;
    }
    }
    // Prefix-closed: a verdict never depends on bytes the parser has not reached yet.
    const qsizetype halfSize = input.size() / 2;
    const HttpParseResult half = parseHttpRequest(input.first(halfSize), limits);
    if (result.complete() && halfSize < result.consumed)
        check(half.needMore());
    else if (result.complete())
        check(half.complete() && half.consumed == result.consumed);
    else if (result.invalid())
        check(half.needMore() || (half.invalid() && half.status == result.status));
    else
        check(half.needMore());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkInvariants(input, HttpParseLimits{});
    HttpParseLimits small;
    small.maxHeadBytes = 64;
    small.maxHeaderCount = 2;
    checkInvariants(input, small);
    return 0;
}
