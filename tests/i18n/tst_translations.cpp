// The Korean catalogue: embedded in the app, loaded the way the app loads it
// (app::installTranslations), and complete. Each check is something a Korean user would see in
// English if it failed: the window, the sign-in email, the browser page after sign-in.

// The library's Korean catalogue: error messages, browser pages and the sign-in email. The
// window's and the command line's strings are checked in tst_app_translations.cpp.

#include "email/magiclinkmessage.h"
#include "net/staticpage.h"

#include <latchkey/client.h>

#include <QFile>
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
    void everyErrorIsKorean_data();
    void everyErrorIsKorean();
    void errorFactsAreKept();
    void browserPageIsKorean();
    void signInEmailIsKorean();
    void englishStaysEnglish();
    void everyMessageIsFinished();
    void everyPluralReadsInEnglish();

private:
    /// Removes every translator a previous installTranslations() call left on the application.
    static void removeTranslators();
};

void TestTranslations::init()
{
    QVERIFY(installTranslations(QLocale(QLocale::Korean, QLocale::SouthKorea)));
    QLocale::setDefault(QLocale(QLocale::Korean, QLocale::SouthKorea));
}

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
    // installTranslations() looks for :/latchkey/i18n/latchkey_<locale>.qm (embedded in the
    // library); a missing file would leave every program in English silently.
    QVERIFY(QFile::exists(u":/latchkey/i18n/latchkey_ko.qm"_s));
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::Korean, QLocale::SouthKorea), u"latchkey"_s, u"_"_s,
                            u":/latchkey/i18n"_s));
    QCOMPARE(translator.language(), u"ko_KR"_s);
    QVERIFY(!installTranslations(QLocale(QLocale::Zulu)));
}

void TestTranslations::messagesComeBackInKorean_data()
{
    QTest::addColumn<QByteArray>("context");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("disambiguation");
    QTest::addColumn<QString>("expected");

    QTest::newRow("email subject")
            << "MagicLinkMessage"_ba
            << "Sign in to Latchkey"_ba << QByteArray() << u"Latchkey에 로그인"_s;
    QTest::newRow("wrong code")
            << "latchkey::Error"_ba
            << "That code is not right. Check the newest email and try again."_ba << QByteArray()
            << u"코드가 맞지 않습니다. 가장 최근 이메일을 확인하고 다시 시도하세요."_s;
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

void TestTranslations::everyErrorIsKorean_data()
{
    QTest::addColumn<Error>("error");
    // Each kind without a finer code, then every code: a person never reads English in the
    // Korean window, whatever went wrong.
    for (int kind = int(ErrorKind::Network); kind <= int(ErrorKind::Unauthorized); ++kind) {
        const Error error = Error::make(ErrorKind(kind), u"English detail"_s);
        QTest::newRow(qPrintable(u"kind "_s + errorKindName(error.kind))) << error;
    }
    for (int code = int(ErrorCode::NetworkUnreachable); code <= int(ErrorCode::SessionExpired);
         ++code) {
        Error error =
                Error::make(ErrorKind::Protocol, ErrorCode(code), u"English detail"_s, u"reason"_s);
        error.subject = u"google"_s;
        error.retryAfterSecs = 90;
        error.remainingAttempts = 3;
        QTest::newRow(qPrintable(u"code "_s + errorCodeName(error.code))) << error;
    }
}

void TestTranslations::everyErrorIsKorean()
{
    QFETCH(Error, error);
    static const QRegularExpression kHangul(u"[\\x{AC00}-\\x{D7A3}]"_s);
    const QString korean = errorMessage(error);
    QVERIFY2(korean.contains(kHangul), qPrintable(korean));
    removeTranslators();
    const QString english = errorMessage(error);
    QVERIFY2(!english.contains(kHangul) && english != korean, qPrintable(english));
}

void TestTranslations::errorFactsAreKept()
{
    Error wrong = Error::make(ErrorKind::InvalidInput, ErrorCode::CodeWrong, {});
    wrong.remainingAttempts = 2;
    QVERIFY2(errorMessage(wrong).contains(u"2"_s), qPrintable(errorMessage(wrong)));
    Error wait = Error::make(ErrorKind::RateLimited, ErrorCode::ResendTooSoon, {});
    wait.retryAfterSecs = 45;
    QVERIFY2(errorMessage(wait).contains(u"45초"_s), qPrintable(errorMessage(wait)));
    wait.retryAfterSecs = 600;
    QVERIFY2(errorMessage(wait).contains(u"10분"_s), qPrintable(errorMessage(wait)));
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
    const QDateTime now(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    const MailMessage message =
            magicLinkMessage(MailAddress{u"latchkey@example.com"_s, {}}, u"alice@example.com"_s,
                             QUrl(u"http://127.0.0.1:4567/verify?token=abc"_s), u"123456"_s,
                             now.addSecs(10 * 60), now);
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
    // English has a catalogue of its plural forms only ("1 minute", "2 minutes").
    QVERIFY(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)));
    QCOMPARE(QCoreApplication::translate("latchkey::Error", "%n minute(s)", nullptr, 1),
             u"1 minute"_s);
    QCOMPARE(QCoreApplication::translate("latchkey::Error", "%n minute(s)", nullptr, 2),
             u"2 minutes"_s);
    QCOMPARE(StaticPage::signedIn().toHtml().left(32), "<!DOCTYPE html>\n<html lang=\"en\">"_ba);
    QCOMPARE(errorMessage(Error::make(ErrorKind::Unauthorized, ErrorCode::NotSignedIn, {})),
             u"You are not signed in. Sign in to see this."_s);
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

// Qt's %n messages need a catalogue even in the source language, or English reads "1 minute(s)":
// every plural message the Korean catalogue knows has its English forms too.
void TestTranslations::everyPluralReadsInEnglish()
{
    removeTranslators();
    QVERIFY(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)));
    const QString path = qEnvironmentVariable("LATCHKEY_SOURCE_DIR") +
            u"/resources/translations/latchkey_ko.ts"_s;
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    QXmlStreamReader xml(&file);
    QString context;
    bool numerus = false;
    int plurals = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            numerus = xml.attributes().value(u"numerus"_s) == u"yes";
        } else if (xml.name() == u"source" && numerus) {
            const QString source = xml.readElementText();
            const QString one = QCoreApplication::translate(
                    context.toUtf8().constData(), source.toUtf8().constData(), nullptr, 1);
            QVERIFY2(one != QString(source).replace(u"%n"_s, u"1"_s),
                     qPrintable(context + u": "_s + source));
            ++plurals;
        }
    }
    QVERIFY(plurals > 0);
}

} // namespace latchkey

QTEST_MAIN(latchkey::TestTranslations)
#include "tst_translations.moc"
