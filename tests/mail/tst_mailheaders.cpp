#include "mail/mailheaders.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

// Decodes a header value made of RFC 2047 "B" words (and plain text) the way a mail reader does:
// whitespace between adjacent encoded-words is dropped (RFC 2047 §6.2). Each word must decode to
// valid UTF-8 on its own (§5 rule 1: no character split across words).
QString decodeWords(const QByteArray &value, bool *wordsValid)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)"));
    const QString text = QString::fromLatin1(value);
    QString out;
    qsizetype last = 0;
    bool previousWasWord = false;
    *wordsValid = true;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        const QString between = text.mid(last, match.capturedStart() - last);
        if (!(previousWasWord && between.trimmed().isEmpty()))
            out += between;
        const QByteArray bytes = QByteArray::fromBase64(match.captured(1).toLatin1());
        const QString decoded = QString::fromUtf8(bytes);
        if (decoded.toUtf8() != bytes || decoded.contains(QChar::ReplacementCharacter))
            *wordsValid = false;
        out += decoded;
        last = match.capturedEnd();
        previousWasWord = true;
    }
    return out + text.mid(last);
}

QByteArray qpDecode(const QByteArray &encoded)
{
    QByteArray out;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (encoded.at(i) != '=') {
            out += encoded.at(i);
        } else if (encoded.mid(i + 1, 2) == "\r\n") {
            i += 2;
        } else {
            out += QByteArray::fromHex(encoded.mid(i + 1, 2));
            i += 2;
        }
    }
    return out;
}

} // namespace

class TestMailHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sanitize_data();
    void sanitize();
    void encodeUnstructured_data();
    void encodeUnstructured();
    void mailbox_data();
    void mailbox();
    void addrSpec_data();
    void addrSpec();
    void date();
    void messageIdIsUniqueAndWellFormed();
    void crlfLines_data();
    void crlfLines();
    void quotedPrintable_data();
    void quotedPrintable();
};

void TestMailHeaders::sanitize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"Sign in to Latchkey"_s << u"Sign in to Latchkey"_s;
    QTest::newRow("CRLF injection")
            << u"Hi\r\nBcc: victim@example.com"_s << u"HiBcc: victim@example.com"_s;
    QTest::newRow("bare LF") << u"Hi\nBcc: x@example.com"_s << u"HiBcc: x@example.com"_s;
    QTest::newRow("bare CR") << u"Hi\rBcc: x@example.com"_s << u"HiBcc: x@example.com"_s;
    QTest::newRow("CRLF then space (folding)") << u"Hi\r\n Bcc"_s << u"Hi Bcc"_s;
    QTest::newRow("NUL") << QStringLiteral("a") + QChar(0) + u"b"_s << u"ab"_s;
    QTest::newRow("DEL and ESC") << u"a\x7f\x1b[31mb"_s << u"a[31mb"_s;
    QTest::newRow("C1 NEL") << u"a\u0085b"_s << u"ab"_s;
    QTest::newRow("line separator") << u"a\u2028b\u2029c"_s << u"abc"_s;
    QTest::newRow("tab becomes space") << u"a\tb"_s << u"a b"_s;
    QTest::newRow("trimmed") << u"  \r\n a \r\n"_s << u"a"_s;
    QTest::newRow("Korean kept") << u"로그인 링크"_s << u"로그인 링크"_s;
    QTest::newRow("emoji kept") << u"Hi 🔑"_s << u"Hi 🔑"_s;
}

void TestMailHeaders::sanitize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(mailheaders::sanitize(input), expected);
}

void TestMailHeaders::encodeUnstructured_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("decoded");
    QTest::addColumn<bool>("expectEncoded");
    QTest::newRow("ASCII as is") << u"Sign in to Latchkey"_s << u"Sign in to Latchkey"_s << false;
    QTest::newRow("CRLF injection")
            << u"Hi\r\nBcc: x@example.com"_s << u"HiBcc: x@example.com"_s << false;
    QTest::newRow("looks like an encoded-word")
            << u"=?UTF-8?B?SGk=?="_s << u"=?UTF-8?B?SGk=?="_s << true;
    QTest::newRow("Korean") << u"Latchkey 로그인 링크"_s << u"Latchkey 로그인 링크"_s << true;
    QTest::newRow("long Korean (several words)")
            << QString(u"가나다라마바사아자차카타파하 "_s).repeated(8)
            << QString(u"가나다라마바사아자차카타파하 "_s).repeated(8).trimmed() << true;
    QTest::newRow("emoji across word boundaries")
            << QString(u"🔑"_s).repeated(40) << QString(u"🔑"_s).repeated(40) << true;
    QTest::newRow("accents") << u"Connexion à Latchkey"_s << u"Connexion à Latchkey"_s << true;
    QTest::newRow("Korean with CRLF injection")
            << u"로그인\r\nBcc: x@example.com"_s << u"로그인Bcc: x@example.com"_s << true;
}

void TestMailHeaders::encodeUnstructured()
{
    QFETCH(QString, input);
    QFETCH(QString, decoded);
    QFETCH(bool, expectEncoded);
    const QByteArray encoded = mailheaders::encodeUnstructured(input);
    for (char c : encoded)
        QVERIFY2(c >= 0x20 && c < 0x7f, encoded.constData()); // 7-bit, no CR/LF
    QCOMPARE(encoded.startsWith("=?UTF-8?B?"), expectEncoded);
    bool wordsValid = false;
    QCOMPARE(decodeWords(encoded, &wordsValid), decoded);
    QVERIFY2(wordsValid, "an encoded-word splits a character");
    static const QRegularExpression word(QStringLiteral(R"(=\?[^?]*\?B\?[^?]*\?=)"));
    for (auto it = word.globalMatch(QString::fromLatin1(encoded)); it.hasNext();)
        QVERIFY(it.next().capturedLength() <= 75); // RFC 2047 §2
}

void TestMailHeaders::mailbox_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no name") << QString() << QByteArray("a@example.com");
    QTest::newRow("blank name") << u" \r\n "_s << QByteArray("a@example.com");
    QTest::newRow("ASCII") << u"Latchkey"_s << QByteArray("\"Latchkey\" <a@example.com>");
    QTest::newRow("specials quoted") << u"Doe, John <boss@evil>"_s
                                     << QByteArray("\"Doe, John <boss@evil>\" <a@example.com>");
    QTest::newRow("quote and backslash escaped")
            << u"a\"b\\c"_s << QByteArray("\"a\\\"b\\\\c\" <a@example.com>");
    QTest::newRow("CRLF injection") << u"Eve\r\nBcc: x@example.com"_s
                                    << QByteArray("\"EveBcc: x@example.com\" <a@example.com>");
    QTest::newRow("Korean") << u"래치키"_s
                            << QByteArray("=?UTF-8?B?") + u"래치키"_s.toUtf8().toBase64() +
                    "?= <a@example.com>";
}

void TestMailHeaders::mailbox()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, expected);
    QCOMPARE(mailheaders::mailbox("a@example.com", name), expected);
}

void TestMailHeaders::addrSpec_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("expected"); // empty: rejected
    QTest::newRow("simple") << u"alice@example.com"_s << QByteArray("alice@example.com");
    QTest::newRow("plus and dots")
            << u"a.b+tag@mail.example.com"_s << QByteArray("a.b+tag@mail.example.com");
    QTest::newRow("IDN domain") << u"kim@예시.kr"_s << QByteArray("kim@xn--vv4b11d.kr");
    QTest::newRow("CRLF in local part") << u"a\r\nRCPT TO:<x@evil>@example.com"_s << QByteArray();
    QTest::newRow("CRLF in domain") << u"a@example.com\r\nDATA"_s << QByteArray();
    QTest::newRow("angle brackets") << u"<a@example.com>"_s << QByteArray();
    QTest::newRow("two addresses") << u"a@example.com,b@example.com"_s << QByteArray();
    QTest::newRow("two @") << u"a@b@example.com"_s << QByteArray();
    QTest::newRow("no @") << u"example.com"_s << QByteArray();
    QTest::newRow("empty local") << u"@example.com"_s << QByteArray();
    QTest::newRow("empty domain") << u"a@"_s << QByteArray();
    QTest::newRow("space") << u"a b@example.com"_s << QByteArray();
    QTest::newRow("quoted local") << u"\"a b\"@example.com"_s << QByteArray();
    QTest::newRow("leading dot") << u".a@example.com"_s << QByteArray();
    QTest::newRow("double dot") << u"a..b@example.com"_s << QByteArray();
    QTest::newRow("non-ASCII local") << u"김@example.com"_s << QByteArray();
    QTest::newRow("fullwidth at") << u"a＠example.com"_s << QByteArray();
    QTest::newRow("domain with underscore") << u"a@ex_ample.com"_s << QByteArray();
    QTest::newRow("IP literal") << u"a@[127.0.0.1]"_s << QByteArray();
    QTest::newRow("local part too long") << QString(65, u'a') + u"@example.com"_s << QByteArray();
    // Found by fuzz_mailheaders: the error message quoted the address with its bidi override.
    QTest::newRow("bidi override in a rejected address")
            << u"a\u202a@b@example.com\u202e"_s << QByteArray();
    QTest::newRow("bidi override in the domain") << u"a@exa\u202emple.com"_s << QByteArray();
    // Found by fuzz_mailheaders' length rule: 137 characters typed, 292 once the domain is IDNA
    // encoded, over RFC 5321's 254.
    QTest::newRow("IDN domain too long once encoded") << QString(64, u'a') + u"@"_s +
                    QString(u"가나다라마바사아자차카타파."_s).repeated(5) +
                    u"kr"_s << QByteArray();
    QTest::newRow("64-char local part")
            << QString(64, u'a') + u"@example.com"_s << QByteArray(64, 'a') + "@example.com";
}

void TestMailHeaders::addrSpec()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, expected);
    const auto result = mailheaders::addrSpec(address, u"recipient"_s);
    if (expected.isEmpty()) {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(result.error().message.contains(u"recipient address"),
                 qPrintable(result.error().message));
        for (const QChar c : result.error().message) {
            QVERIFY2(c.category() != QChar::Other_Control && c.category() != QChar::Other_Format,
                     qPrintable(result.error().message));
        }
    } else {
        QVERIFY2(result, qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(result.value(), expected);
    }
}

void TestMailHeaders::date()
{
    // RFC 5322 §3.3, English names whatever the locale, always in UTC.
    QLocale::setDefault(QLocale(QLocale::Korean, QLocale::SouthKorea));
    const QDateTime seoul(QDate(2026, 3, 5), QTime(9, 7, 3), QTimeZone(9 * 3600));
    QCOMPARE(mailheaders::date(seoul), QByteArray("Thu, 05 Mar 2026 00:07:03 +0000"));
    QLocale::setDefault(QLocale::c());
}

void TestMailHeaders::messageIdIsUniqueAndWellFormed()
{
    const QByteArray first = mailheaders::messageId("no-reply@example.com");
    const QByteArray second = mailheaders::messageId("no-reply@example.com");
    QVERIFY(first != second);
    static const QRegularExpression shape(QStringLiteral(R"(^<[A-Za-z0-9_-]{22,}@example\.com>$)"));
    QVERIFY2(shape.match(QString::fromLatin1(first)).hasMatch(), first.constData());
}

void TestMailHeaders::crlfLines_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("LF") << u"a\nb\n"_s << QByteArray("a\r\nb\r\n");
    QTest::newRow("CRLF kept") << u"a\r\nb"_s << QByteArray("a\r\nb");
    QTest::newRow("CR") << u"a\rb"_s << QByteArray("a\r\nb");
    QTest::newRow("mixed") << u"a\r\n\nb\r\rc"_s << QByteArray("a\r\n\r\nb\r\n\r\nc");
    QTest::newRow("UTF-8") << u"한\n"_s << QByteArray("\xed\x95\x9c\r\n");
}

void TestMailHeaders::crlfLines()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(mailheaders::crlfLines(input), expected);
}

void TestMailHeaders::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected"); // empty: only check the invariants
    QTest::newRow("plain") << QByteArray("Hello\r\nWorld") << QByteArray("Hello\r\nWorld");
    QTest::newRow("equals") << QByteArray("a=b") << QByteArray("a=3Db");
    QTest::newRow("trailing space") << QByteArray("a \r\nb\t") << QByteArray("a=20\r\nb=09");
    QTest::newRow("inner space kept") << QByteArray("a b") << QByteArray("a b");
    QTest::newRow("leading dot") << QByteArray(".hidden\r\n.\r\nafter")
                                 << QByteArray("=2Ehidden\r\n=2E\r\nafter");
    QTest::newRow("UTF-8") << QByteArray("\xed\x95\x9c") << QByteArray("=ED=95=9C");
    QTest::newRow("long line") << QByteArray(200, 'x') << QByteArray();
    QTest::newRow("long URL") << QByteArray("http://127.0.0.1:12345/callback/email?token=") +
                    QByteArray(43, 'A') + "&email=alice%40example.com"
                              << QByteArray();
    QTest::newRow("long Korean") << u"로그인 링크입니다 "_s.repeated(20).toUtf8() << QByteArray();
    QTest::newRow("dots at soft breaks") << QByteArray(300, '.') << QByteArray();
    QTest::newRow("trailing CRLF") << QByteArray("a\r\n") << QByteArray("a\r\n");
}

void TestMailHeaders::quotedPrintable()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QByteArray encoded = mailheaders::quotedPrintable(input);
    if (!expected.isEmpty())
        QCOMPARE(encoded, expected);
    QCOMPARE(qpDecode(encoded), input);
    for (const QByteArray &line : encoded.split('\n')) {
        const QByteArray bare = line.endsWith('\r') ? line.chopped(1) : line;
        QVERIFY2(bare.size() <= 76, bare.constData()); // RFC 2045 §6.7 rule 5
        QVERIFY2(!bare.startsWith('.'), bare.constData());
        QVERIFY(!bare.endsWith(' ') && !bare.endsWith('\t'));
        for (char c : bare)
            QVERIFY(c >= 0x20 && c < 0x7f);
    }
}

QTEST_GUILESS_MAIN(TestMailHeaders)
#include "tst_mailheaders.moc"
