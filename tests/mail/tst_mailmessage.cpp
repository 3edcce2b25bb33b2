#include "mail/mailmessage.h"

#include <QRegularExpression>
#include <QTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kNow(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);

MailMessage validMessage()
{
    MailMessage message;
    message.from = {u"no-reply@example.com"_s, u"Latchkey"_s};
    message.to = {u"alice@example.com"_s, {}};
    message.subject = u"Sign in to Latchkey"_s;
    message.textBody = u"Open this link:\nhttp://127.0.0.1:1234/callback/email\n"_s;
    message.htmlBody = u"<p>Open <a href=\"http://127.0.0.1:1234/\">this link</a></p>"_s;
    return message;
}

} // namespace

class TestMailMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prepareEncodesHeadersInOrder();
    void prepareUsesTheMessageDate();
    void prepareNormalisesLineEndings();
    void prepareRejects_data();
    void prepareRejects();
    void headerInjectionNeverStartsALine_data();
    void headerInjectionNeverStartsALine();
    void longHeadersFold_data();
    void longHeadersFold();
};

void TestMailMessage::prepareEncodesHeadersInOrder()
{
    const auto prepared = validMessage().prepare(kNow);
    QVERIFY(prepared);
    QCOMPARE(prepared->envelopeFrom, QByteArray("no-reply@example.com"));
    QCOMPARE(prepared->envelopeTo, QByteArray("alice@example.com"));
    const QList<QByteArray> &headers = prepared->headers;
    QCOMPARE(headers.size(), 5);
    QCOMPARE(headers.at(0), QByteArray("Date: Fri, 02 Jan 2026 03:04:05 +0000"));
    QCOMPARE(headers.at(1), QByteArray("From: \"Latchkey\" <no-reply@example.com>"));
    QCOMPARE(headers.at(2), QByteArray("To: alice@example.com"));
    QCOMPARE(headers.at(3), QByteArray("Subject: Sign in to Latchkey"));
    static const QRegularExpression messageId(u"^Message-ID: <[A-Za-z0-9_-]+@example\\.com>$"_s);
    QVERIFY2(messageId.match(QString::fromLatin1(headers.at(4))).hasMatch(), headers.at(4));
}

void TestMailMessage::prepareUsesTheMessageDate()
{
    MailMessage message = validMessage();
    message.date = QDateTime(QDate(2025, 12, 31), QTime(23, 59, 59), Qt::UTC);
    const auto prepared = message.prepare(kNow);
    QVERIFY(prepared);
    QCOMPARE(prepared->headers.at(0), QByteArray("Date: Wed, 31 Dec 2025 23:59:59 +0000"));
}

void TestMailMessage::prepareNormalisesLineEndings()
{
    MailMessage message = validMessage();
    message.textBody = u"line 1\nline 2\rline 3\r\n"_s;
    message.htmlBody.clear();
    const auto prepared = message.prepare(kNow);
    QVERIFY(prepared);
    QCOMPARE(prepared->textBody, QByteArray("line 1\r\nline 2\r\nline 3\r\n"));
    QVERIFY(prepared->htmlBody.isEmpty());
}

void TestMailMessage::prepareRejects_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("bad sender") << u"no-reply"_s << u"alice@example.com"_s << u"x"_s
                                << u"EMAIL_FROM"_s;
    QTest::newRow("recipient with CRLF")
            << u"no-reply@example.com"_s << u"alice@example.com\r\nRCPT TO:<b@evil>"_s << u"x"_s
            << u"recipient"_s;
    QTest::newRow("two recipients")
            << u"no-reply@example.com"_s << u"alice@example.com, bob@example.com"_s << u"x"_s
            << u"recipient"_s;
    QTest::newRow("empty recipient")
            << u"no-reply@example.com"_s << QString() << u"x"_s << u"recipient"_s;
    QTest::newRow("no text body") << u"no-reply@example.com"_s << u"alice@example.com"_s
                                  << u" \n "_s << u"text body"_s;
}

void TestMailMessage::prepareRejects()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    MailMessage message = validMessage();
    message.from.address = from;
    message.to.address = to;
    message.textBody = text;
    const auto prepared = message.prepare(kNow);
    QVERIFY(!prepared);
    QCOMPARE(prepared.error().kind, ErrorKind::InvalidInput);
    QVERIFY2(prepared.error().message.contains(mentions), qPrintable(prepared.error().message));
}

void TestMailMessage::headerInjectionNeverStartsALine_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("fromName");
    QTest::addColumn<QString>("toName");
    const QString injection = u"Hi\r\nBcc: victim@example.com\r\n\r\nforged body"_s;
    QTest::newRow("subject") << injection << QString() << QString();
    QTest::newRow("from name") << QString() << injection << QString();
    QTest::newRow("to name") << QString() << QString() << injection;
    QTest::newRow("Korean subject")
            << u"로그인\nBcc: victim@example.com"_s << QString() << QString();
    QTest::newRow("unicode separators") << u"a\u2028Bcc: x\u0085y"_s << QString() << QString();
}

void TestMailMessage::headerInjectionNeverStartsALine()
{
    QFETCH(QString, subject);
    QFETCH(QString, fromName);
    QFETCH(QString, toName);
    MailMessage message = validMessage();
    message.subject = subject;
    message.from.displayName = fromName;
    message.to.displayName = toName;
    const auto prepared = message.prepare(kNow);
    QVERIFY(prepared);
    QCOMPARE(prepared->headers.size(), 5);
    for (const QByteArray &header : prepared->headers) {
        QVERIFY2(!header.contains('\r') && !header.contains('\n'), header.constData());
        for (char c : header)
            QVERIFY2(c >= 0x20 && c < 0x7f, header.constData());
    }
}

void TestMailMessage::longHeadersFold_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("fromName");
    // Found by fuzz_mailheaders: a long subject or name made one header line of any length
    // (RFC 5322 §2.1.1 allows 998 characters at most; RFC 2047 §2 76 with encoded-words).
    QTest::newRow("long ASCII subject") << QString(u"Sign in "_s).repeated(20) << u"Latchkey"_s;
    QTest::newRow("one 1000-letter word") << QString(1000, u'x') << u"Latchkey"_s;
    QTest::newRow("long display name") << u"Sign in"_s << QString(u"Latchkey Team "_s).repeated(10);
    QTest::newRow("long unbroken name") << u"Sign in"_s << QString(300, u'n');
    QTest::newRow("spaces between words") << QString(u"a"_s + QString(900, u' ') + u"b"_s)
                                          << QString(u"c"_s + QString(900, u' ') + u"d"_s);
    QTest::newRow("emoji subject") << QString(u"🔑"_s).repeated(40) << u"🔑 키"_s;
}

void TestMailMessage::longHeadersFold()
{
    QFETCH(QString, subject);
    QFETCH(QString, fromName);
    MailMessage message = validMessage();
    message.subject = subject;
    message.from.displayName = fromName;
    const auto prepared = message.prepare(kNow);
    QVERIFY(prepared);
    for (const QByteArray &header : prepared->headers) {
        const QList<QByteArray> lines = header.split('\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QByteArray line = lines.at(i);
            if (i + 1 < lines.size()) {
                QVERIFY2(line.endsWith('\r'), header.constData()); // CRLF, never a bare LF
                line.chop(1);
            }
            QVERIFY2(!line.contains('\r'), header.constData());
            // RFC 5322 §2.2.3: a continuation line starts with a space and is not only spaces.
            if (i > 0)
                QVERIFY2(line.startsWith(' ') && !line.trimmed().isEmpty(), header.constData());
            QVERIFY2(line.size() <= 76, line.constData());
        }
    }
    // Unfolded, the subject reads as it was given (encoded-words where needed).
    const QByteArray unfolded = QByteArray(prepared->headers.at(3)).replace("\r\n", "");
    if (!unfolded.contains("=?UTF-8?B?"))
        QCOMPARE(unfolded, QByteArray("Subject: " + subject.trimmed().toUtf8()));
}

QTEST_GUILESS_MAIN(TestMailMessage)
#include "tst_mailmessage.moc"
