#include "mail/smtpmailer.h"
#include "parsedeml.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

enum class Port { Plain, StartTls, Smtps, Closed };

QString env(const char *name) { return qEnvironmentVariable(name); }

// A recipient nobody else uses, so the test finds its own message among the sink's files.
QString uniqueRecipient()
{
    return u"rcpt-%1@example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128));
}

} // namespace

// SmtpMailer against the real SMTP sink (aiosmtpd) that tests/harness/with-services starts.
class TestSmtpMailerIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void delivers_data();
    void delivers();
    void reportsFailures_data();
    void reportsFailures();
    void subjectInjectionCreatesNoHeader();
    void dotLinesArriveIntact();
    void koreanSubjectAndNameDecode();

private:
    SmtpSettings settingsFor(Port port, bool withCa) const;
    Status sendAndWait(const SmtpSettings &settings, const MailMessage &message);
    // The .eml and sidecar the sink wrote for `recipient`, or empty strings.
    std::pair<QString, QJsonObject> sinkMessage(const QString &recipient) const;
    MailMessage messageTo(const QString &recipient) const;

    QString m_maildir;
    QString m_caFile;
    QString m_user;
    QString m_password;
    QMap<Port, int> m_ports;
};

void TestSmtpMailerIntegration::initTestCase()
{
    // Missing services are a failure, not a skip: run through tests/harness/with-services.
    for (const char *name :
         {"LATCHKEY_TEST_MAILDIR", "LATCHKEY_TEST_SMTP_PORT", "LATCHKEY_TEST_SMTP_STARTTLS_PORT",
          "LATCHKEY_TEST_SMTPS_PORT", "LATCHKEY_TEST_CA_FILE", "LATCHKEY_TEST_SMTP_USER",
          "LATCHKEY_TEST_SMTP_PASSWORD"}) {
        QVERIFY2(!env(name).isEmpty(),
                 qPrintable(u"%1 is not set: run this test under tests/harness/with-services"_s.arg(
                         QLatin1StringView(name))));
    }
    m_maildir = env("LATCHKEY_TEST_MAILDIR");
    m_caFile = env("LATCHKEY_TEST_CA_FILE");
    m_user = env("LATCHKEY_TEST_SMTP_USER");
    m_password = env("LATCHKEY_TEST_SMTP_PASSWORD");
    m_ports[Port::Plain] = env("LATCHKEY_TEST_SMTP_PORT").toInt();
    m_ports[Port::StartTls] = env("LATCHKEY_TEST_SMTP_STARTTLS_PORT").toInt();
    m_ports[Port::Smtps] = env("LATCHKEY_TEST_SMTPS_PORT").toInt();
    QVERIFY(QDir(m_maildir).exists());
    QVERIFY(QFile::exists(m_caFile));
    // A port nobody listens on: bind one, note it, close it.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    m_ports[Port::Closed] = probe.serverPort();
}

SmtpSettings TestSmtpMailerIntegration::settingsFor(Port port, bool withCa) const
{
    SmtpSettings settings;
    const QString scheme = port == Port::Smtps ? u"smtps"_s : u"smtp"_s;
    settings.server = QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(m_ports.value(port)));
    settings.caFile = withCa ? m_caFile : QString();
    settings.requireTls = port != Port::Plain;
    settings.connectTimeoutMs = 5000;
    settings.totalTimeoutMs = 15000;
    return settings;
}

MailMessage TestSmtpMailerIntegration::messageTo(const QString &recipient) const
{
    MailMessage message;
    message.from = {u"no-reply@latchkey.test"_s, u"Latchkey"_s};
    message.to = {recipient, {}};
    message.subject = u"Sign in to Latchkey"_s;
    message.textBody = u"Sign in: http://127.0.0.1:40123/callback/email?token=abc\n"
                       u"Or type the code 123456.\n"_s;
    message.htmlBody = u"<p><a href=\"http://127.0.0.1:40123/callback/email?token=abc\">"
                       u"Sign in</a></p>\n"_s;
    return message;
}

Status TestSmtpMailerIntegration::sendAndWait(const SmtpSettings &settings,
                                              const MailMessage &message)
{
    SmtpMailer mailer(settings);
    std::optional<Status> result;
    int calls = 0;
    mailer.send(message, this, [&](Status status) {
        ++calls;
        result = std::move(status);
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    QTest::qWait(10);
    [&] { QCOMPARE(calls, 1); }();
    return result.value_or(Error::make(ErrorKind::Timeout, u"no callback within 20 s"_s));
}

std::pair<QString, QJsonObject>
TestSmtpMailerIntegration::sinkMessage(const QString &recipient) const
{
    const QDir dir(m_maildir);
    for (const QString &name : dir.entryList({u"*.json"_s}, QDir::Files)) {
        QFile sidecar(dir.filePath(name));
        if (!sidecar.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject meta = QJsonDocument::fromJson(sidecar.readAll()).object();
        if (meta.value(u"rcpt_tos").toArray().contains(QJsonValue(recipient))) {
            const QString eml = dir.filePath(name.chopped(5) + u".eml"_s);
            if (QFile::exists(eml))
                return {eml, meta};
        }
    }
    return {};
}

void TestSmtpMailerIntegration::delivers_data()
{
    QTest::addColumn<Port>("port");
    QTest::addColumn<int>("login"); // 0 none, 1 settings fields, 2 user:password in the URL
    QTest::addColumn<bool>("tls");
    QTest::newRow("plain") << Port::Plain << 0 << false;
    QTest::newRow("STARTTLS with the test CA") << Port::StartTls << 0 << true;
    QTest::newRow("SMTPS with the test CA") << Port::Smtps << 0 << true;
    QTest::newRow("STARTTLS + AUTH") << Port::StartTls << 1 << true;
    QTest::newRow("SMTPS + AUTH from the URL") << Port::Smtps << 2 << true;
}

void TestSmtpMailerIntegration::delivers()
{
    QFETCH(Port, port);
    QFETCH(int, login);
    QFETCH(bool, tls);
    SmtpSettings settings = settingsFor(port, true);
    if (login == 1) {
        settings.username = m_user;
        settings.password = m_password;
    } else if (login == 2) {
        settings.server.setUserName(m_user);
        settings.server.setPassword(m_password);
    }
    const QString recipient = uniqueRecipient();
    const Status status = sendAndWait(settings, messageTo(recipient));
    QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));

    const auto [path, meta] = sinkMessage(recipient);
    QVERIFY2(!path.isEmpty(), "the sink has no message for this recipient");
    QCOMPARE(meta.value(u"mail_from").toString(), u"no-reply@latchkey.test"_s);
    QCOMPARE(meta.value(u"tls").toBool(), tls);
    QCOMPARE(meta.value(u"auth_user"), login ? QJsonValue(m_user) : QJsonValue(QJsonValue::Null));

    const ParsedEml eml = ParsedEml::parse(path);
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY2(eml.defects.isEmpty(), qPrintable(eml.defects.join(u", ")));
    QCOMPARE(eml.values(u"Subject"_s), QStringList{u"Sign in to Latchkey"_s});
    QCOMPARE(eml.values(u"From"_s), QStringList{u"Latchkey <no-reply@latchkey.test>"_s});
    QCOMPARE(eml.values(u"To"_s), QStringList{recipient});
    QCOMPARE(eml.values(u"Date"_s).size(), 1);
    QCOMPARE(eml.values(u"Message-ID"_s).size(), 1);
    QCOMPARE(eml.parts.size(), 2);
    QCOMPARE(eml.parts.at(0).first, u"text/plain"_s);
    QCOMPARE(eml.parts.at(1).first, u"text/html"_s);
    QCOMPARE(eml.part(u"text/plain"_s),
             u"Sign in: http://127.0.0.1:40123/callback/email?token=abc\n"
             u"Or type the code 123456.\n"_s);
    QVERIFY(eml.part(u"text/html"_s)
                    .contains(u"href=\"http://127.0.0.1:40123/callback/email?token=abc\""_s));
}

void TestSmtpMailerIntegration::reportsFailures_data()
{
    QTest::addColumn<Port>("port");
    QTest::addColumn<bool>("withCa");
    QTest::addColumn<bool>("requireTls");
    QTest::addColumn<QString>("password"); // empty: no login
    QTest::addColumn<QString>("recipient"); // empty: a unique, accepted one
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("wrong password")
            << Port::Smtps << true << true << u"wrong-password"_s << QString()
            << QStringList{u"refused the login"_s, u"EMAIL_PASSWORD"_s};
    QTest::newRow("STARTTLS, no CA") << Port::StartTls << false << true << QString() << QString()
                                     << QStringList{u"not trusted"_s, u"EMAIL_CA_FILE"_s};
    QTest::newRow("SMTPS, no CA") << Port::Smtps << false << true << QString() << QString()
                                  << QStringList{u"not trusted"_s, u"EMAIL_CA_FILE"_s};
    QTest::newRow("TLS required, plain server")
            << Port::Plain << true << true << QString() << QString() << QStringList{u"STARTTLS"_s};
    QTest::newRow("nothing listening")
            << Port::Closed << true << true << QString() << QString()
            << QStringList{u"Could not connect"_s, u"127.0.0.1:"_s, u"EMAIL_SERVER"_s};
    QTest::newRow("recipient refused")
            << Port::Plain << true << false << QString() << u"x@reject.invalid"_s
            << QStringList{u"refused the recipient"_s, u"x@reject.invalid"_s, u"550"_s};
}

void TestSmtpMailerIntegration::reportsFailures()
{
    QFETCH(Port, port);
    QFETCH(bool, withCa);
    QFETCH(bool, requireTls);
    QFETCH(QString, password);
    QFETCH(QString, recipient);
    QFETCH(QStringList, mentions);
    SmtpSettings settings = settingsFor(port, withCa);
    settings.requireTls = requireTls;
    if (!password.isEmpty()) {
        settings.username = m_user;
        settings.password = password;
    }
    if (recipient.isEmpty())
        recipient = uniqueRecipient();
    const Status status = sendAndWait(settings, messageTo(recipient));
    QVERIFY(!status);
    QCOMPARE(status.error().kind, ErrorKind::Mail);
    if (port == Port::Closed)
        mentions << u"127.0.0.1:%1"_s.arg(m_ports.value(Port::Closed));
    for (const QString &mention : mentions)
        QVERIFY2(status.error().message.contains(mention), qPrintable(status.error().message));
    QVERIFY(!status.error().message.contains(m_password));
    QVERIFY(!password.isEmpty() || !status.error().message.contains(u"wrong-password"_s));
    QVERIFY2(sinkMessage(recipient).first.isEmpty(), "the sink stored a message anyway");
}

void TestSmtpMailerIntegration::subjectInjectionCreatesNoHeader()
{
    const QString recipient = uniqueRecipient();
    MailMessage message = messageTo(recipient);
    message.subject = u"Hello\r\nBcc: victim@example.com\r\nX-Injected: yes"_s;
    message.from.displayName = u"Eve\r\nReply-To: eve@evil.example"_s;
    const Status status = sendAndWait(settingsFor(Port::StartTls, true), message);
    QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));
    const auto [path, meta] = sinkMessage(recipient);
    QVERIFY(!path.isEmpty());
    QCOMPARE(meta.value(u"rcpt_tos").toArray().size(), 1);
    const ParsedEml eml = ParsedEml::parse(path);
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY(eml.values(u"Bcc"_s).isEmpty());
    QVERIFY(eml.values(u"X-Injected"_s).isEmpty());
    QVERIFY(eml.values(u"Reply-To"_s).isEmpty());
    QCOMPARE(eml.values(u"Subject"_s),
             QStringList{u"HelloBcc: victim@example.comX-Injected: yes"_s});
}

void TestSmtpMailerIntegration::dotLinesArriveIntact()
{
    const QString recipient = uniqueRecipient();
    MailMessage message = messageTo(recipient);
    // A lone "." would end SMTP DATA (RFC 5321 §4.1.1.4) if libcurl did not dot-stuff it.
    const QString body = u".hidden first line\n.\n..two dots\nafter the dot\n"_s;
    message.textBody = body;
    message.htmlBody = u".<p>html</p>\n.\n<p>after</p>\n"_s;
    const Status status = sendAndWait(settingsFor(Port::Plain, true), message);
    QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));
    const ParsedEml eml = ParsedEml::parse(sinkMessage(recipient).first);
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QCOMPARE(eml.part(u"text/plain"_s), body);
    QCOMPARE(eml.part(u"text/html"_s), u".<p>html</p>\n.\n<p>after</p>\n"_s);
}

void TestSmtpMailerIntegration::koreanSubjectAndNameDecode()
{
    const QString recipient = uniqueRecipient();
    MailMessage message = messageTo(recipient);
    message.subject = u"래치키 로그인 링크입니다 — 10분 안에 사용하세요 (코드 포함)"_s;
    message.from.displayName = u"래치키"_s;
    message.to.displayName = u"김철수"_s;
    message.textBody = u"안녕하세요, 로그인하려면 아래 링크를 누르세요.\n"_s;
    const Status status = sendAndWait(settingsFor(Port::Smtps, true), message);
    QVERIFY2(status, qPrintable(status.ok() ? QString() : status.error().message));
    const ParsedEml eml = ParsedEml::parse(sinkMessage(recipient).first);
    QVERIFY2(eml.failure.isEmpty(), qPrintable(eml.failure));
    QVERIFY2(eml.defects.isEmpty(), qPrintable(eml.defects.join(u", ")));
    QCOMPARE(eml.values(u"Subject"_s), QStringList{message.subject});
    QCOMPARE(eml.values(u"From"_s), QStringList{u"래치키 <no-reply@latchkey.test>"_s});
    QCOMPARE(eml.values(u"To"_s), QStringList{u"김철수 <%1>"_s.arg(recipient)});
    QCOMPARE(eml.part(u"text/plain"_s), message.textBody);
}

QTEST_GUILESS_MAIN(TestSmtpMailerIntegration)
#include "tst_smtpmailerintegration.moc"
