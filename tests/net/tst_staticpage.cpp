#include "net/staticpage.h"

#include <QTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(latchkey::StaticPage)

class TestStaticPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pages_data();
    void pages();
};

void TestStaticPage::pages_data()
{
    QTest::addColumn<StaticPage>("page");
    QTest::addColumn<QString>("heading");
    QTest::addColumn<QString>("sentence");

    QTest::newRow("signed in") << StaticPage::signedIn() << u"Signed in"_s
                               << u"close this tab and return to Latchkey"_s;
    QTest::newRow("failed") << StaticPage::signInFailed() << u"Sign-in failed"_s
                            << u"Return to Latchkey for details"_s;
    QTest::newRow("did not complete")
            << StaticPage::signInIncomplete() << u"Sign-in did not complete"_s
            << u"Return to Latchkey to see what happened"_s;
    QTest::newRow("link not used") << StaticPage::linkNotAccepted() << u"Link not used"_s
                                   << u"not for the sign-in Latchkey is waiting for"_s;
    QTest::newRow("no sign-in") << StaticPage::noSignInInProgress()
                                << u"No sign-in is in progress"_s << u"not waiting"_s;
    QTest::newRow("not found") << StaticPage::notFound() << u"Page not found"_s
                               << u"not part of a Latchkey sign-in"_s;
    QTest::newRow("bad request") << StaticPage::badRequest() << u"Bad request"_s
                                 << u"could not read this request"_s;
}

void TestStaticPage::pages()
{
    QFETCH(StaticPage, page);
    QFETCH(QString, heading);
    QFETCH(QString, sentence);

    const QString html = QString::fromUtf8(page.toHtml());
    QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
    QVERIFY(html.contains(u"<meta charset=\"utf-8\">"_s));
    QVERIFY(html.contains(u"<h1>"_s + heading + u"</h1>"_s));
    QVERIFY(html.contains(sentence));
    QCOMPARE(page.title(), heading);
    // Self-contained: no scripts, no external resources of any kind (docs/security.md).
    for (const auto &forbidden : {u"<script"_s, u"src="_s, u"href="_s, u"url("_s, u"@import"_s,
                                  u"http:"_s, u"https:"_s, u"//"_s}) {
        QVERIFY2(!html.contains(forbidden, Qt::CaseInsensitive), qPrintable(forbidden));
    }
}

QTEST_APPLESS_MAIN(TestStaticPage)
#include "tst_staticpage.moc"
