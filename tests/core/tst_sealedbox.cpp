// sealedbox: AES-256-GCM for the revocation queue (docs/security.md). What a caller relies on:
// a box opens only with its key and context, and any change to it is refused.
#include "core/random.h"
#include "core/sealedbox.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

class TestSealedBox : public QObject
{
    Q_OBJECT

private slots:
    void opensWithTheSameKeyAndContext();
    void refusesAnyChange();
};

void TestSealedBox::opensWithTheSameKeyAndContext()
{
    const QByteArray key = random::bytes(sealedbox::kKeyBytes);
    const auto box = sealedbox::seal(key, "refresh-token-value", "acme");
    QVERIFY(box.ok());
    QVERIFY(!box->contains("refresh-token-value"));
    QCOMPARE(box->size(), 12 + 19 + 16); // nonce, ciphertext, tag
    QCOMPARE(sealedbox::open(key, box.value(), "acme").valueOr({}),
             QByteArray("refresh-token-value"));
    // A fresh nonce each time: the same token never looks the same twice.
    QVERIFY(sealedbox::seal(key, "refresh-token-value", "acme").valueOr({}) != box.value());
}

void TestSealedBox::refusesAnyChange()
{
    const QByteArray key = random::bytes(sealedbox::kKeyBytes);
    const QByteArray box = sealedbox::seal(key, "token", "acme").valueOr({});
    QVERIFY(!sealedbox::open(key, box, "other").ok()); // moved to another context
    QVERIFY(!sealedbox::open(random::bytes(sealedbox::kKeyBytes), box, "acme").ok());
    for (qsizetype i = 0; i < box.size(); ++i) {
        QByteArray altered = box;
        altered[i] = char(altered[i] ^ 0x01);
        QVERIFY2(!sealedbox::open(key, altered, "acme").ok(), qPrintable(u"byte %1"_s.arg(i)));
    }
    QVERIFY(!sealedbox::open(key, box.left(27), "acme").ok());
    QCOMPARE(sealedbox::open(key, box, "other").error().kind, ErrorKind::InvalidInput);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestSealedBox)
#include "tst_sealedbox.moc"
