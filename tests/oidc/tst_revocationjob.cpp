#include "oidc/revocationjob.h"
#include "tst_flow_httpserver.h"

#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;

Q_DECLARE_METATYPE(latchkey::ErrorKind)

using Form = QList<QPair<QString, QString>>;

class TestRevocationJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void revokes_data();
    void revokes();
    void timesOut();

private:
    QNetworkAccessManager m_manager;
};

void TestRevocationJob::revokes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("code");

    QTest::newRow("200") << 200 << QByteArray() << QStringLiteral("refresh_token") << true
                         << ErrorKind::Protocol << QString();
    QTest::newRow("200 without hint")
            << 200 << QByteArray() << QString() << true << ErrorKind::Protocol << QString();
    QTest::newRow("400 unsupported_token_type")
            << 400 << QByteArray(R"({"error":"unsupported_token_type"})")
            << QStringLiteral("access_token") << false << ErrorKind::OAuthToken
            << QStringLiteral("unsupported_token_type");
    QTest::newRow("401 invalid_client")
            << 401 << QByteArray(R"({"error":"invalid_client"})") << QStringLiteral("refresh_token")
            << false << ErrorKind::OAuthToken << QStringLiteral("invalid_client");
    QTest::newRow("503") << 503 << QByteArray() << QStringLiteral("refresh_token") << false
                         << ErrorKind::Network << QStringLiteral("503");
}

void TestRevocationJob::revokes()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, hint);
    QFETCH(bool, ok);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, code);

    CannedHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(status, body);
    RevocationJob job(m_manager, server.url(QStringLiteral("/token/revocation")),
                      QStringLiteral("rt-1"), hint,
                      {QStringLiteral("latchkey-desktop"), QStringLiteral("desktop-not-secret"),
                       ClientAuthMethod::ClientSecretPost});
    int emissions = 0;
    std::optional<Status> result;
    connect(&job, &RevocationJob::finished, this, [&](const Status &s) {
        ++emissions;
        result = s;
    });
    job.start();
    QTRY_COMPARE(emissions, 1);
    QCOMPARE(result->ok(), ok);
    if (!ok) {
        QCOMPARE(result->error().kind, kind);
        QCOMPARE(result->error().reason, code);
    }
    // RFC 7009 §2.1: token, token_type_hint, then client authentication as at the token endpoint.
    Form expected{{QStringLiteral("token"), QStringLiteral("rt-1")}};
    if (!hint.isEmpty())
        expected.append({QStringLiteral("token_type_hint"), hint});
    expected.append({QStringLiteral("client_id"), QStringLiteral("latchkey-desktop")});
    expected.append({QStringLiteral("client_secret"), QStringLiteral("desktop-not-secret")});
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().form(), expected);
    QCOMPARE(server.requests().first().target, QByteArray("/token/revocation"));
}

void TestRevocationJob::timesOut()
{
    CannedHttpServer server;
    QVERIFY(server.listen());
    CannedHttpServer::Reply hang;
    hang.hang = true;
    server.enqueue(hang);
    RevocationJob job(m_manager, server.url(QStringLiteral("/revoke")), QStringLiteral("rt"),
                      QString(), {QStringLiteral("cid"), QString(), ClientAuthMethod::None});
    job.setTimeout(200);
    std::optional<Status> result;
    connect(&job, &RevocationJob::finished, this, [&](const Status &s) { result = s; });
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 3000);
    QCOMPARE(result->error().kind, ErrorKind::Timeout);
}

QTEST_GUILESS_MAIN(TestRevocationJob)
#include "tst_revocationjob.moc"
