#include "oidc/pendingauthorization.h"
#include "oidc/pkce.h"

#include <QSet>
#include <QTest>

#include <bit>

using namespace latchkey::oidc;

namespace {
const QDateTime kStart(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);

PendingAuthorization makeFlow()
{
    return PendingAuthorization::create(
            QStringLiteral("google"), QStringLiteral("https://accounts.google.com"),
            QStringLiteral("client-1"),
            QUrl(QStringLiteral("http://127.0.0.1:4711/callback/google")), kStart);
}
} // namespace

class TestPendingAuthorization : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindsTheFlow();
    void stateAndNonceAreFreshAndStrong();
    void expiry_data();
    void expiry();
};

void TestPendingAuthorization::bindsTheFlow()
{
    const PendingAuthorization flow = makeFlow();
    QCOMPARE(flow.providerId, QStringLiteral("google"));
    QCOMPARE(flow.issuer, QStringLiteral("https://accounts.google.com"));
    QCOMPARE(flow.clientId, QStringLiteral("client-1"));
    QCOMPARE(flow.redirectPath, QStringLiteral("/callback/google"));
    QCOMPARE(flow.startedAt, kStart);
    QCOMPARE(flow.codeVerifier.size(), 43);
    QCOMPARE(flow.codeChallenge(), Pkce::challengeFor(flow.codeVerifier));
}

void TestPendingAuthorization::stateAndNonceAreFreshAndStrong()
{
    QSet<QString> values;
    qint64 ones = 0;
    qint64 bits = 0;
    constexpr int kRuns = 1000;
    for (int i = 0; i < kRuns; ++i) {
        const PendingAuthorization flow = makeFlow();
        for (const QString &value : {flow.state, flow.nonce, flow.codeVerifier}) {
            const QByteArray raw = QByteArray::fromBase64(value.toLatin1(),
                                                          QByteArray::Base64UrlEncoding |
                                                                  QByteArray::OmitTrailingEquals);
            QVERIFY2(raw.size() >= 16, "fewer than 128 bits"); // docs/security.md: ≥128 bits
            for (const char byte : raw)
                ones += std::popcount(static_cast<unsigned char>(byte));
            bits += raw.size() * 8;
            QVERIFY2(!values.contains(value), "a state, nonce or verifier repeated");
            values.insert(value);
        }
    }
    QCOMPARE(values.size(), 3 * kRuns);
    // Crude bias check over ~770,000 bits: a CSPRNG lands within 1% of half.
    const double ratio = static_cast<double>(ones) / static_cast<double>(bits);
    QVERIFY2(ratio > 0.49 && ratio < 0.51, qPrintable(QString::number(ratio)));
}

void TestPendingAuthorization::expiry_data()
{
    QTest::addColumn<qint64>("elapsedSeconds");
    QTest::addColumn<bool>("expired");
    QTest::newRow("just started") << qint64(0) << false;
    QTest::newRow("9:59") << qint64(599) << false;
    QTest::newRow("10:00") << qint64(600) << true;
    QTest::newRow("an hour") << qint64(3600) << true;
}

void TestPendingAuthorization::expiry()
{
    QFETCH(qint64, elapsedSeconds);
    QFETCH(bool, expired);
    QCOMPARE(makeFlow().isExpired(kStart.addSecs(elapsedSeconds)), expired);
}

QTEST_GUILESS_MAIN(TestPendingAuthorization)
#include "tst_pendingauthorization.moc"
