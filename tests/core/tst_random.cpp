#include "core/random.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace latchkey;

class TestRandom : public QObject
{
    Q_OBJECT

private slots:
    void bytesHaveRequestedLength();
    void base64UrlIsUnpaddedUrlSafe();
    void digitsAreUniform();
    void valuesDoNotRepeat();
};

void TestRandom::bytesHaveRequestedLength()
{
    for (int n : {0, 1, 3, 4, 5, 16, 32, 33})
        QCOMPARE(random::bytes(n).size(), n);
}

void TestRandom::base64UrlIsUnpaddedUrlSafe()
{
    static const QRegularExpression alphabet(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
    for (int i = 0; i < 200; ++i)
        QVERIFY(alphabet.match(random::base64Url(32)).hasMatch());
}

void TestRandom::digitsAreUniform()
{
    int counts[10] = {};
    const int draws = 20000;
    for (int i = 0; i < draws / 4; ++i) {
        const QString code = random::digits(4);
        QCOMPARE(code.size(), 4);
        for (QChar c : code) {
            QVERIFY(c.isDigit());
            ++counts[c.digitValue()];
        }
    }
    // Each digit should appear about 2000 times; a modulo bias or a stuck digit would show.
    for (int count : counts)
        QVERIFY2(count > 1700 && count < 2300, qPrintable(QString::number(count)));
}

void TestRandom::valuesDoNotRepeat()
{
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i)
        seen.insert(random::base64Url(16));
    QCOMPARE(seen.size(), 1000);
}

QTEST_GUILESS_MAIN(TestRandom)
#include "tst_random.moc"
