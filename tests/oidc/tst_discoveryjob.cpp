#include "oidc/discoveryjob.h"
#include "tst_josesupport.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::oidc;

namespace {

const QString kIssuer = QStringLiteral("https://issuer.example");
const QUrl kConfigUrl(QStringLiteral("https://issuer.example/.well-known/openid-configuration"));

QByteArray document(const QString &issuer)
{
    return QStringLiteral(R"({"issuer":"%1","authorization_endpoint":"%1/auth",
        "token_endpoint":"%1/token","jwks_uri":"%1/jwks","response_types_supported":["code"],
        "code_challenge_methods_supported":["S256"]})")
            .arg(issuer)
            .toUtf8();
}

/// Runs `job` to its end; returns the single result.
Result<ProviderMetadata> run(DiscoveryJob &job)
{
    std::optional<Result<ProviderMetadata>> out;
    int emissions = 0;
    QObject::connect(&job, &DiscoveryJob::finished, &job,
                     [&out, &emissions](const Result<ProviderMetadata> &result) {
                         ++emissions;
                         out = result;
                     });
    job.start();
    if (emissions != 0)
        return Error::make(ErrorKind::Protocol, QStringLiteral("finished synchronously"));
    static_cast<void>(QTest::qWaitFor([&out]() { return out.has_value(); }, 5000));
    QTest::qWait(10);
    if (!out || emissions != 1)
        return Error::make(ErrorKind::Protocol, QStringLiteral("not exactly one finished()"));
    return *out;
}

} // namespace

class TestDiscoveryJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void discoveryUrl_data();
    void discoveryUrl();
    void fetchesAndValidates();
    void reportsFailures_data();
    void reportsFailures();
    void rejectsHttpIssuerWithoutFetching();
    void cancelEmitsOnce();
    void timesOut();
};

void TestDiscoveryJob::discoveryUrl_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("url");
    QTest::newRow("plain") << kIssuer << kConfigUrl.toString();
    QTest::newRow("trailing slash not doubled") << QString(kIssuer + u'/') << kConfigUrl.toString();
    QTest::newRow("path issuer")
            << QStringLiteral("https://login.example/tenant/v2.0")
            << QStringLiteral("https://login.example/tenant/v2.0/.well-known/openid-configuration");
    QTest::newRow("loopback with port")
            << QStringLiteral("http://127.0.0.1:4000")
            << QStringLiteral("http://127.0.0.1:4000/.well-known/openid-configuration");
}

void TestDiscoveryJob::discoveryUrl()
{
    QFETCH(QString, issuer);
    QFETCH(QString, url);
    QCOMPARE(DiscoveryJob::discoveryUrl(issuer).toString(), url);
}

void TestDiscoveryJob::fetchesAndValidates()
{
    test::FakeFetcher fetcher;
    fetcher.serve(kConfigUrl, document(kIssuer));
    DiscoveryJob job(kIssuer, fetcher.fetcher());
    const auto result = run(job);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->jwksUri, QUrl(kIssuer + u"/jwks"));
    QCOMPARE(fetcher.count(kConfigUrl), 1);
}

void TestDiscoveryJob::reportsFailures_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("unreachable");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("unreachable") << 0 << QByteArray() << true << ErrorKind::Network
                                 << QStringLiteral("no such host");
    QTest::newRow("404") << 404 << QByteArray("{}") << false << ErrorKind::Protocol
                         << QStringLiteral("HTTP 404");
    QTest::newRow("500") << 500 << document(kIssuer) << false << ErrorKind::Protocol
                         << QStringLiteral("HTTP 500");
    QTest::newRow("not JSON") << 200 << QByteArray("<html></html>") << false << ErrorKind::Protocol
                              << QStringLiteral("not valid JSON");
    QTest::newRow("issuer mismatch")
            << 200 << document(QStringLiteral("https://evil.example")) << false << ErrorKind::Config
            << QStringLiteral("The provider at https://issuer.example says its issuer is "
                              "https://evil.example; check the issuer URL in the configuration.");
}

void TestDiscoveryJob::reportsFailures()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, unreachable);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, messagePart);
    test::FakeFetcher fetcher;
    if (!unreachable)
        fetcher.serve(kConfigUrl, body, status);
    DiscoveryJob job(kIssuer, fetcher.fetcher());
    const auto result = run(job);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, kind);
    QVERIFY2(result.error().message.contains(messagePart), qPrintable(result.error().message));
}

void TestDiscoveryJob::rejectsHttpIssuerWithoutFetching()
{
    test::FakeFetcher fetcher;
    const QString issuer = QStringLiteral("http://127.0.0.1:4000");
    DiscoveryJob job(issuer, fetcher.fetcher());
    const auto result = run(job);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Config);
    QCOMPARE(fetcher.total(), 0);

    fetcher.serve(DiscoveryJob::discoveryUrl(issuer), document(issuer));
    DiscoveryJob allowed(issuer, fetcher.fetcher());
    allowed.setOptions(MetadataOptions{true, {}});
    QVERIFY(run(allowed).ok());
}

void TestDiscoveryJob::cancelEmitsOnce()
{
    test::FakeFetcher fetcher;
    fetcher.serve(kConfigUrl, document(kIssuer));
    DiscoveryJob job(kIssuer, fetcher.fetcher());
    QList<ErrorKind> kinds;
    connect(&job, &DiscoveryJob::finished, this, [&kinds](const Result<ProviderMetadata> &result) {
        kinds.append(result.ok() ? ErrorKind::NotFound : result.error().kind);
    });
    job.start();
    job.cancel();
    job.cancel();
    QTest::qWait(30); // the fake answer would arrive now; it must be dropped
    QCOMPARE(kinds, QList<ErrorKind>{ErrorKind::Cancelled});
    QCOMPARE(fetcher.count(kConfigUrl), 1);
}

void TestDiscoveryJob::timesOut()
{
    test::FakeFetcher fetcher;
    fetcher.setSilent(true);
    DiscoveryJob job(kIssuer, fetcher.fetcher());
    job.setTimeout(std::chrono::milliseconds(50));
    const auto result = run(job);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Timeout);
}

QTEST_GUILESS_MAIN(TestDiscoveryJob)
#include "tst_discoveryjob.moc"
