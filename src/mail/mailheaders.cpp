#include "mailheaders.h"

#include "core/random.h"

#include <QLocale>
#include <QStringView>
#include <QUrl>

#include <algorithm>

namespace latchkey::mailheaders {

namespace {

// RFC 2047 §2: a header line holding encoded-words is at most 76 characters, and so (RFC 5322
// §2.1.1 asks for 78) is every line this file folds.
constexpr qsizetype kMaxLine = 76;
// What may follow a field name of up to 10 characters ("Subject:") on one line: a space and a word.
constexpr qsizetype kMaxPiece = kMaxLine - 10;
// An encoded-word, "=?UTF-8?B?" + 52 + "?=" = 64 characters, fits such a piece; 52 base64
// characters carry 39 bytes.
constexpr qsizetype kMaxEncodedWordBytes = 39;
// RFC 2045 §6.7 rule 5: encoded lines are at most 76 characters, the soft break "=" included.
constexpr qsizetype kMaxQpColumn = 75;
// RFC 5321 §4.5.3.1.1 (local part) and §4.5.3.1.3 (path, minus the angle brackets).
constexpr qsizetype kMaxLocalPart = 64;
constexpr qsizetype kMaxAddress = 254;

bool isStrippedControl(QChar c)
{
    switch (c.category()) {
    case QChar::Other_Control: // C0 (CR, LF, NUL, ...), DEL, C1 (NEL, ...)
    case QChar::Separator_Line: // U+2028
    case QChar::Separator_Paragraph: // U+2029
        return true;
    default:
        return false;
    }
}

// RFC 5322 §2.2.3: a field folds only before a space, so it splits into pieces that each start at
// a run of spaces followed by a word (the first piece at the start of the text).
QList<QByteArrayView> foldPieces(QByteArrayView text)
{
    QList<QByteArrayView> pieces;
    qsizetype start = 0;
    for (qsizetype i = 1; i < text.size(); ++i) {
        if (text.at(i) == ' ' && text.at(i - 1) != ' ') {
            pieces.append(text.sliced(start, i - start));
            start = i;
        }
    }
    pieces.append(text.sliced(start));
    return pieces;
}

// True when `value`, after the space that follows "Name:", folds into lines of kMaxLine.
bool foldsWell(const QByteArray &value)
{
    const QByteArray field = ' ' + value;
    const QList<QByteArrayView> pieces = foldPieces(field);
    return std::all_of(pieces.cbegin(), pieces.cend(),
                       [](QByteArrayView piece) { return piece.size() <= kMaxPiece; });
}

bool isPrintableAscii(QStringView text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// RFC 2047 §5 rule 1: each encoded-word holds whole characters, so split between code points.
QByteArray encodedWords(QStringView text)
{
    QByteArray out;
    QByteArray chunk;
    const auto flush = [&] {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out += ' ';
        out += "=?UTF-8?B?" + chunk.toBase64() + "?=";
        chunk.clear();
    };
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype units = (text.at(i).isHighSurrogate() && i + 1 < text.size() &&
                                 text.at(i + 1).isLowSurrogate())
                ? 2
                : 1;
        const QByteArray character = text.mid(i, units).toUtf8();
        if (chunk.size() + character.size() > kMaxEncodedWordBytes)
            flush();
        chunk += character;
        i += units;
    }
    flush();
    return out;
}

// RFC 5322 §3.2.3 atext, minus nothing: the characters allowed in a dot-atom local part.
bool isAtext(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

bool isDotAtom(const QByteArray &text)
{
    if (text.isEmpty() || text.startsWith('.') || text.endsWith('.') || text.contains(".."))
        return false;
    for (char c : text) {
        if (c != '.' && !isAtext(c))
            return false;
    }
    return true;
}

// An address quoted in an error message: sanitised, and without format characters (bidi overrides,
// zero-width characters) that could make the message read differently from what it says.
QString shown(const QString &address)
{
    QString out = sanitize(address);
    out.removeIf([](QChar c) { return c.category() == QChar::Other_Format; });
    return out;
}

bool isHostname(const QByteArray &ace)
{
    if (ace.isEmpty() || ace.size() > 253)
        return false;
    for (const QByteArray &label : ace.split('.')) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith('-') || label.endsWith('-'))
            return false;
        for (char c : label) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-';
            if (!ok)
                return false;
        }
    }
    return true;
}

} // namespace

QString sanitize(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (QChar c : value) {
        if (c == u'\t')
            out.append(u' ');
        else if (!isStrippedControl(c)) // docs/security.md "Mail headers": no header injection
            out.append(c);
    }
    return out.trimmed();
}

QByteArray encodeUnstructured(const QString &value)
{
    const QString clean = sanitize(value);
    // "=?" in plain text would be read as an encoded-word by the receiver (RFC 2047 §6.1); a word
    // too long to fold goes as encoded-words too, which can break anywhere.
    if (isPrintableAscii(clean) && !clean.contains(u"=?") && foldsWell(clean.toLatin1()))
        return clean.toLatin1();
    return encodedWords(clean);
}

QByteArray mailbox(const QByteArray &addrSpec, const QString &displayName)
{
    const QString name = sanitize(displayName);
    if (name.isEmpty())
        return addrSpec;
    QByteArray phrase;
    if (isPrintableAscii(name) && !name.contains(u"=?")) {
        // RFC 5322 §3.2.4 quoted-string: always quote, escaping '"' and '\'.
        phrase += '"';
        for (QChar c : name) {
            if (c == u'"' || c == u'\\')
                phrase += '\\';
            phrase += c.toLatin1();
        }
        phrase += '"';
    }
    if (phrase.isEmpty() || !foldsWell(phrase))
        phrase = encodedWords(name); // RFC 2047 §5 rule 3
    return phrase + " <" + addrSpec + '>';
}

QByteArray field(QByteArrayView name, const QByteArray &value)
{
    const QByteArray text = name.toByteArray() + ": " + value;
    QByteArray out;
    qsizetype column = 0;
    for (const QByteArrayView piece : foldPieces(text)) {
        if (column > 0 && column + piece.size() > kMaxLine) {
            out += "\r\n"; // RFC 5322 §2.2.3: the piece's leading space starts the next line
            column = 0;
        }
        out += piece;
        column += piece.size();
    }
    return out;
}

Result<QByteArray> addrSpec(const QString &address, const QString &role)
{
    const auto invalid = [&](const QString &why) {
        return Error::make(ErrorKind::InvalidInput,
                           QStringLiteral("The %1 address \"%2\" cannot be used for email: %3.")
                                   .arg(role, shown(address), why));
    };
    if (address.size() > kMaxAddress)
        return invalid(QStringLiteral("it is longer than %1 characters").arg(kMaxAddress));
    if (address.count(u'@') != 1)
        return invalid(QStringLiteral("it must contain exactly one \"@\""));
    const qsizetype at = address.indexOf(u'@');
    const QString local = address.left(at);
    const QString domain = address.mid(at + 1);
    if (local.isEmpty() || domain.isEmpty())
        return invalid(QStringLiteral("the part before or after \"@\" is empty"));
    if (local.size() > kMaxLocalPart)
        return invalid(QStringLiteral("the part before \"@\" is longer than %1 characters")
                               .arg(kMaxLocalPart));
    // RFC 5321 §4.1.2 Dot-string; no quoted local parts and no SMTPUTF8 (RFC 6531).
    if (!isPrintableAscii(local) || !isDotAtom(local.toLatin1()))
        return invalid(QStringLiteral("the part before \"@\" has characters mail servers refuse"));
    // RFC 5890 IDNA: the domain travels in its ASCII (A-label) form.
    const QByteArray ace = QUrl::toAce(domain);
    if (!isHostname(ace))
        return invalid(QStringLiteral("\"%1\" is not a valid domain name").arg(shown(domain)));
    // The limit holds for what goes on the wire, and an IDN domain grows when encoded.
    if (at + 1 + ace.size() > kMaxAddress)
        return invalid(QStringLiteral("it is longer than %1 characters").arg(kMaxAddress));
    return QByteArray(local.toLatin1() + '@' + ace);
}

QByteArray date(const QDateTime &at)
{
    // RFC 5322 §3.3, English day and month names whatever the user's locale.
    return QLocale::c()
                   .toString(at.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
                   .toLatin1() +
            " +0000";
}

QByteArray messageId(const QByteArray &senderAddrSpec)
{
    const qsizetype at = senderAddrSpec.lastIndexOf('@');
    const QByteArray domain = at >= 0 ? senderAddrSpec.mid(at + 1) : QByteArray("latchkey.invalid");
    // base64url characters are all atext, so the left part is a dot-atom (RFC 5322 §3.6.4).
    return '<' + random::base64Url(16).toLatin1() + '@' + domain + '>';
}

QByteArray crlfLines(const QString &text)
{
    const QByteArray in = text.toUtf8();
    QByteArray out;
    out.reserve(in.size() + in.size() / 32 + 2);
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < in.size() && in.at(i + 1) == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray quotedPrintable(const QByteArray &data)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(data.size() + data.size() / 4);
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const bool hasLineBreak = n + 1 < lines.size();
        QByteArray line = lines.at(n);
        if (hasLineBreak && line.endsWith('\r'))
            line.chop(1);
        qsizetype column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line.at(i));
            const bool lastOnLine = i + 1 == line.size();
            // RFC 2045 §6.7 rules 2 and 3: printable ASCII but "=" as is, and spaces or tabs only
            // when not at the end of a line.
            const bool printable =
                    (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !lastOnLine);
            if (column + (printable ? 1 : 3) > kMaxQpColumn) {
                out += "=\r\n"; // rule 5: soft line break
                column = 0;
            }
            // A "." starting a line is encoded too, so no encoded line can end SMTP DATA.
            if (printable && !(c == '.' && column == 0)) {
                out += static_cast<char>(c);
                column += 1;
            } else {
                out += '=';
                out += kHex[c >> 4];
                out += kHex[c & 0x0f];
                column += 3;
            }
        }
        if (hasLineBreak)
            out += "\r\n";
    }
    return out;
}

} // namespace latchkey::mailheaders
