// QrCode: the QR code of a device sign-in's address (libqrencode), and its terminal drawing.
#include "qrcode.h"

#include <QTest>

using latchkey::QrCode;
using namespace Qt::StringLiterals;

namespace {

const QString kAddress = u"https://idp.example/device?user_code=BCDF-GHJK"_s;

/// True when a 7×7 finder pattern (ISO/IEC 18004 §6.3.3) starts at (x, y): dark ring, light
/// ring, dark 3×3 centre.
bool finderAt(const QrCode &code, int x0, int y0)
{
    for (int y = 0; y < 7; ++y) {
        for (int x = 0; x < 7; ++x) {
            const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
            const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            if (code.dark(x0 + x, y0 + y) != (ring || centre))
                return false;
        }
    }
    return true;
}

} // namespace

class TestQrCode : public QObject
{
    Q_OBJECT

private slots:
    void encodesAnAddress();
    void emptyOrTooLongGivesNoCode();
    void drawsHalfBlocksWithAQuietZone();
};

void TestQrCode::encodesAnAddress()
{
    const QrCode code = QrCode::encode(kAddress);
    QVERIFY(!code.isEmpty());
    QVERIFY(code.size() >= 21 && code.size() % 4 == 1); // versions 1..40: 21 + 4(v-1) modules
    QVERIFY(finderAt(code, 0, 0));
    QVERIFY(finderAt(code, code.size() - 7, 0));
    QVERIFY(finderAt(code, 0, code.size() - 7));
    QVERIFY(!finderAt(code, code.size() - 7, code.size() - 7)); // no fourth corner
    QVERIFY(!code.dark(-1, 0) && !code.dark(code.size(), 0)); // outside is light
    // Timing pattern (row 6 between the finders) alternates dark and light.
    for (int x = 8; x < code.size() - 8; ++x)
        QCOMPARE(code.dark(x, 6), x % 2 == 0);

    const QrCode other = QrCode::encode(u"https://idp.example/device?user_code=XXXX-YYYY"_s);
    bool differs = other.size() != code.size();
    for (int y = 0; !differs && y < code.size(); ++y)
        for (int x = 0; !differs && x < code.size(); ++x)
            differs = code.dark(x, y) != other.dark(x, y);
    QVERIFY(differs);
}

void TestQrCode::emptyOrTooLongGivesNoCode()
{
    QVERIFY(QrCode::encode(QString()).isEmpty());
    QVERIFY(QrCode::encode(QString(4000, u'x')).isEmpty()); // more than version 40 holds
    QVERIFY(QrCode().toHalfBlocks().isEmpty());
}

void TestQrCode::drawsHalfBlocksWithAQuietZone()
{
    const QrCode code = QrCode::encode(kAddress);
    const int quiet = 4;
    const int side = code.size() + 2 * quiet;
    const QList<QString> lines = code.toHalfBlocks(quiet);
    QCOMPARE(lines.size(), (side + 1) / 2); // two module rows per line
    for (const QString &line : lines) {
        QCOMPARE(line.size(), side);
        for (QChar c : line)
            QVERIFY(QStringView(u"█▀▄ ").contains(c));
    }
    // The quiet zone (light, so drawn) above and left of the code.
    QCOMPARE(lines.at(0), QString(side, u'█'));
    QCOMPARE(lines.at(1), QString(side, u'█'));
    QCOMPARE(lines.at(2).left(quiet), QString(quiet, u'█'));
    // Every character is the two modules it stands for (drawn = light).
    for (int line = 0; line < lines.size(); ++line) {
        for (int column = 0; column < side; ++column) {
            const int x = column - quiet;
            const int y = 2 * line - quiet;
            const bool top = !code.dark(x, y);
            const bool bottom = y + 1 < code.size() + quiet && !code.dark(x, y + 1);
            const QChar expected = top && bottom ? u'█' : top ? u'▀' : bottom ? u'▄' : u' ';
            QCOMPARE(lines.at(line).at(column), expected);
        }
    }
    QCOMPARE(lines.at(2).at(quiet), u' '); // the finder's dark corner, rows 0 and 1
}

QTEST_GUILESS_MAIN(TestQrCode)
#include "tst_qrcode.moc"
