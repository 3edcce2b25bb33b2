#include "httprequestparser.h"

#include <QStringDecoder>

#include <algorithm>
#include <optional>

namespace latchkey {

namespace {

using State = HttpParseResult::State;

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_"
// / "`" / "|" / "~" / DIGIT / ALPHA
bool isTchar(uchar c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(static_cast<char>(c));
}

// Visible ASCII except '#': what browsers send raw in a path or query (the WHATWG URL encode sets
// leave some RFC 3986-invalid characters such as '|' or '{' unencoded). Controls, space, DEL and
// non-ASCII bytes are never part of a target.
bool isTargetChar(uchar c) { return c > 0x20 && c < 0x7f && c != '#'; }

// RFC 9110 §5.5: field-vchar = VCHAR / obs-text, plus SP and HTAB inside the value.
bool isFieldValueChar(uchar c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// RFC 3986 §3.2.2 reg-name / IP-literal characters plus ':' for the port. No whitespace, no ','.
bool isHostChar(uchar c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return QByteArrayView("-._~!$&'()*+;=:[]%").contains(static_cast<char>(c));
}

int hexValue(uchar c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// RFC 3986 §2.1: every '%' starts a triplet of '%' and two hex digits.
bool hasValidPercentEncoding(QByteArrayView text)
{
    for (qsizetype k = 0; k < text.size(); ++k) {
        if (text[k] != '%')
            continue;
        if (k + 2 >= text.size() || hexValue(static_cast<uchar>(text[k + 1])) < 0 ||
            hexValue(static_cast<uchar>(text[k + 2])) < 0)
            return false;
        k += 2;
    }
    return true;
}

// application/x-www-form-urlencoded component (WHATWG URL §5.1): '+' is a space, then
// percent-decoding, then strict UTF-8. A decoded NUL or invalid UTF-8 is rejected.
std::optional<QString> decodeFormComponent(QByteArrayView text)
{
    QByteArray bytes;
    bytes.reserve(text.size());
    for (qsizetype k = 0; k < text.size(); ++k) {
        const auto c = static_cast<uchar>(text[k]);
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%') {
            if (k + 2 >= text.size())
                return std::nullopt;
            const int high = hexValue(static_cast<uchar>(text[k + 1]));
            const int low = hexValue(static_cast<uchar>(text[k + 2]));
            if (high < 0 || low < 0)
                return std::nullopt;
            bytes.append(static_cast<char>(high * 16 + low));
            k += 2;
        } else {
            bytes.append(static_cast<char>(c));
        }
    }
    if (bytes.contains('\0'))
        return std::nullopt;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString decoded = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return decoded;
}

HttpParseResult invalid(int status, const char *reason)
{
    HttpParseResult result;
    result.state = State::Invalid;
    result.status = status;
    result.reason = QString::fromLatin1(reason);
    return result;
}

// The head parser proper. Every scan stops at `m_available` (the buffer, capped at the limit), so
// nothing past the buffer is ever read.
class HeadParser
{
public:
    HeadParser(QByteArrayView buffer, const HttpParseLimits &limits)
        : m_buffer(buffer), m_limits(limits),
          m_available(std::min(buffer.size(), std::max<qsizetype>(limits.maxHeadBytes, 0)))
    { }

    HttpParseResult parse()
    {
        if (auto stop = parseRequestLine())
            return *stop;
        if (auto stop = parseHeaders())
            return *stop;
        return finish();
    }

private:
    uchar at(qsizetype i) const { return static_cast<uchar>(m_buffer[i]); }

    // The bytes ran out at `m_available`: either more may come, or the cap is reached.
    HttpParseResult incomplete(int overflowStatus, const char *overflowReason) const
    {
        if (m_buffer.size() >= m_limits.maxHeadBytes)
            return invalid(overflowStatus, overflowReason);
        return {};
    }

    std::optional<HttpParseResult> parseRequestLine();
    std::optional<HttpParseResult> parseVersion();
    std::optional<HttpParseResult> parseHeaders();
    std::optional<HttpParseResult> parseHeaderLine();
    HttpParseResult finish();

    QByteArrayView m_buffer;
    const HttpParseLimits &m_limits;
    qsizetype m_available;
    qsizetype m_pos = 0;
    QByteArrayView m_target;
    HttpParseResult m_result;
};

std::optional<HttpParseResult> HeadParser::parseRequestLine()
{
    static constexpr char kGet[] = "GET";
    static constexpr char kLineTooLong[] = "request line too long";
    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF.
    for (; m_pos < m_available && isTchar(at(m_pos)); ++m_pos) {
        // Only GET is served (docs/security.md); any other token is 405 as soon as it differs.
        if (m_pos >= 3 || at(m_pos) != static_cast<uchar>(kGet[m_pos]))
            return invalid(405, "method not allowed");
    }
    if (m_pos == m_available)
        return incomplete(414, kLineTooLong);
    if (m_pos != 3 || at(m_pos) != ' ')
        return invalid(400, "malformed method");
    ++m_pos;

    const qsizetype targetStart = m_pos;
    if (m_pos == m_available)
        return incomplete(414, kLineTooLong);
    // RFC 9112 §3.2.1: origin-form only; absolute-form, authority-form and asterisk-form (§3.2.2-4)
    // are never sent to a redirect listener.
    if (at(m_pos) != '/')
        return invalid(400, "request target is not in origin-form");
    while (m_pos < m_available && isTargetChar(at(m_pos)))
        ++m_pos;
    if (m_pos == m_available)
        return incomplete(414, kLineTooLong);
    if (at(m_pos) != ' ')
        return invalid(400, "malformed request target");
    m_target = m_buffer.sliced(targetStart, m_pos - targetStart);
    if (!hasValidPercentEncoding(m_target)) // RFC 3986 §2.1
        return invalid(400, "invalid percent-encoding in request target");
    ++m_pos;
    return parseVersion();
}

std::optional<HttpParseResult> HeadParser::parseVersion()
{
    static constexpr char kLineTooLong[] = "request line too long";
    // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, then CRLF (§2.2, no bare LF).
    static constexpr char kPattern[] = "HTTP/0.0\r\n";
    const qsizetype start = m_pos;
    for (qsizetype k = 0; k < 10; ++k, ++m_pos) {
        if (m_pos == m_available)
            return incomplete(414, kLineTooLong);
        const uchar c = at(m_pos);
        const auto expected = static_cast<uchar>(kPattern[k]);
        if (expected == '0') {
            if (c < '0' || c > '9')
                return invalid(400, "malformed HTTP version");
        } else if (c != expected) {
            return invalid(400, c == '\n' ? "bare LF line ending" : "malformed HTTP version");
        }
        if (k == 7) {
            // RFC 9110 §15.6.6: only HTTP/1.0 and HTTP/1.1 are supported.
            if (at(start + 5) != '1' || (c != '0' && c != '1'))
                return invalid(505, "HTTP version not supported");
            m_result.request.minorVersion = c - '0';
        }
    }
    return std::nullopt;
}

std::optional<HttpParseResult> HeadParser::parseHeaders()
{
    for (;;) {
        if (m_pos == m_available)
            return incomplete(431, "request header section too large");
        const uchar c = at(m_pos);
        if (c == '\r') {
            if (m_pos + 1 == m_available)
                return incomplete(431, "request header section too large");
            if (at(m_pos + 1) != '\n')
                return invalid(400, "bare CR in header section");
            m_pos += 2;
            return std::nullopt;
        }
        if (c == '\n')
            return invalid(400, "bare LF line ending"); // RFC 9112 §2.2
        // RFC 9112 §5.2: obs-fold is rejected with 400 (and §2.2: no whitespace before the
        // first header line).
        if (c == ' ' || c == '\t')
            return invalid(400, "folded or indented header line");
        if (auto stop = parseHeaderLine())
            return stop;
        if (m_result.request.headers.size() > m_limits.maxHeaderCount)
            return invalid(431, "too many header fields"); // RFC 6585 §5
    }
}

std::optional<HttpParseResult> HeadParser::parseHeaderLine()
{
    static constexpr char kTooLarge[] = "request header section too large";
    // RFC 9112 §5.1: field-line = field-name ":" OWS field-value OWS, no whitespace before ':'.
    const qsizetype nameStart = m_pos;
    while (m_pos < m_available && isTchar(at(m_pos)))
        ++m_pos;
    if (m_pos == m_available)
        return incomplete(431, kTooLarge);
    if (m_pos == nameStart || at(m_pos) != ':')
        return invalid(400, "header name is not a token");
    const QByteArrayView name = m_buffer.sliced(nameStart, m_pos - nameStart);
    ++m_pos;

    const qsizetype valueStart = m_pos;
    while (m_pos < m_available && isFieldValueChar(at(m_pos)))
        ++m_pos;
    if (m_pos == m_available)
        return incomplete(431, kTooLarge);
    if (at(m_pos) == '\n')
        return invalid(400, "bare LF line ending"); // RFC 9112 §2.2
    if (at(m_pos) != '\r')
        return invalid(400, "control character in header value"); // RFC 9110 §5.5
    if (m_pos + 1 == m_available)
        return incomplete(431, kTooLarge);
    if (at(m_pos + 1) != '\n')
        return invalid(400, "bare CR in header value");
    const QByteArrayView value = m_buffer.sliced(valueStart, m_pos - valueStart).trimmed();
    m_pos += 2;
    m_result.request.headers.append({name.toByteArray().toLower(), value.toByteArray()});
    return std::nullopt;
}

HttpParseResult HeadParser::finish()
{
    HttpRequest &request = m_result.request;
    qsizetype hostCount = 0;
    qsizetype contentLengthCount = 0;
    for (const auto &[name, value] : std::as_const(request.headers)) {
        if (name == "host") {
            ++hostCount;
            request.host = QString::fromLatin1(value);
            if (!std::all_of(value.begin(), value.end(),
                             [](char c) { return isHostChar(static_cast<uchar>(c)); }))
                return invalid(400, "invalid Host header"); // RFC 9112 §3.2
        } else if (name == "transfer-encoding") {
            return invalid(400, "request body not accepted"); // a redirect carries no body
        } else if (name == "content-length") {
            ++contentLengthCount;
            // RFC 9110 §8.6: Content-Length = 1*DIGIT; only an empty body is accepted.
            if (value.isEmpty() ||
                !std::all_of(value.begin(), value.end(), [](char c) { return c == '0'; }))
                return invalid(400, "request body not accepted");
        }
    }
    // RFC 9112 §3.2: exactly one Host; required for 1.0 too (DNS rebinding check, RFC 8252 §8.3).
    if (hostCount != 1)
        return invalid(400, hostCount == 0 ? "missing Host header" : "duplicate Host header");
    if (contentLengthCount > 1)
        return invalid(400, "duplicate Content-Length header"); // RFC 9112 §6.3

    request.method = QByteArrayLiteral("GET");
    const qsizetype queryStart = m_target.indexOf('?');
    const QByteArrayView path = queryStart < 0 ? m_target : m_target.first(queryStart);
    request.path = QString::fromLatin1(path);
    if (queryStart >= 0) {
        QByteArrayView rest = m_target.sliced(queryStart + 1);
        while (!rest.isEmpty()) {
            const qsizetype amp = rest.indexOf('&');
            const QByteArrayView part = amp < 0 ? rest : rest.first(amp);
            rest = amp < 0 ? QByteArrayView() : rest.sliced(amp + 1);
            // Empty sequences ("a=1&&b=2") are skipped, as in WHATWG URL's form parser.
            if (part.isEmpty())
                continue;
            const qsizetype eq = part.indexOf('=');
            const auto key = decodeFormComponent(eq < 0 ? part : part.first(eq));
            const auto value = decodeFormComponent(eq < 0 ? QByteArrayView() : part.sliced(eq + 1));
            if (!key || !value)
                return invalid(400, "invalid encoding in query");
            request.query.append({*key, *value});
        }
    }
    m_result.state = State::Complete;
    m_result.consumed = m_pos;
    return std::move(m_result);
}

} // namespace

QStringList HttpRequest::queryValues(QStringView key) const
{
    QStringList values;
    for (const auto &[k, v] : query) {
        if (k == key)
            values.append(v);
    }
    return values;
}

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[k, v] : headers) {
        if (name.compare(k, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

HttpParseResult parseHttpRequest(QByteArrayView buffer, const HttpParseLimits &limits)
{
    return HeadParser(buffer, limits).parse();
}

} // namespace latchkey
