#include "mail/smtpmailer.h"
#include "mail/smtptransfer.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

MailMessage simpleMessage()
{
    MailMessage message;
    message.from = {u"no-reply@example.com"_s, u"Latchkey"_s};
    message.to = {u"alice@example.com"_s, {}};
    message.subject = u"Sign in"_s;
    message.textBody = u"Your code is 123456."_s;
    return message;
}

} // namespace

// Settings checks, error mapping and the asynchronous contract of SmtpMailer. Real SMTP exchanges
// are in tst_smtpmailerintegration; here the only peer is a silent local socket.
class TestSmtpMailer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void validate_data();
    void validate();
    void describe_data();
    void describe();
    void failureMessages_data();
    void failureMessages();
    void invalidSettingsFailLater();
    void invalidMessageFailsLater();
    void sendDoesNotBlockAndTimesOut();
    void cancelCallsBackOnceWithCancelled();
    void destroyedContextIsNeverCalled();
    void destroyingTheMailerCancelsSends();

private:
    SmtpSettings silentServerSettings(int totalTimeoutMs) const;

    QTcpServer m_silent; // accepts connections and never says a word
    QTemporaryFile m_caFile;
};

void TestSmtpMailer::initTestCase()
{
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    QVERIFY(m_caFile.open());
}

SmtpSettings TestSmtpMailer::silentServerSettings(int totalTimeoutMs) const
{
    SmtpSettings settings;
    settings.server = QUrl(u"smtp://127.0.0.1:%1"_s.arg(m_silent.serverPort()));
    settings.totalTimeoutMs = totalTimeoutMs;
    return settings;
}

void TestSmtpMailer::validate_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("requireTls");
    QTest::addColumn<bool>("useCaFile");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("errorCode"); // empty: valid
    QTest::addColumn<QString>("mentions");

    const QString server = u"EMAIL_SERVER"_s;
    QTest::newRow("smtp with port") << u"smtp://smtp.example.com:587"_s << QString() << true
                                    << false << QString() << 1000 << QString() << QString();
    QTest::newRow("smtps without port") << u"smtps://smtp.example.com"_s << QString() << true
                                        << false << QString() << 1000 << QString() << QString();
    QTest::newRow("credentials in URL")
            << u"smtp://user:p%40ss@smtp.example.com:587"_s << QString() << true << false
            << QString() << 1000 << QString() << QString();
    QTest::newRow("trailing slash") << u"smtp://smtp.example.com:587/"_s << QString() << true
                                    << true << QString() << 1000 << QString() << QString();
    QTest::newRow("IPv6 literal") << u"smtps://[::1]:465"_s << QString() << true << false
                                  << QString() << 1000 << QString() << QString();
    QTest::newRow("plain to loopback with login")
            << u"smtp://u:p@127.0.0.1:2525"_s << QString() << false << false << QString() << 1000
            << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << true << false << QString() << 1000 << server
                           << u"empty"_s;
    QTest::newRow("wrong scheme, password not echoed")
            << u"https://user:s3cret@smtp.example.com"_s << QString() << true << false << QString()
            << 1000 << server << u"smtp://"_s;
    QTest::newRow("port out of range")
            << u"smtp://smtp.example.com:70000"_s << QString() << true << false << QString() << 1000
            << server << u"not a valid URL"_s;
    QTest::newRow("port 0") << u"smtp://smtp.example.com:0"_s << QString() << true << false
                            << QString() << 1000 << server << u"port"_s;
    QTest::newRow("no host") << u"smtp://:587"_s << QString() << true << false << QString() << 1000
                             << server << u"host"_s;
    QTest::newRow("path") << u"smtp://smtp.example.com:587/relay"_s << QString() << true << false
                          << QString() << 1000 << server << u"path"_s;
    QTest::newRow("query") << u"smtp://smtp.example.com:587?tls=no"_s << QString() << true << false
                           << QString() << 1000 << server << u"query"_s;
    QTest::newRow("missing CA file")
            << u"smtp://smtp.example.com:587"_s << QString() << true << false
            << u"/nonexistent/ca.pem"_s << 1000 << u"EMAIL_CA_FILE"_s << u"/nonexistent/ca.pem"_s;
    QTest::newRow("zero timeout") << u"smtp://smtp.example.com:587"_s << QString() << true << false
                                  << QString() << 0 << server << u"timeouts"_s;
    const QString tls = u"EMAIL_TLS"_s;
    QTest::newRow("login over plain network (URL)")
            << u"smtp://user:s3cret@smtp.example.com:25"_s << QString() << false << false
            << QString() << 1000 << tls << u"unencrypted"_s;
    QTest::newRow("login over plain network (setting)")
            << u"smtp://smtp.example.com:25"_s << u"user"_s << false << false << QString() << 1000
            << tls << u"unencrypted"_s;
    // Links and codes are as secret as a password: no plain SMTP across a network, login or not.
    QTest::newRow("plain to a remote relay without login")
            << u"smtp://relay.example.com:25"_s << QString() << false << false << QString() << 1000
            << tls << u"this computer"_s;
    QTest::newRow("plain to localhost without login")
            << u"smtp://localhost:25"_s << QString() << false << false << QString() << 1000
            << QString() << QString();
}

void TestSmtpMailer::validate()
{
    QFETCH(QString, url);
    QFETCH(QString, username);
    QFETCH(bool, requireTls);
    QFETCH(bool, useCaFile);
    QFETCH(QString, caFile);
    QFETCH(int, timeoutMs);
    QFETCH(QString, errorCode);
    QFETCH(QString, mentions);
    SmtpSettings settings;
    settings.server = QUrl(url, QUrl::StrictMode);
    settings.username = username;
    settings.password = username.isEmpty() ? QString() : u"s3cret"_s;
    settings.requireTls = requireTls;
    settings.caFile = useCaFile ? m_caFile.fileName() : caFile;
    settings.connectTimeoutMs = timeoutMs;
    const Status status = SmtpMailer::validate(settings);
    if (errorCode.isEmpty()) {
        QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));
        return;
    }
    QVERIFY(!status);
    QCOMPARE(status.error().kind, ErrorKind::Config);
    QCOMPARE(status.error().reason, errorCode);
    QVERIFY2(status.error().message.contains(mentions), qPrintable(status.error().message));
    QVERIFY2(!status.error().message.contains(u"s3cret"_s), qPrintable(status.error().message));
}

void TestSmtpMailer::describe_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("smtp") << u"smtp://user:s3cret@smtp.example.com:587"_s
                          << u"SMTP smtp.example.com:587"_s;
    QTest::newRow("smtp default port")
            << u"smtp://smtp.example.com"_s << u"SMTP smtp.example.com:25"_s;
    QTest::newRow("smtps default port")
            << u"smtps://smtp.example.com"_s << u"SMTPS smtp.example.com:465"_s;
    QTest::newRow("IPv6") << u"smtps://[::1]:1465"_s << u"SMTPS [::1]:1465"_s;
}

void TestSmtpMailer::describe()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    SmtpSettings settings;
    settings.server = QUrl(url);
    settings.password = u"other-s3cret"_s;
    QCOMPARE(SmtpMailer(settings).describe(), expected);
}

void TestSmtpMailer::failureMessages_data()
{
    QTest::addColumn<int>("curlCode");
    QTest::addColumn<QByteArray>("detail");
    QTest::addColumn<int>("smtpCode");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("cannot connect (7)")
            << 7 << QByteArray("Failed to connect to 127.0.0.1 port 2525") << 0 << ErrorKind::Mail
            << QStringList{u"connect"_s, u"smtp.example.com:2525"_s, u"EMAIL_SERVER"_s};
    QTest::newRow("host not found (6)")
            << 6 << QByteArray() << 0 << ErrorKind::Mail << QStringList{u"EMAIL_SERVER"_s};
    QTest::newRow("untrusted certificate (60)")
            << 60 << QByteArray("SSL certificate problem: self-signed certificate") << 0
            << ErrorKind::Mail
            << QStringList{u"not trusted"_s, u"EMAIL_CA_FILE"_s, u"self-signed"_s};
    QTest::newRow("STARTTLS not offered (64)")
            << 64 << QByteArray("STARTTLS not supported.") << 0 << ErrorKind::Mail
            << QStringList{u"STARTTLS"_s, u"smtps://"_s};
    QTest::newRow("login refused (67)")
            << 67 << QByteArray("Login denied") << 535 << ErrorKind::Mail
            << QStringList{u"refused the login"_s, u"EMAIL_USERNAME"_s, u"EMAIL_PASSWORD"_s};
    QTest::newRow("recipient refused (55 RCPT)")
            << 55 << QByteArray("RCPT failed: 550") << 550 << ErrorKind::Mail
            << QStringList{u"refused the recipient"_s, u"bob@example.com"_s, u"550"_s};
    QTest::newRow("encryption required (55 MAIL 530)")
            << 55 << QByteArray("MAIL failed: 530") << 530 << ErrorKind::Mail
            << QStringList{u"requires encryption"_s, u"530"_s};
    QTest::newRow("sender refused (55 MAIL 553)")
            << 55 << QByteArray("MAIL failed: 553") << 553 << ErrorKind::Mail
            << QStringList{u"refused the sender"_s, u"EMAIL_FROM"_s};
    QTest::newRow("message refused (8)") << 8 << QByteArray() << 554 << ErrorKind::Mail
                                         << QStringList{u"did not accept"_s, u"554"_s};
    QTest::newRow("timeout (28)") << 28 << QByteArray("Operation timed out") << 0
                                  << ErrorKind::Timeout
                                  << QStringList{u"in time"_s, u"smtp.example.com:2525"_s};
    QTest::newRow("cancelled (42)")
            << 42 << QByteArray() << 0 << ErrorKind::Cancelled << QStringList{u"cancelled"_s};
    QTest::newRow("anything else")
            << 56 << QByteArray("Failure when receiving data from the peer") << 0 << ErrorKind::Mail
            << QStringList{u"Failure when receiving data"_s, u"curl error 56"_s};
}

void TestSmtpMailer::failureMessages()
{
    QFETCH(int, curlCode);
    QFETCH(QByteArray, detail);
    QFETCH(int, smtpCode);
    QFETCH(ErrorKind, kind);
    QFETCH(QStringList, mentions);
    smtptransfer::Request request;
    request.endpoint = u"smtp.example.com:2525"_s;
    request.username = "latchkey";
    request.password = "s3cret";
    request.mail.envelopeFrom = "no-reply@example.com";
    request.mail.envelopeTo = "bob@example.com";
    request.mail.textBody = "the code is 123456";
    const Error error = smtptransfer::failure(curlCode, detail, smtpCode, request);
    QCOMPARE(error.kind, kind);
    for (const QString &mention : mentions)
        QVERIFY2(error.message.contains(mention), qPrintable(error.message));
    QVERIFY(!error.message.contains(u"s3cret"_s));
    QVERIFY(!error.message.contains(u"123456"_s));
}

void TestSmtpMailer::invalidSettingsFailLater()
{
    SmtpSettings settings;
    settings.server = QUrl(u"http://smtp.example.com"_s);
    SmtpMailer mailer(settings);
    std::optional<Status> result;
    mailer.send(simpleMessage(), this, [&result](Status status) { result = std::move(status); });
    QVERIFY(!result.has_value()); // never inside send()
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->error().kind, ErrorKind::Config);
}

void TestSmtpMailer::invalidMessageFailsLater()
{
    SmtpMailer mailer(silentServerSettings(5000));
    MailMessage message = simpleMessage();
    message.to.address = u"alice@example.com>\r\nRCPT TO:<eve@example.com"_s;
    std::optional<Status> result;
    mailer.send(message, this, [&result](Status status) { result = std::move(status); });
    QVERIFY(!result.has_value());
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->error().kind, ErrorKind::InvalidInput);
    QCOMPARE(m_silent.hasPendingConnections(), false); // nothing reached the network
}

void TestSmtpMailer::sendDoesNotBlockAndTimesOut()
{
    SmtpMailer mailer(silentServerSettings(700));
    std::optional<Status> result;
    QElapsedTimer elapsed;
    elapsed.start();
    mailer.send(simpleMessage(), this, [&result](Status status) { result = std::move(status); });
    QVERIFY(elapsed.elapsed() < 200); // the transaction runs on a worker thread
    QVERIFY(!result.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(elapsed.elapsed() >= 600);
    QCOMPARE(result->error().kind, ErrorKind::Timeout);
    QVERIFY2(result->error().message.contains(u"127.0.0.1:%1"_s.arg(m_silent.serverPort())),
             qPrintable(result->error().message));
}

void TestSmtpMailer::cancelCallsBackOnceWithCancelled()
{
    SmtpMailer mailer(silentServerSettings(10000));
    int calls = 0;
    std::optional<Status> result;
    mailer.send(simpleMessage(), this, [&](Status status) {
        ++calls;
        result = std::move(status);
    });
    QTRY_VERIFY(m_silent.hasPendingConnections()); // curl is connected and waiting
    QElapsedTimer elapsed;
    elapsed.start();
    mailer.cancel();
    QCOMPARE(calls, 0); // not inside cancel()
    QTRY_COMPARE(calls, 1);
    QVERIFY(elapsed.elapsed() < 500);
    QCOMPARE(result->error().kind, ErrorKind::Cancelled);
    QTest::qWait(1500); // the worker notices the abort within a second; no second callback
    QCOMPARE(calls, 1);
    delete m_silent.nextPendingConnection();
}

void TestSmtpMailer::destroyedContextIsNeverCalled()
{
    SmtpMailer mailer(silentServerSettings(300));
    bool called = false;
    auto *context = new QObject;
    mailer.send(simpleMessage(), context, [&called](const Status &) { called = true; });
    delete context;
    QTest::qWait(1000); // past the transfer's 300 ms limit
    QVERIFY(!called);
    while (m_silent.hasPendingConnections())
        delete m_silent.nextPendingConnection();
}

void TestSmtpMailer::destroyingTheMailerCancelsSends()
{
    auto mailer = std::make_unique<SmtpMailer>(silentServerSettings(20000));
    std::optional<Status> result;
    mailer->send(simpleMessage(), this, [&result](Status status) { result = std::move(status); });
    QTRY_VERIFY(m_silent.hasPendingConnections());
    QElapsedTimer elapsed;
    elapsed.start();
    mailer.reset();
    QVERIFY(elapsed.elapsed() < 3000); // not the 20 s transfer limit
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->error().kind, ErrorKind::Cancelled);
    delete m_silent.nextPendingConnection();
}

QTEST_GUILESS_MAIN(TestSmtpMailer)
#include "tst_smtpmailer.moc"
