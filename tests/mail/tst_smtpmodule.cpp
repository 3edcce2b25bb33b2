// libcurl is loaded only when an email is sent (docs/architecture.md "Modules"): the real Client
// with SMTP configured, restored, and its real window painted, has mapped neither the smtp module
// nor libcurl nor the jose module; the first email sent to the harness's SMTP sink maps the smtp
// module. Runs inside tests/harness/with-services.

#include "../e2e/e2ehelpers.h"
#include "widgets/mainwindow.h"

#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

/// The file names of the shared objects mapped into this process now.
QStringList mappedObjects()
{
    QFile maps(u"/proc/self/maps"_s);
    if (!maps.open(QIODevice::ReadOnly))
        qFatal("cannot read /proc/self/maps");
    QStringList objects;
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const qsizetype slash = line.lastIndexOf('/');
        if (slash >= 0) {
            const QString name = QString::fromLocal8Bit(line.mid(slash + 1));
            if (!objects.contains(name))
                objects.append(name);
        }
    }
    return objects;
}

bool mapped(const QString &prefix)
{
    const QStringList objects = mappedObjects();
    return std::any_of(objects.begin(), objects.end(),
                       [&prefix](const QString &name) { return name.startsWith(prefix); });
}

/// Notes the first paint of a widget.
class PaintWatch : public QObject
{
public:
    bool painted = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            painted = true;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

class TestSmtpModule : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void libcurlIsLoadedByTheFirstEmail();
};

void TestSmtpModule::initTestCase()
{
    QGuiApplication::setApplicationDisplayName(u"Latchkey"_s); // as the app does (guiapp.cpp)
    harnessValue("LATCHKEY_TEST_MAILDIR");
    harnessValue("DBUS_SESSION_BUS_ADDRESS");
}

void TestSmtpModule::libcurlIsLoadedByTheFirstEmail()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env;
    env.insert(u"HOME"_s, dir.path());
    env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
    env.insert(u"LATCHKEY_DATA_DIR"_s, dir.filePath(u"data"_s));
    env.insert(u"LATCHKEY_KEYCHAIN_SERVICE"_s,
               u"latchkey-smtpmodule-%1"_s.arg(QCoreApplication::applicationPid()));
    env.insert(u"EMAIL_SERVER"_s,
               u"smtps://127.0.0.1:%1"_s.arg(harnessValue("LATCHKEY_TEST_SMTPS_PORT")));
    env.insert(u"EMAIL_CA_FILE"_s, harnessValue("LATCHKEY_TEST_CA_FILE"));
    env.insert(u"EMAIL_FROM"_s, u"Latchkey <no-reply@example.com>"_s);
    const Options options = configFrom(env);
    QVERIFY(!options.usesOutbox()); // the real SMTP mailer

    auto client = makeClient(options);
    gui::MainWindow window(*client);
    PaintWatch paints;
    window.installEventFilter(&paints);
    window.show();
    window.start();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *signIn = signInPage(window, u"signInPage"_s);
    QTRY_COMPARE(currentPage(window), signIn);
    QTRY_VERIFY(paints.painted);

    QVERIFY2(!mapped(u"liblatchkey-smtp.so"_s), qPrintable(mappedObjects().join(u' ')));
    QVERIFY2(!mapped(u"libcurl"_s), qPrintable(mappedObjects().join(u' ')));
    QVERIFY2(!mapped(u"liblatchkey-jose.so"_s), qPrintable(mappedObjects().join(u' ')));

    const int before = mailCount();
    auto *edit = signIn->findChild<QLineEdit *>(u"emailEdit"_s);
    QTest::keyClicks(edit, u"module@example.com"_s);
    QTest::mouseClick(signIn->findChild<QPushButton *>(u"emailButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(currentPage(window) == signInPage(window, u"checkEmailPage"_s), 15000);
    QCOMPARE(mailCount(), before + 1);
    QCOMPARE(newestMail().value(u"rcpt_tos"_s).toArray().first().toString(),
             u"module@example.com"_s);
    QVERIFY2(mapped(u"liblatchkey-smtp.so"_s), qPrintable(mappedObjects().join(u' ')));
    QVERIFY2(mapped(u"libcurl"_s), qPrintable(mappedObjects().join(u' ')));
}

QTEST_MAIN(TestSmtpModule)
#include "tst_smtpmodule.moc"
