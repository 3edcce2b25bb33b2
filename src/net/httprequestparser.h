#pragma once

// A strict HTTP/1.x request-head parser for the loopback redirect listener (docs/security.md
// "Loopback listener"). It is a pure function over a buffer: no I/O, no event loop, no allocation
// beyond the result, and it never reads past `buffer.size()` (tested on a guarded page and fuzzed).
//
// Only what a browser sends on a redirect is accepted: `GET <origin-form> HTTP/1.0|1.1`, CRLF line
// endings, token header names, exactly one Host, no body. Anything else is rejected as soon as the
// bytes received so far prove it wrong, so a TLS ClientHello or garbage never waits for a timeout.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace latchkey {

/// Caps applied by parseHttpRequest().
struct HttpParseLimits
{
    /// Request line plus header section, including the final empty line (docs/security.md: 8 KiB).
    qsizetype maxHeadBytes = 8 * 1024;
    /// Number of header fields.
    int maxHeaderCount = 64;
};

/// A parsed request head. Only produced for a request that passed every check.
struct HttpRequest
{
    /// Always "GET".
    QByteArray method;
    /// The path exactly as sent (not percent-decoded, no query), always starting with '/'.
    QString path;
    /// The query's key/value pairs in order, percent-decoded as UTF-8 with '+' as space
    /// (application/x-www-form-urlencoded). Duplicates are preserved so callers can reject them.
    QList<QPair<QString, QString>> query;
    /// The single Host header's value, as sent (ASCII).
    QString host;
    /// Header fields in order; names lower-cased (RFC 9110 §5.1), values with surrounding
    /// whitespace removed.
    QList<QPair<QByteArray, QByteArray>> headers;
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    int minorVersion = 1;

    /// Every value of query parameter `key`, in order (empty when absent).
    QStringList queryValues(QStringView key) const;
    /// The first value of header `name` (case-insensitive), or a null QByteArray when absent.
    QByteArray header(QByteArrayView name) const;
};

/// The outcome of parseHttpRequest().
struct HttpParseResult
{
    /// What the parser concluded from the bytes so far.
    enum class State {
        NeedMore, ///< the head is incomplete but nothing wrong so far: read more bytes
        Invalid, ///< the request is rejected: answer `status` and close the connection
        Complete, ///< `request` holds the parsed head
    };

    /// The conclusion.
    State state = State::NeedMore;
    /// Invalid only: the status to answer (400, 405, 414, 431 or 505).
    int status = 0;
    /// Invalid only: why, for logs. Never contains bytes from the request.
    QString reason;
    /// Complete only: the request.
    HttpRequest request;
    /// Complete only: bytes of the buffer that belong to the head (request line to empty line).
    qsizetype consumed = 0;

    /// True when state is NeedMore.
    bool needMore() const { return state == State::NeedMore; }
    /// True when state is Invalid.
    bool invalid() const { return state == State::Invalid; }
    /// True when state is Complete.
    bool complete() const { return state == State::Complete; }
};

/// Parses the request head at the start of `buffer`.
///
/// Returns NeedMore while the bytes so far are a valid prefix shorter than `limits.maxHeadBytes`,
/// Invalid as soon as they cannot become an acceptable request, Complete once the empty line ending
/// the head has arrived and every check passed. Bytes after the head are not examined (the caller
/// serves one request per connection). Statuses: 405 for a method other than GET, 414 when the
/// request line alone exceeds the cap, 431 when the head exceeds the cap or has too many fields,
/// 505 for an HTTP version other than 1.0/1.1, 400 for everything else.
HttpParseResult parseHttpRequest(QByteArrayView buffer, const HttpParseLimits &limits = {});

} // namespace latchkey
