#include "oidc/userinfojob.h"
#include "tst_flow_httpserver.h"

#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;

Q_DECLARE_METATYPE(latchkey::ErrorKind)

class TestUserInfoJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fetches();
    void rejects_data();
    void rejects();

private:
    Result<UserInfo> run(CannedHttpServer &server, const QString &expectedSub);
    QNetworkAccessManager m_manager;
};

Result<UserInfo> TestUserInfoJob::run(CannedHttpServer &server, const QString &expectedSub)
{
    UserInfoJob job(m_manager, server.url(QStringLiteral("/me")), QStringLiteral("access-1"),
                    expectedSub);
    std::optional<Result<UserInfo>> result;
    int emissions = 0;
    connect(&job, &UserInfoJob::finished, this, [&](const Result<UserInfo> &r) {
        ++emissions;
        result = r;
    });
    job.start();
    if (!QTest::qWaitFor([&]() { return emissions > 0; }, 5000))
        return Error::make(ErrorKind::Timeout, QStringLiteral("test timed out"));
    return *result;
}

void TestUserInfoJob::fetches()
{
    CannedHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(200, R"({"sub":"alice","email":"alice@example.com","email_verified":true,
        "name":"Alice","picture":"https://example.com/a.png"})");
    const Result<UserInfo> info = run(server, QStringLiteral("alice"));
    QVERIFY2(info.ok(), info.ok() ? "" : qPrintable(info.error().message));
    QCOMPARE(info->subject, QStringLiteral("alice"));
    QCOMPARE(info->email, QStringLiteral("alice@example.com"));
    QVERIFY(info->emailVerified);
    QCOMPARE(info->name, QStringLiteral("Alice"));
    QCOMPARE(info->picture, QUrl(QStringLiteral("https://example.com/a.png")));
    const auto &request = server.requests().first();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, QByteArray("/me")); // the token is never in the URL
    QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer access-1"));
}

void TestUserInfoJob::rejects_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("code");

    const QByteArray json = "application/json";
    QTest::newRow("sub mismatch") << 200 << json << QByteArray(R"({"sub":"mallory"})")
                                  << ErrorKind::Protocol << QStringLiteral("sub_mismatch");
    QTest::newRow("sub missing") << 200 << json << QByteArray(R"({"email":"a@example.com"})")
                                 << ErrorKind::Protocol << QStringLiteral("sub_mismatch");
    QTest::newRow("sub numeric") << 200 << json << QByteArray(R"({"sub":1})") << ErrorKind::Protocol
                                 << QStringLiteral("sub_mismatch");
    QTest::newRow("duplicate sub")
            << 200 << json << QByteArray(R"({"sub":"mallory","sub":"alice"})")
            << ErrorKind::Protocol << QStringLiteral("duplicate_member");
    QTest::newRow("signed userinfo")
            << 200 << QByteArray("application/jwt") << QByteArray("a.b.c") << ErrorKind::Protocol
            << QStringLiteral("unsupported_userinfo");
    QTest::newRow("401") << 401 << json << QByteArray("{}") << ErrorKind::OAuthToken
                         << QStringLiteral("invalid_token");
    QTest::newRow("500") << 500 << json << QByteArray("{}") << ErrorKind::Network
                         << QStringLiteral("500");
}

void TestUserInfoJob::rejects()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, code);

    CannedHttpServer server;
    QVERIFY(server.listen());
    CannedHttpServer::Reply reply;
    reply.status = status;
    reply.contentType = contentType;
    reply.body = body;
    server.enqueue(reply);
    const Result<UserInfo> info = run(server, QStringLiteral("alice"));
    QVERIFY(!info.ok());
    QCOMPARE(info.error().kind, kind);
    QCOMPARE(info.error().reason, code);
}

QTEST_GUILESS_MAIN(TestUserInfoJob)
#include "tst_userinfojob.moc"
