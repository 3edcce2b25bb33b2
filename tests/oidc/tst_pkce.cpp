#include "oidc/pkce.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <openssl/sha.h>

using namespace latchkey::oidc;

class TestPkce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc7636AppendixBVector();
    void generatedPairsComply();
    void methodIsAlwaysS256();
};

void TestPkce::rfc7636AppendixBVector()
{
    // RFC 7636 Appendix B.
    QCOMPARE(Pkce::challengeFor(QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
             QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
}

void TestPkce::generatedPairsComply()
{
    static const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9\\-._~]{43}$"));
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i) {
        const Pkce pkce = Pkce::generate();
        QCOMPARE(pkce.verifier.size(), 43); // RFC 7636 §4.1: 32 octets → 43 characters
        QVERIFY2(unreserved.match(pkce.verifier).hasMatch(), qPrintable(pkce.verifier));
        // Recompute S256 independently with OpenSSL (RFC 7636 §4.2).
        const QByteArray ascii = pkce.verifier.toLatin1();
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char *>(ascii.constData()),
               static_cast<size_t>(ascii.size()), digest);
        const QByteArray expected =
                QByteArray(reinterpret_cast<const char *>(digest), SHA256_DIGEST_LENGTH)
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(pkce.challenge, QString::fromLatin1(expected));
        QCOMPARE(pkce.challenge.size(), 43);
        QVERIFY2(!seen.contains(pkce.verifier), "a verifier repeated");
        seen.insert(pkce.verifier);
        QVERIFY(pkce.verifier != pkce.challenge);
    }
}

void TestPkce::methodIsAlwaysS256() { QCOMPARE(Pkce::method(), QStringLiteral("S256")); }

QTEST_GUILESS_MAIN(TestPkce)
#include "tst_pkce.moc"
