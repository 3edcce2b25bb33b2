// The window and the command line in Korean, through the public API only: forms, plurals, and an
// error the library reports shown in Korean in the real window.

#include "app/commandline.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <latchkey/client.h>
#include <latchkey/widgets/signinwidget.h>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace latchkey {

class TestAppTranslations : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void formsAreTranslated();
    void pluralUsesTheCount_data();
    void pluralUsesTheCount();
    void commandLineIsKorean();
    void windowShowsKoreanErrors();
};

void TestAppTranslations::init()
{
    app::installTranslations(*QCoreApplication::instance(), u"ko"_s);
}

void TestAppTranslations::cleanup()
{
    app::installTranslations(*QCoreApplication::instance(), u"en"_s);
    QLocale::setDefault(QLocale::c());
}

void TestAppTranslations::formsAreTranslated()
{
    // The Designer forms are translated by uic's retranslateUi() through the installed translator.
    gui::LoadingPage loading;
    auto *label = loading.findChild<QLabel *>(u"label"_s);
    QVERIFY(label);
    QCOMPARE(label->text(), u"불러오는 중…"_s);

    QTemporaryDir dir;
    Options options;
    options.databasePath = dir.filePath(u"latchkey.db"_s);
    Client client(options);
    SignInWidget signIn(client);
    auto *button = signIn.findChild<QPushButton *>(u"emailButton"_s);
    QVERIFY(button);
    QCOMPARE(button->text(), u"이메일로 로그인 링크 받기"_s);
}

void TestAppTranslations::pluralUsesTheCount_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("many") << 5;
}

void TestAppTranslations::pluralUsesTheCount()
{
    QFETCH(int, count);
    const QString text =
            QCoreApplication::translate("latchkey::gui::DashboardPage",
                                        "Signed in as %1; %n active session(s).", nullptr, count)
                    .arg(u"alice@example.com"_s);
    QCOMPARE(text,
             u"alice@example.com 계정으로 로그인되어 있으며 활성 세션이 %1개 있습니다."_s.arg(
                     count));
}

void TestAppTranslations::commandLineIsKorean()
{
    QCOMPARE(QCoreApplication::translate("Cli", "Not signed in."), u"로그인되어 있지 않습니다."_s);
}

void TestAppTranslations::windowShowsKoreanErrors()
{
    // A library error (an unusable address) reaches the person in the window's language. The
    // client reads the real keyring (the harness's), under a service of its own.
    QTemporaryDir dir;
    Options options;
    options.databasePath = dir.filePath(u"latchkey.db"_s);
    options.outboxDir = dir.filePath(u"outbox"_s);
    options.keychainService = u"latchkey-i18n-test"_s;
    Client client(options);
    QVERIFY(client.restore().ok());
    gui::MainWindow window(client);
    window.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() != Client::State::Loading, 10000);
    auto *edit = window.findChild<QLineEdit *>(u"emailEdit"_s);
    QVERIFY(edit);
    edit->setText(u"not an address"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"emailButton"_s), Qt::LeftButton);
    auto *error =
            window.findChild<QWidget *>(u"signInPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY(!error->text().isEmpty());
    QCOMPARE(error->text(), u"사용할 수 있는 이메일 주소가 아닙니다. 확인하고 다시 시도하세요."_s);
}

} // namespace latchkey

QTEST_MAIN(latchkey::TestAppTranslations)
#include "tst_app_translations.moc"
