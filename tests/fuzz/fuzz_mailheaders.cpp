// libFuzzer target for mail building from hostile values (docs/security.md "Fuzzing", "Mail"):
// subject, display names, recipient address and body, cut from the input at 0xFF bytes. The built
// headers never let a value start a line, keep every line within RFC 5322's limits, and read back
// as exactly the (sanitised) value; the body is CRLF and quoted-printable safe for SMTP DATA. Any
// broken invariant aborts.

#include "fuzz_support.h"
#include "mail/mailheaders.h"
#include "mail/mailmessage.h"

using namespace latchkey;

namespace {

constexpr qsizetype kMaxLine = 998; // RFC 5322 §2.1.1 MUST
constexpr qsizetype kFoldedLine = 76; // RFC 2047 §2 (RFC 5322 asks 78), kept where a space allows
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1767225600, Qt::UTC);

bool isStripped(QChar c)
{
    return c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line ||
            c.category() == QChar::Separator_Paragraph;
}

void checkSanitized(const QString &value)
{
    const QString clean = mailheaders::sanitize(value);
    for (const QChar c : clean)
        FUZZ_CHECK(!isStripped(c));
    FUZZ_CHECK(clean == clean.trimmed());
    FUZZ_CHECK(mailheaders::sanitize(clean) == clean);
}

// RFC 2047 §6.2: a value that is a run of "B" encoded-words, read as a mail reader does; each word
// at most 75 characters and whole UTF-8 characters (§2, §5 rule 1). Plain text is returned as is.
QString decodeWords(const QByteArray &value)
{
    if (!value.startsWith("=?UTF-8?B?"))
        return QString::fromLatin1(value);
    QString out;
    for (const QByteArray &word : value.split(' ')) {
        FUZZ_CHECK(word.size() <= 75 && word.startsWith("=?UTF-8?B?") && word.endsWith("?="));
        const QByteArray bytes = QByteArray::fromBase64(word.mid(10, word.size() - 12));
        const QString text = QString::fromUtf8(bytes);
        FUZZ_CHECK(text.toUtf8() == bytes);
        out += text;
    }
    return out;
}

// A mailbox's display name as a reader gets it back: a quoted-string or encoded-words.
QString decodePhrase(const QByteArray &phrase)
{
    if (!phrase.startsWith('"'))
        return decodeWords(phrase);
    FUZZ_CHECK(phrase.size() >= 2 && phrase.endsWith('"'));
    QString out;
    for (qsizetype i = 1; i + 1 < phrase.size(); ++i) {
        if (phrase.at(i) == '\\')
            ++i;
        else
            FUZZ_CHECK(phrase.at(i) != '"');
        out += QLatin1Char(phrase.at(i));
    }
    return out;
}

// One header field: 7-bit, CRLF only to fold before a space or tab (RFC 5322 §2.2.3), so no value
// can start a header line; lines within 998 characters, and within 76 unless they carry a token
// that cannot be folded: a bracketed address or Message-ID, or a bare address (the To: of a
// recipient without a name, found by the fuzzer). Returns the unfolded field.
QByteArray checkField(const QByteArray &field)
{
    const QList<QByteArray> lines = field.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (i + 1 < lines.size()) {
            FUZZ_CHECK(line.endsWith('\r'));
            line.chop(1);
        }
        if (i > 0)
            FUZZ_CHECK(line.startsWith(' ') || line.startsWith('\t'));
        FUZZ_CHECK(!line.trimmed().isEmpty());
        for (const char c : line)
            FUZZ_CHECK((c >= 0x20 && c < 0x7f) || c == '\t');
        FUZZ_CHECK(line.size() <= kMaxLine);
        const QByteArray text = line.trimmed();
        const bool oneToken = !(i == 0 ? text.mid(text.indexOf(' ') + 1) : text).contains(' ');
        FUZZ_CHECK(line.size() <= kFoldedLine || line.contains('<') || oneToken);
    }
    return QByteArray(field).replace("\r\n", "");
}

void checkMailbox(const QByteArray &field, const QByteArray &name, const QByteArray &addr,
                  const QString &displayName)
{
    const QByteArray unfolded = checkField(field);
    FUZZ_CHECK(unfolded.startsWith(QByteArray(name + ": ")));
    const QByteArray value = unfolded.mid(name.size() + 2);
    const QString clean = mailheaders::sanitize(displayName);
    if (clean.isEmpty()) {
        FUZZ_CHECK(value == addr);
        return;
    }
    FUZZ_CHECK(value.endsWith(QByteArray(" <" + addr + '>')));
    FUZZ_CHECK(decodePhrase(value.first(value.size() - addr.size() - 3)) == clean);
}

void checkMessage(const QList<QString> &values)
{
    MailMessage message;
    message.subject = values.at(0);
    message.from = {QStringLiteral("no-reply@example.com"), values.at(1)};
    message.to = {values.at(3), values.at(2)};
    message.textBody = values.at(4);
    const Result<PreparedMail> prepared = message.prepare(kNow);
    const Result<QByteArray> recipient = mailheaders::addrSpec(values.at(3), QStringLiteral("x"));
    if (!prepared) {
        fuzz::checkError(prepared.error());
        FUZZ_CHECK(prepared.error().kind == ErrorKind::InvalidInput);
        return;
    }
    FUZZ_CHECK(recipient.ok() && prepared->envelopeTo == recipient.value());
    const QList<QByteArray> &headers = prepared->headers;
    FUZZ_CHECK(headers.size() == 5);
    FUZZ_CHECK(checkField(headers.at(0)).startsWith("Date: "));
    checkMailbox(headers.at(1), "From", "no-reply@example.com", values.at(1));
    checkMailbox(headers.at(2), "To", prepared->envelopeTo, values.at(2));
    const QByteArray subject = checkField(headers.at(3));
    FUZZ_CHECK(subject.startsWith("Subject: "));
    FUZZ_CHECK(decodeWords(subject.mid(9)) == mailheaders::sanitize(values.at(0)));
    FUZZ_CHECK(checkField(headers.at(4)).startsWith("Message-ID: <"));
}

void checkAddrSpec(const QString &address)
{
    const Result<QByteArray> result = mailheaders::addrSpec(address, QStringLiteral("recipient"));
    if (!result) {
        fuzz::checkError(result.error());
        return;
    }
    const QByteArray &spec = result.value();
    FUZZ_CHECK(spec.size() <= 254); // RFC 5321 §4.5.3.1.3 (the path minus its angle brackets)
    FUZZ_CHECK(spec.count('@') == 1);
    for (const char c : spec)
        FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' && c != ',');
}

// The body: CRLF only, then quoted-printable lines of at most 76 characters, 7-bit, none starting
// with "." (so none can end SMTP DATA).
void checkBody(const QString &text)
{
    const QByteArray crlf = mailheaders::crlfLines(text);
    for (qsizetype i = 0; i < crlf.size(); ++i) {
        if (crlf.at(i) == '\r')
            FUZZ_CHECK(i + 1 < crlf.size() && crlf.at(i + 1) == '\n');
        if (crlf.at(i) == '\n')
            FUZZ_CHECK(i > 0 && crlf.at(i - 1) == '\r');
    }
    const QByteArray encoded = mailheaders::quotedPrintable(crlf);
    for (const QByteArray &line : encoded.split('\n')) {
        const QByteArray content = line.endsWith('\r') ? line.chopped(1) : line;
        FUZZ_CHECK(content.size() <= 76 && !content.startsWith('.'));
        for (const char c : content)
            FUZZ_CHECK((c >= 0x20 && c < 0x7f) || c == '\t');
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QString> values = fuzz::fields(fuzz::bytes(data, size), 5);
    for (const QString &value : values)
        checkSanitized(value);
    checkAddrSpec(values.at(3));
    checkMessage(values);
    checkBody(values.at(4));
    return 0;
}
