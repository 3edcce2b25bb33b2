// The Korean catalogue: embedded in the app, loaded the way the app loads it
// (app::installTranslations), and complete. Each check is something a Korean user would see in
// English if it failed: the window, the sign-in email, the browser page after sign-in.

#include "app/commandline.h"
#include "email/magiclinkmessage.h"
#include "net/staticpage.h"
#include "widgets/pages.h"

#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

/// The placeholders of a message (%1…%99, %n, %L1), sorted, to compare source and translation.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression kPlaceholder(u"%L?(?:[1-9][0-9]?|n)"_s);
    QStringList found;
    for (auto it = kPlaceholder.globalMatch(text); it.hasNext();)
        found.append(it.next().captured());
    found.sort();
    return found;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void catalogueIsEmbedded();
    void messagesComeBackInKorean_data();
    void messagesComeBackInKorean();
    void pluralUsesTheCount_data();
    void pluralUsesTheCount();
    void formsAreTranslated();
    void browserPageIsKorean();
    void signInEmailIsKorean();
    void englishStaysEnglish();
    void everyMessageIsFinished();

private:
    /// Removes every translator a previous installTranslations() call left on the application.
    static void removeTranslators();
};

void TestTranslations::init() { app::installTranslations(*QCoreApplication::instance(), u"ko"_s); }

void TestTranslations::cleanup()
{
    removeTranslators();
    QLocale::setDefault(QLocale::c());
}

void TestTranslations::removeTranslators()
{
    const auto translators = QCoreApplication::instance()->findChildren<QTranslator *>();
    for (QTranslator *translator : translators) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

void TestTranslations::catalogueIsEmbedded()
{
    // installTranslations() looks for :/i18n/latchkey_<locale>.qm (qt_add_translations on
    // latchkey_gui embeds it); a missing file would leave the whole app in English silently.
    QVERIFY(QFile::exists(u":/i18n/latchkey_ko.qm"_s));
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::Korean, QLocale::SouthKorea), u"latchkey"_s, u"_"_s,
                            u":/i18n"_s));
    QCOMPARE(translator.language(), u"ko_KR"_s);
}

void TestTranslations::messagesComeBackInKorean_data()
{
    QTest::addColumn<QByteArray>("context");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("disambiguation");
    QTest::addColumn<QString>("expected");

    QTest::newRow("window title") << "SignInPage"_ba
                                  << "Sign in to Latchkey"_ba << QByteArray()
                                  << u"Latchkey에 로그인"_s;
    QTest::newRow("email subject")
            << "MagicLinkMessage"_ba
            << "Sign in to Latchkey"_ba << QByteArray() << u"Latchkey에 로그인"_s;
    QTest::newRow("loading") << "LoadingPage"_ba
                             << "Loading…"_ba << QByteArray() << u"불러오는 중…"_s;
    QTest::newRow("email button") << "SignInPage"_ba
                                  << "Email me a sign-in link"_ba << QByteArray()
                                  << u"이메일로 로그인 링크 받기"_s;
    QTest::newRow("sign out accelerator") << "HomePage"_ba
                                          << "Sign &out"_ba << QByteArray() << u"로그아웃(&O)"_s;
    QTest::newRow("cli status") << "Cli"_ba
                                << "Not signed in."_ba << QByteArray()
                                << u"로그인되어 있지 않습니다."_s;
    QTest::newRow("html lang") << "latchkey::StaticPage"_ba
                               << "en"_ba
                               << "HTML lang attribute of the browser pages"_ba << u"ko"_s;
}

void TestTranslations::messagesComeBackInKorean()
{
    QFETCH(QByteArray, context);
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, disambiguation);
    QFETCH(QString, expected);
    QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(),
                                         disambiguation.isNull() ? nullptr
                                                                 : disambiguation.constData()),
             expected);
}

void TestTranslations::pluralUsesTheCount_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("many") << 5;
}

void TestTranslations::pluralUsesTheCount()
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

void TestTranslations::formsAreTranslated()
{
    // The Designer forms are translated by uic's retranslateUi() through the installed translator.
    gui::LoadingPage loading;
    auto *label = loading.findChild<QLabel *>(u"label"_s);
    QVERIFY(label);
    QCOMPARE(label->text(), u"불러오는 중…"_s);

    gui::SignInPage signIn({});
    auto *title = signIn.findChild<QLabel *>(u"title"_s);
    QVERIFY(title);
    QCOMPARE(title->text(), u"Latchkey에 로그인"_s);
}

void TestTranslations::browserPageIsKorean()
{
    const QString html = QString::fromUtf8(StaticPage::signedIn().toHtml());
    QVERIFY2(html.contains(u"<html lang=\"ko\">"_s), qPrintable(html.left(80)));
    QVERIFY(html.contains(u"<h1>로그인 완료</h1>"_s));
    QVERIFY(html.contains(u"이 탭을 닫고 Latchkey로 돌아가도 됩니다."_s));
}

void TestTranslations::signInEmailIsKorean()
{
    const MailMessage message =
            magicLinkMessage(MailAddress{u"latchkey@example.com"_s, {}}, u"alice@example.com"_s,
                             QUrl(u"http://127.0.0.1:4567/verify?token=abc"_s), u"123456"_s,
                             QDateTime::currentDateTimeUtc().addSecs(10 * 60));
    QCOMPARE(message.subject, u"Latchkey에 로그인"_s);
    QVERIFY2(message.textBody.contains(
                     u"이 컴퓨터에서 Latchkey에 로그인하려면 아래 링크를 클릭하세요."_s),
             qPrintable(message.textBody));
    QVERIFY(message.textBody.contains(u"10분 후"_s));
    QVERIFY(message.htmlBody.contains(u"또는 Latchkey 창에 다음 코드를 입력하세요:"_s));
}

void TestTranslations::englishStaysEnglish()
{
    removeTranslators();
    app::installTranslations(*QCoreApplication::instance(), u"en"_s);
    gui::SignInPage signIn({});
    auto *title = signIn.findChild<QLabel *>(u"title"_s);
    QVERIFY(title);
    QCOMPARE(title->text(), u"Sign in to Latchkey"_s);
    QCOMPARE(StaticPage::signedIn().toHtml().left(32), "<!DOCTYPE html>\n<html lang=\"en\">"_ba);
}

void TestTranslations::everyMessageIsFinished()
{
    const QString path = qEnvironmentVariable("LATCHKEY_SOURCE_DIR") +
            u"/resources/translations/latchkey_ko.ts"_s;
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));

    QXmlStreamReader xml(&file);
    QString context;
    QString source;
    int messages = 0;
    QStringList problems;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"source") {
            source = xml.readElementText();
            ++messages;
        } else if (xml.name() == u"translation") {
            const QString type = xml.attributes().value(u"type"_s).toString();
            if (!type.isEmpty()) // "unfinished", "vanished" or "obsolete"
                problems.append(u"%1 \"%2\": %3"_s.arg(context, source, type));
            QString text;
            QStringList forms; // numerus messages: one <numerusform> per plural form
            while (!xml.atEnd()) {
                const auto token = xml.readNext();
                if (token == QXmlStreamReader::Characters)
                    text += xml.text();
                else if (token == QXmlStreamReader::StartElement)
                    forms.append(xml.readElementText());
                else if (token == QXmlStreamReader::EndElement && xml.name() == u"translation")
                    break;
            }
            if (forms.isEmpty())
                forms.append(text);
            for (const QString &form : std::as_const(forms)) {
                if (form.trimmed().isEmpty())
                    problems.append(u"%1 \"%2\": empty translation"_s.arg(context, source));
                else if (placeholders(form) != placeholders(source))
                    problems.append(u"%1 \"%2\": placeholders differ in \"%3\""_s.arg(
                            context, source, form));
            }
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(messages > 50, qPrintable(u"only %1 messages: did lupdate run?"_s.arg(messages)));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

} // namespace latchkey

QTEST_MAIN(latchkey::TestTranslations)
#include "tst_translations.moc"
