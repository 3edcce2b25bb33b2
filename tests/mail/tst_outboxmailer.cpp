#include "mail/outboxmailer.h"
#include "parsedeml.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

MailMessage magicLinkMessage()
{
    MailMessage message;
    message.from = {u"no-reply@example.com"_s, u"Latchkey"_s};
    message.to = {u"alice@example.com"_s, {}};
    message.subject = u"Sign in to Latchkey"_s;
    message.textBody = u"Sign in: http://127.0.0.1:40123/callback/email?token=abc=def\n"
                       u"Or type the code 123456.\n"_s;
    message.htmlBody = u"<p><a href=\"http://127.0.0.1:40123/callback/email?token=abc=def\">"
                       u"Sign in</a></p>\n"_s;
    return message;
}

} // namespace

class TestOutboxMailer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void writesAParsableMultipartMessage();
    void writesTextOnlyMessage();
    void encodesKoreanAndStripsInjectedHeaders_data();
    void encodesKoreanAndStripsInjectedHeaders();
    void isOwnerOnlyAndAtomic();
    void callsBackLaterAndExactlyOnce();
    void namesFilesUniquelyAndTracksTheLatest();
    void doesNotCallBackADestroyedContext();
    void reportsAnUnwritableFolder();
    void rejectsAnInvalidRecipient();

private:
    Status sendAndWait(OutboxMailer &mailer, const MailMessage &message);

    std::optional<QTemporaryDir> m_root;
};

void TestOutboxMailer::init()
{
    m_root.emplace();
    QVERIFY(m_root->isValid());
}

Status TestOutboxMailer::sendAndWait(OutboxMailer &mailer, const MailMessage &message)
{
    std::optional<Status> result;
    mailer.send(message, this, [&result](Status status) { result = std::move(status); });
    [&] { QTRY_VERIFY(result.has_value()); }();
    return result.value_or(Error::make(ErrorKind::Timeout, u"no callback"_s));
}

void TestOutboxMailer::writesAParsableMultipartMessage()
{
    OutboxMailer mailer(m_root->filePath(u"outbox"_s));
    const Status status = sendAndWait(mailer, magicLinkMessage());
    QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));
    const QString path = mailer.latestMessagePath();
    QVERIFY(QFileInfo(path).isFile());

    const ParsedEml eml = ParsedEml::parse(path);
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY2(eml.defects.isEmpty(), qPrintable(eml.defects.join(u", ")));
    QCOMPARE(eml.contentType, u"multipart/alternative"_s);
    QCOMPARE(eml.parts.size(), 2);
    QCOMPARE(eml.parts.at(0).first, u"text/plain"_s); // RFC 2046 §5.1.4: richest part last
    QCOMPARE(eml.parts.at(1).first, u"text/html"_s);
    QCOMPARE(eml.part(u"text/plain"_s),
             u"Sign in: http://127.0.0.1:40123/callback/email?token=abc=def\n"
             u"Or type the code 123456.\n"_s);
    QVERIFY(eml.part(u"text/html"_s)
                    .contains(u"href=\"http://127.0.0.1:40123/callback/email?token=abc=def\""_s));
    QCOMPARE(eml.values(u"Subject"_s), QStringList{u"Sign in to Latchkey"_s});
    QCOMPARE(eml.values(u"From"_s), QStringList{u"Latchkey <no-reply@example.com>"_s});
    QCOMPARE(eml.values(u"To"_s), QStringList{u"alice@example.com"_s});
    QCOMPARE(eml.values(u"MIME-Version"_s), QStringList{u"1.0"_s});
    QCOMPARE(eml.values(u"Date"_s).size(), 1);
    QCOMPARE(eml.values(u"Message-ID"_s).size(), 1);

    QFile raw(path);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray bytes = raw.readAll();
    QCOMPARE(bytes.count('\n'), bytes.count("\r\n")); // CRLF everywhere (RFC 5322 §2.3)
}

void TestOutboxMailer::writesTextOnlyMessage()
{
    OutboxMailer mailer(m_root->filePath(u"outbox"_s));
    MailMessage message = magicLinkMessage();
    message.htmlBody.clear();
    QVERIFY(sendAndWait(mailer, message));
    const ParsedEml eml = ParsedEml::parse(mailer.latestMessagePath());
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY(eml.defects.isEmpty());
    QCOMPARE(eml.contentType, u"text/plain"_s);
    QCOMPARE(eml.parts.size(), 1);
    QVERIFY(eml.part(u"text/plain"_s).contains(u"code 123456"_s));
}

void TestOutboxMailer::encodesKoreanAndStripsInjectedHeaders_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("fromName");
    QTest::addColumn<QString>("expectedSubject");
    QTest::addColumn<QString>("expectedFrom");
    QTest::newRow("Korean subject and name")
            << u"래치키 로그인 링크입니다 — 10분 안에 사용하세요"_s << u"래치키"_s
            << u"래치키 로그인 링크입니다 — 10분 안에 사용하세요"_s
            << u"래치키 <no-reply@example.com>"_s;
    QTest::newRow("CRLF injection in subject")
            << u"Hi\r\nBcc: victim@example.com"_s << u"Latchkey"_s << u"HiBcc: victim@example.com"_s
            << u"Latchkey <no-reply@example.com>"_s;
    QTest::newRow("CRLF injection in display name")
            << u"Hi"_s << u"Eve\r\nBcc: victim@example.com"_s << u"Hi"_s
            << u"\"EveBcc: victim@example.com\" <no-reply@example.com>"_s;
}

void TestOutboxMailer::encodesKoreanAndStripsInjectedHeaders()
{
    QFETCH(QString, subject);
    QFETCH(QString, fromName);
    QFETCH(QString, expectedSubject);
    QFETCH(QString, expectedFrom);
    OutboxMailer mailer(m_root->filePath(u"outbox"_s));
    MailMessage message = magicLinkMessage();
    message.subject = subject;
    message.from.displayName = fromName;
    message.textBody = u"안녕하세요\n"_s;
    QVERIFY(sendAndWait(mailer, message));
    const ParsedEml eml = ParsedEml::parse(mailer.latestMessagePath());
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY2(eml.defects.isEmpty(), qPrintable(eml.defects.join(u", ")));
    QCOMPARE(eml.values(u"Subject"_s), QStringList{expectedSubject});
    QCOMPARE(eml.values(u"From"_s), QStringList{expectedFrom});
    QVERIFY(eml.values(u"Bcc"_s).isEmpty());
    QCOMPARE(eml.part(u"text/plain"_s), u"안녕하세요\n"_s);
}

void TestOutboxMailer::isOwnerOnlyAndAtomic()
{
    const QString dir = m_root->filePath(u"data/latchkey/outbox"_s);
    OutboxMailer mailer(dir);
    QVERIFY(sendAndWait(mailer, magicLinkMessage()));
    QCOMPARE(QFileInfo(dir).permissions() &
                     (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther |
                      QFile::WriteOther | QFile::ExeOther),
             QFile::Permissions());
    QVERIFY(QFileInfo(dir).permissions().testFlag(QFile::ExeOwner));
    const QFileInfo file(mailer.latestMessagePath());
    QCOMPARE(file.permissions() & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
             QFile::ReadOwner | QFile::WriteOwner);
    // Only the finished message is left: no temporary files.
    QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{file.fileName()});
}

void TestOutboxMailer::callsBackLaterAndExactlyOnce()
{
    OutboxMailer mailer(m_root->filePath(u"outbox"_s));
    QSignalSpy written(&mailer, &OutboxMailer::messageWritten);
    int calls = 0;
    mailer.send(magicLinkMessage(), this, [&calls](const Status &) { ++calls; });
    QCOMPARE(calls, 0); // never inside send()
    QCOMPARE(written.size(), 0);
    QTRY_COMPARE(calls, 1);
    QTRY_COMPARE(written.size(), 1);
    QCOMPARE(written.at(0).at(0).toString(), mailer.latestMessagePath());
    QTest::qWait(20);
    QCOMPARE(calls, 1);
}

void TestOutboxMailer::namesFilesUniquelyAndTracksTheLatest()
{
    const QString dir = m_root->filePath(u"outbox"_s);
    OutboxMailer mailer(dir);
    QVERIFY(mailer.latestMessagePath().isEmpty());
    QVERIFY(mailer.describe().startsWith(u"developer outbox "_s));
    QVERIFY(mailer.describe().endsWith(QDir::toNativeSeparators(QDir(dir).absolutePath())));
    QStringList paths;
    for (int i = 0; i < 3; ++i) {
        MailMessage message = magicLinkMessage();
        message.subject = u"message %1"_s.arg(i);
        QVERIFY(sendAndWait(mailer, message));
        paths << mailer.latestMessagePath();
    }
    QCOMPARE(QDir(dir).entryList({u"*.eml"_s}, QDir::Files).size(), 3);
    static const QRegularExpression name(u"/\\d{8}T\\d{6}Z-\\d+\\.eml$"_s);
    for (const QString &path : paths)
        QVERIFY2(name.match(path).hasMatch(), qPrintable(path));
    QCOMPARE(ParsedEml::parse(paths.last()).values(u"Subject"_s), QStringList{u"message 2"_s});

    // A second mailer on the same folder (the app after a restart) finds the newest message
    // and does not overwrite earlier ones.
    OutboxMailer restarted(dir);
    QCOMPARE(restarted.latestMessagePath(), paths.last());
    QVERIFY(sendAndWait(restarted, magicLinkMessage()));
    QCOMPARE(QDir(dir).entryList({u"*.eml"_s}, QDir::Files).size(), 4);
}

void TestOutboxMailer::doesNotCallBackADestroyedContext()
{
    OutboxMailer mailer(m_root->filePath(u"outbox"_s));
    bool called = false;
    auto *context = new QObject;
    mailer.send(magicLinkMessage(), context, [&called](const Status &) { called = true; });
    delete context;
    QTest::qWait(50);
    QVERIFY(!called);
    QVERIFY(QFileInfo(mailer.latestMessagePath()).isFile()); // the message was still written
}

void TestOutboxMailer::reportsAnUnwritableFolder()
{
    // The outbox path is an existing file, so no folder can be made there.
    const QString blocker = m_root->filePath(u"not-a-folder"_s);
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    OutboxMailer mailer(blocker);
    QSignalSpy written(&mailer, &OutboxMailer::messageWritten);
    const Status status = sendAndWait(mailer, magicLinkMessage());
    QVERIFY(!status);
    QCOMPARE(status.error().kind, ErrorKind::Mail);
    QVERIFY2(status.error().message.contains(u"developer outbox"_s),
             qPrintable(status.error().message));
    QVERIFY(status.error().message.contains(u"EMAIL_SERVER"_s));
    QVERIFY(!status.error().message.contains(u"123456"_s)); // never the body
    QTest::qWait(20);
    QCOMPARE(written.size(), 0);
}

void TestOutboxMailer::rejectsAnInvalidRecipient()
{
    const QString dir = m_root->filePath(u"outbox"_s);
    OutboxMailer mailer(dir);
    MailMessage message = magicLinkMessage();
    message.to.address = u"alice@example.com\r\nBcc: eve@example.com"_s;
    const Status status = sendAndWait(mailer, message);
    QVERIFY(!status);
    QCOMPARE(status.error().kind, ErrorKind::InvalidInput);
    QVERIFY(QDir(dir).entryList({u"*.eml"_s}, QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestOutboxMailer)
#include "tst_outboxmailer.moc"
