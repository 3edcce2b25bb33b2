#include "outboxmessage.h"

#include <QByteArrayList>
#include <QRegularExpression>
#include <QStringDecoder>

namespace latchkey::gui {

namespace {

struct Part
{
    QList<std::pair<QByteArray, QByteArray>> headers; // lower-case name, unfolded value
    QByteArray body;
};

QByteArray header(const Part &part, QByteArrayView name)
{
    for (const auto &[key, value] : part.headers) {
        if (key == name)
            return value;
    }
    return {};
}

/// Splits `raw` at the first empty line into unfolded headers (RFC 5322 §2.2.3) and the body.
std::optional<Part> splitPart(QByteArray raw)
{
    raw.replace("\r\n", "\n");
    const qsizetype end = raw.startsWith('\n') ? 0 : raw.indexOf("\n\n");
    if (end < 0)
        return std::nullopt;
    Part part;
    part.body = raw.mid(end + (end == 0 ? 1 : 2));
    for (const QByteArray &line : raw.left(end).split('\n')) {
        if ((line.startsWith(' ') || line.startsWith('\t')) && !part.headers.isEmpty()) {
            part.headers.last().second.append(' ').append(line.trimmed());
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            part.headers.append(
                    {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return part;
}

/// A parameter of a structured header value, e.g. `boundary` of Content-Type.
QByteArray parameter(const QByteArray &value, const QByteArray &name)
{
    const QRegularExpression pattern(
            QStringLiteral("(?:^|;)\\s*%1\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)")
                    .arg(QRegularExpression::escape(QString::fromLatin1(name))),
            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(QString::fromLatin1(value));
    if (!match.hasMatch())
        return {};
    return (match.capturedLength(2) > 0 || match.captured(1).startsWith(u'"') ? match.captured(2)
                                                                              : match.captured(1))
            .toLatin1();
}

/// Quoted-printable decoding (RFC 2045 §6.7); `underscores` for the "Q" encoding (RFC 2047 §4.2).
QByteArray fromQuotedPrintable(const QByteArray &data, bool underscores = false)
{
    QByteArray out;
    out.reserve(data.size());
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (c == '_' && underscores) {
            out += ' ';
        } else if (c == '=' && i + 1 < data.size() && data.at(i + 1) == '\n') {
            ++i; // soft line break
        } else if (c == '=' && i + 2 < data.size()) {
            bool ok = false;
            const int byte = data.mid(i + 1, 2).toInt(&ok, 16);
            out += ok ? char(byte) : c;
            i += ok ? 2 : 0;
        } else {
            out += c;
        }
    }
    return out;
}

QString decodeCharset(const QByteArray &data, const QByteArray &charset)
{
    QStringDecoder decoder(charset.isEmpty() ? QByteArray("utf-8") : charset);
    if (!decoder.isValid())
        return QString::fromUtf8(data);
    return decoder.decode(data);
}

/// A header value with its RFC 2047 encoded-words decoded; whitespace between two of them goes.
QString decodeHeader(const QByteArray &value)
{
    static const QRegularExpression kWord(
            QStringLiteral("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=(?:\\s+(?==\\?))?"));
    const QString text = QString::fromLatin1(value);
    QString out;
    qsizetype from = 0;
    for (auto it = kWord.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        out += text.mid(from, match.capturedStart() - from);
        const QByteArray payload = match.captured(3).toLatin1();
        const bool base64 = match.captured(2).compare(u"b", Qt::CaseInsensitive) == 0;
        out += decodeCharset(base64 ? QByteArray::fromBase64(payload)
                                    : fromQuotedPrintable(payload, true),
                             match.captured(1).section(u'*', 0, 0).toLatin1());
        from = match.capturedEnd();
    }
    return out + text.mid(from);
}

QString decodeBody(const Part &part)
{
    const QByteArray encoding = header(part, "content-transfer-encoding").trimmed().toLower();
    QByteArray data = part.body;
    if (encoding == "quoted-printable")
        data = fromQuotedPrintable(data);
    else if (encoding == "base64")
        data = QByteArray::fromBase64(data.simplified().replace(' ', ""));
    return decodeCharset(data, parameter(header(part, "content-type"), "charset"));
}

/// The first text/plain part of `part` (itself, or inside a multipart, depth-first).
std::optional<Part> textPart(const Part &part, int depth = 0)
{
    const QByteArray type = header(part, "content-type").toLower();
    if (type.isEmpty() || type.startsWith("text/plain"))
        return part;
    const QByteArray boundary = parameter(header(part, "content-type"), "boundary");
    if (!type.startsWith("multipart/") || boundary.isEmpty() || depth > 4)
        return std::nullopt;
    const QByteArray open = QByteArray("--").append(boundary);
    const QByteArray close = QByteArray(open).append("--");
    QByteArray current;
    bool inside = false;
    for (const QByteArray &line : part.body.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed == open || trimmed == close) {
            if (inside) {
                if (auto sub = splitPart(current); sub) {
                    if (auto found = textPart(*sub, depth + 1))
                        return found;
                }
            }
            inside = trimmed == open;
            current.clear();
            continue;
        }
        if (inside)
            current.append(line).append('\n');
    }
    return std::nullopt;
}

QString findCode(const QString &text)
{
    // The code stands on a line of its own in Latchkey's email; any six digits as a fallback.
    static const QRegularExpression kAlone(QStringLiteral("^\\s*(\\d{6})\\s*$"),
                                           QRegularExpression::MultilineOption);
    static const QRegularExpression kAnywhere(QStringLiteral("\\b(\\d{6})\\b"));
    const auto alone = kAlone.match(text);
    return alone.hasMatch() ? alone.captured(1) : kAnywhere.match(text).captured(1);
}

QUrl findLink(const QString &text)
{
    static const QRegularExpression kLink(QStringLiteral("https?://[^\\s<>\"]+"));
    const QUrl link(kLink.match(text).captured(0), QUrl::StrictMode);
    return link.isValid() ? link : QUrl();
}

} // namespace

std::optional<OutboxMessage> parseOutboxMessage(const QByteArray &raw)
{
    const auto top = splitPart(raw);
    if (!top || top->headers.isEmpty())
        return std::nullopt;
    const auto text = textPart(*top);
    if (!text)
        return std::nullopt;
    OutboxMessage message;
    message.subject = decodeHeader(header(*top, "subject"));
    message.recipient = decodeHeader(header(*top, "to"));
    message.text = decodeBody(*text).trimmed();
    message.code = findCode(message.text);
    message.link = findLink(message.text);
    return message;
}

} // namespace latchkey::gui
