#include "oidc/tokenerror.h"
#include "oidc/tokenresponse.h"

#include <QTest>

using namespace latchkey;
using namespace latchkey::oidc;

Q_DECLARE_METATYPE(latchkey::ErrorKind)

namespace {
const QDateTime kNow(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
}

class TestTokenResponse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSuccess();
    void withoutOptionalMembers();
    void rejects_data();
    void rejects();
    void formEncoded();
};

void TestTokenResponse::parsesSuccess()
{
    const QByteArray body = R"({"access_token":"at-1","token_type":"bearer","expires_in":3600,
        "refresh_token":"rt-1","id_token":"a.b.c","scope":"openid email"})";
    const Result<TokenResponse> response = TokenResponse::parse(200, body, kNow);
    QVERIFY(response.ok());
    QCOMPARE(response->accessToken, QStringLiteral("at-1"));
    QCOMPARE(response->tokenType, QStringLiteral("Bearer"));
    QCOMPARE(response->expiresAt, kNow.addSecs(3600));
    QCOMPARE(response->refreshToken, QStringLiteral("rt-1"));
    QCOMPARE(response->idToken, QStringLiteral("a.b.c"));
    QCOMPARE(response->scope, QStringLiteral("openid email"));
    QVERIFY(!response->isExpired(kNow.addSecs(3599)));
    QVERIFY(response->isExpired(kNow.addSecs(3600)));
}

void TestTokenResponse::withoutOptionalMembers()
{
    const Result<TokenResponse> response =
            TokenResponse::parse(200, R"({"access_token":"at","token_type":"Bearer"})", kNow);
    QVERIFY(response.ok());
    QVERIFY(!response->expiresAt.isValid());
    QVERIFY(!response->isExpired(kNow.addYears(1)));
    QVERIFY(response->refreshToken.isEmpty());
    QVERIFY(response->idToken.isEmpty());
}

void TestTokenResponse::rejects_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("invalidGrant");

    const auto protocol = ErrorKind::Protocol;
    QTest::newRow("missing access_token")
            << 200 << QByteArray(R"({"token_type":"Bearer"})") << protocol
            << QStringLiteral("missing_access_token") << false;
    QTest::newRow("empty access_token")
            << 200 << QByteArray(R"({"access_token":"","token_type":"Bearer"})") << protocol
            << QStringLiteral("missing_access_token") << false;
    QTest::newRow("numeric access_token")
            << 200 << QByteArray(R"({"access_token":12,"token_type":"Bearer"})") << protocol
            << QStringLiteral("missing_access_token") << false;
    QTest::newRow("wrong token_type")
            << 200 << QByteArray(R"({"access_token":"at","token_type":"mac"})") << protocol
            << QStringLiteral("unsupported_token_type") << false;
    QTest::newRow("missing token_type") << 200 << QByteArray(R"({"access_token":"at"})") << protocol
                                        << QStringLiteral("unsupported_token_type") << false;
    QTest::newRow("duplicate access_token")
            << 200 << QByteArray(R"({"access_token":"a","token_type":"Bearer","access_token":"b"})")
            << protocol << QStringLiteral("duplicate_member") << false;
    QTest::newRow("duplicate id_token")
            << 200
            << QByteArray(
                       R"({"access_token":"a","token_type":"Bearer","id_token":"x","id_token":"y"})")
            << protocol << QStringLiteral("duplicate_member") << false;
    QTest::newRow("non-JSON") << 200 << QByteArray("<html>hello</html>") << protocol
                              << QStringLiteral("invalid_json") << false;
    QTest::newRow("JSON array") << 200 << QByteArray(R"(["access_token"])") << protocol
                                << QStringLiteral("invalid_json") << false;
    QTest::newRow("trailing garbage")
            << 200 << QByteArray(R"({"access_token":"a","token_type":"Bearer"} x)") << protocol
            << QStringLiteral("invalid_json") << false;
    QTest::newRow("negative expires_in")
            << 200 << QByteArray(R"({"access_token":"a","token_type":"Bearer","expires_in":-5})")
            << protocol << QStringLiteral("invalid_expires_in") << false;
    QTest::newRow("string expires_in")
            << 200
            << QByteArray(R"({"access_token":"a","token_type":"Bearer","expires_in":"3600"})")
            << protocol << QStringLiteral("invalid_expires_in") << false;
    QTest::newRow("numeric refresh_token")
            << 200 << QByteArray(R"({"access_token":"a","token_type":"Bearer","refresh_token":5})")
            << protocol << QStringLiteral("invalid_member") << false;
    QTest::newRow("400 invalid_grant")
            << 400
            << QByteArray(
                       R"({"error":"invalid_grant","error_description":"grant request is invalid"})")
            << ErrorKind::OAuthToken << QStringLiteral("invalid_grant") << true;
    QTest::newRow("401 invalid_client")
            << 401 << QByteArray(R"({"error":"invalid_client"})") << ErrorKind::OAuthToken
            << QStringLiteral("invalid_client") << false;
    QTest::newRow("400 invalid_request")
            << 400 << QByteArray(R"({"error":"invalid_request"})") << ErrorKind::OAuthToken
            << QStringLiteral("invalid_request") << false;
    QTest::newRow("400 non-JSON") << 400 << QByteArray("Bad Request") << protocol
                                  << QStringLiteral("400") << false;
    QTest::newRow("400 duplicate error member")
            << 400 << QByteArray(R"({"error":"invalid_grant","error":"invalid_request"})")
            << protocol << QStringLiteral("400") << false;
    QTest::newRow("400 error not a string")
            << 400 << QByteArray(R"({"error":1})") << protocol << QStringLiteral("400") << false;
    QTest::newRow("200 with error body")
            << 200 << QByteArray(R"({"error":"invalid_grant"})") << protocol
            << QStringLiteral("missing_access_token") << false;
    QTest::newRow("503") << 503 << QByteArray("down") << ErrorKind::Network << QStringLiteral("503")
                         << false;
    QTest::newRow("302 redirect") << 302 << QByteArray() << protocol << QStringLiteral("302")
                                  << false;
}

void TestTokenResponse::rejects()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, code);
    QFETCH(bool, invalidGrant);

    const Result<TokenResponse> response = TokenResponse::parse(status, body, kNow);
    QVERIFY(!response.ok());
    QCOMPARE(response.error().kind, kind);
    QCOMPARE(response.error().reason, code);
    QCOMPARE(isInvalidGrant(response.error()), invalidGrant);
    QVERIFY(!response.error().message.isEmpty());
}

void TestTokenResponse::formEncoded()
{
    // Some plain OAuth 2.0 providers answer application/x-www-form-urlencoded.
    const QByteArray type = "application/x-www-form-urlencoded; charset=utf-8";
    auto response = TokenResponse::parse(
            200, type, "access_token=at%2B1&token_type=bearer&expires_in=60&scope=read+email",
            kNow);
    QVERIFY2(response.ok(), response.ok() ? "" : qPrintable(response.error().message));
    QCOMPARE(response->accessToken, QStringLiteral("at+1"));
    QCOMPARE(response->expiresAt, kNow.addSecs(60));
    QCOMPARE(response->scope, QStringLiteral("read email"));
    // The same rules as JSON: a repeated member, a bad expires_in, an error answer.
    response = TokenResponse::parse(200, type, "access_token=a&access_token=b&token_type=bearer",
                                    kNow);
    QVERIFY(!response.ok());
    QCOMPARE(response.error().reason, QStringLiteral("duplicate_member"));
    response = TokenResponse::parse(200, type, "access_token=a&token_type=bearer&expires_in=soon",
                                    kNow);
    QVERIFY(!response.ok());
    QCOMPARE(response.error().reason, QStringLiteral("invalid_expires_in"));
    response = TokenResponse::parse(400, type, "error=invalid_grant", kNow);
    QVERIFY(!response.ok());
    QVERIFY(isInvalidGrant(response.error()));
    // JSON stays JSON whatever the type says.
    response = TokenResponse::parse(200, "application/json",
                                    R"({"access_token":"at","token_type":"Bearer"})", kNow);
    QVERIFY(response.ok());
}

QTEST_GUILESS_MAIN(TestTokenResponse)
#include "tst_tokenresponse.moc"
