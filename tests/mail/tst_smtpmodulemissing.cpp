// SmtpMailer without its module (docs/architecture.md "Modules"): nothing is loaded until a send,
// a missing liblatchkey-smtp.so fails the send with ModuleMissing, whose message names the file
// and says to reinstall, and no connection is made; once the module is back the same mailer loads
// it and talks to the server. The only peer is a silent local socket.
#include "core/module.h"
#include "mail/smtpmailer.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

bool libcurlMapped()
{
    QFile maps(u"/proc/self/maps"_s);
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains("/libcurl");
}

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

class TestSmtpModuleMissing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void missingModuleFailsTheSendAndLoadsOnceBack();
};

void TestSmtpModuleMissing::missingModuleFailsTheSendAndLoadsOnceBack()
{
    QTcpServer silent; // accepts connections and never says a word
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QTemporaryDir empty;
    QVERIFY(empty.isValid());
    qputenv("LATCHKEY_MODULE_DIR", QFile::encodeName(empty.path()));

    SmtpSettings settings;
    settings.server = QUrl(u"smtp://127.0.0.1:%1"_s.arg(silent.serverPort()));
    settings.totalTimeoutMs = 500;
    QVERIFY(SmtpMailer::validate(settings));
    SmtpMailer mailer(settings);
    QVERIFY(!module::isLoaded("smtp"));
    QVERIFY(!libcurlMapped());

    std::optional<Status> result;
    mailer.send(simpleMessage(), this, [&result](Status status) { result = std::move(status); });
    QTRY_VERIFY(result.has_value());
    QVERIFY(!*result);
    const Error &error = result->error();
    QCOMPARE(error.code, ErrorCode::ModuleMissing);
    QCOMPARE(error.kind, ErrorKind::Config);
    const QString text = errorMessage(error);
    QVERIFY2(text.contains(u"liblatchkey-smtp.so"_s) && text.contains(u"Reinstall"_s),
             qPrintable(text));
    QVERIFY(!module::isLoaded("smtp"));
    QVERIFY(!libcurlMapped());
    QVERIFY(!silent.hasPendingConnections());

    // The module is back (the build tree's modules/ through the RUNPATH): the same mailer sends.
    qunsetenv("LATCHKEY_MODULE_DIR");
    result.reset();
    mailer.send(simpleMessage(), this, [&result](Status status) { result = std::move(status); });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->error().kind, ErrorKind::Timeout); // the silent server never answered
    QVERIFY(silent.hasPendingConnections());
    QVERIFY(module::isLoaded("smtp"));
    QVERIFY(libcurlMapped());
}

QTEST_GUILESS_MAIN(TestSmtpModuleMissing)
#include "tst_smtpmodulemissing.moc"
