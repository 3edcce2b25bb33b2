#include "core/emailaddress.h"

#include <QTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

class TestEmailAddress : public QObject
{
    Q_OBJECT

private slots:
    void accepted_data();
    void accepted();
    void rejected_data();
    void rejected();
    void namedAddress_data();
    void namedAddress();
};

void TestEmailAddress::accepted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("plain") << u"ada@example.com"_s << u"ada@example.com"_s;
    QTest::newRow("trimmed") << u"  ada@example.com \t"_s << u"ada@example.com"_s;
    QTest::newRow("lowercased") << u"Ada.Lovelace@Example.COM"_s << u"ada.lovelace@example.com"_s;
    QTest::newRow("plus tag") << u"ada+news@example.com"_s << u"ada+news@example.com"_s;
    QTest::newRow("apostrophe") << u"o'brien@example.ie"_s << u"o'brien@example.ie"_s;
    QTest::newRow("subdomain") << u"a@mail.example.co.uk"_s << u"a@mail.example.co.uk"_s;
    QTest::newRow("idna domain") << u"user@bücher.example"_s << u"user@xn--bcher-kva.example"_s;
    QTest::newRow("korean domain") << u"kim@한국.example"_s << u"kim@xn--3e0b707e.example"_s;
    QTest::newRow("64-char local part")
            << QString(64, u'a') + u"@example.com"_s << QString(64, u'a') + u"@example.com"_s;
}

void TestEmailAddress::accepted()
{
    QFETCH(QString, input);
    QFETCH(QString, canonical);
    const auto result = canonicalizeEmail(input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value(), canonical);
    // Canonical form is a fixed point.
    QCOMPARE(canonicalizeEmail(canonical).value(), canonical);
}

void TestEmailAddress::rejected_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QString() << u"empty"_s;
    QTest::newRow("blank") << u"   "_s << u"empty"_s;
    QTest::newRow("no at") << u"ada.example.com"_s << u"exactly one @"_s;
    QTest::newRow("two ats") << u"ada@evil.com@example.com"_s << u"exactly one @"_s;
    QTest::newRow("fullwidth at") << u"ada\uFF20example.com"_s << u"look-alike"_s;
    QTest::newRow("small at") << u"ada\uFE6Bexample.com"_s << u"look-alike"_s;
    QTest::newRow("comma list") << u"ada@example.com,eve@evil.com"_s << u"character ,"_s;
    QTest::newRow("semicolon list") << u"ada@example.com;eve@evil.com"_s << u"character ;"_s;
    QTest::newRow("crlf header injection")
            << u"ada@example.com\r\nBcc: eve@evil.com"_s << u"control character"_s;
    QTest::newRow("lf") << u"ada@example.com\nx"_s << u"control character"_s;
    QTest::newRow("nul") << u"ada@example.com"_s + QChar(0) << u"control character"_s;
    QTest::newRow("zero width") << u"ad\u200Ba@example.com"_s << u"control character"_s;
    QTest::newRow("inner space") << u"ada lovelace@example.com"_s << u"space"_s;
    QTest::newRow("quoted local") << u"\"ada\"@example.com"_s << u"character \""_s;
    QTest::newRow("quoted with at") << u"\"eve@evil.com\"@example.com"_s << u"character \""_s;
    QTest::newRow("comment") << u"ada(comment)@example.com"_s << u"character ("_s;
    QTest::newRow("angle brackets") << u"Ada <ada@example.com>"_s << u"space"_s;
    QTest::newRow("angle no space") << u"<ada@example.com>"_s << u"character <"_s;
    QTest::newRow("domain literal") << u"ada@[127.0.0.1]"_s << u"character ["_s;
    QTest::newRow("backslash") << u"ad\\a@example.com"_s << u"character \\"_s;
    QTest::newRow("empty local") << u"@example.com"_s << u"before the @ is empty"_s;
    QTest::newRow("empty domain") << u"ada@"_s << u"domain after the @ is empty"_s;
    QTest::newRow("leading dot") << u".ada@example.com"_s << u"not allowed"_s;
    QTest::newRow("double dot") << u"a..da@example.com"_s << u"not allowed"_s;
    QTest::newRow("non-ascii local") << u"김@example.com"_s << u"not allowed"_s;
    QTest::newRow("65-char local") << QString(65, u'a') + u"@example.com"_s << u"64"_s;
    QTest::newRow("no dot in domain") << u"ada@localhost"_s << u"needs a dot"_s;
    QTest::newRow("underscore domain") << u"ada@ex_ample.com"_s << u"not valid"_s;
    QTest::newRow("hyphen label") << u"ada@-example.com"_s << u"not valid"_s;
    QTest::newRow("empty label") << u"ada@example..com"_s << u"not valid"_s;
    QTest::newRow("too long") << u"a@"_s + QString(250, u'b') + u".com"_s << u"not valid"_s;
    QTest::newRow("fullwidth letters") << u"\uFF41da@example.com"_s << u"look-alike"_s;
    QTest::newRow("mathematical letters") << u"\U0001D41Aada@example.com"_s << u"look-alike"_s;
    QTest::newRow("ligature") << u"\uFB01le@example.com"_s << u"look-alike"_s;
    QTest::newRow("encoded word") << u"=?utf-8?q?ada=40evil.example?=@example.com"_s << u"=?"_s;
    QTest::newRow("encoded word, upper case") << u"=?UTF-8?B?YWRh?=@example.com"_s << u"=?"_s;
    QTest::newRow("percent route") << u"ada%evil.example@example.com"_s << u"not allowed"_s;
    QTest::newRow("bang path") << u"evil.example!ada@example.com"_s << u"not allowed"_s;
    QTest::newRow("huge input") << QString(10000, u'a') << u"too long"_s;
}

void TestEmailAddress::rejected()
{
    QFETCH(QString, input);
    QFETCH(QString, reason);
    const auto result = canonicalizeEmail(input);
    QVERIFY2(!result.ok(), qPrintable(result.ok() ? result.value() : QString()));
    QCOMPARE(result.error().kind, ErrorKind::InvalidInput);
    QVERIFY2(result.error().message.contains(reason), qPrintable(result.error().message));
}

// EMAIL_FROM: "Name <address>" or an address alone.
void TestEmailAddress::namedAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::newRow("name and address")
            << u"Latchkey <no-reply@example.com>"_s << u"Latchkey"_s << u"no-reply@example.com"_s;
    QTest::newRow("spaces around") << u"  Ada  Lovelace   < ada@example.com >  "_s
                                   << u"Ada  Lovelace"_s << u"ada@example.com"_s;
    QTest::newRow("address alone") << u" ada@example.com "_s << QString() << u"ada@example.com"_s;
    QTest::newRow("brackets alone") << u"<ada@example.com>"_s << QString() << u"ada@example.com"_s;
    QTest::newRow("quoted name: not split")
            << u"\"Ada\" <ada@example.com>"_s << QString() << u"\"Ada\" <ada@example.com>"_s;
    QTest::newRow("two brackets: not split") << u"A <b@example.com> <c@example.com>"_s << QString()
                                             << u"A <b@example.com> <c@example.com>"_s;
    QTest::newRow("empty brackets: not split") << u"Ada <>"_s << QString() << u"Ada <>"_s;
}

void TestEmailAddress::namedAddress()
{
    QFETCH(QString, text);
    const NamedAddress split = splitNamedAddress(text);
    QTEST(split.name, "name");
    QTEST(split.address, "address");
}

QTEST_GUILESS_MAIN(TestEmailAddress)
#include "tst_emailaddress.moc"
