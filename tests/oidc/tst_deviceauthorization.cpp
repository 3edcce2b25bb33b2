// DeviceAuthorization::parse (RFC 8628 §3.2) and DeviceAuthorizationJob against a canned endpoint.
#include "fakeclock.h"
#include "oidc/deviceauthorizationjob.h"
#include "tst_flow_httpserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;

namespace {

QJsonObject goodResponse()
{
    return QJsonObject{
            {QStringLiteral("device_code"), QStringLiteral("dc-secret-1")},
            {QStringLiteral("user_code"), QStringLiteral("WDJB-MJHT")},
            {QStringLiteral("verification_uri"), QStringLiteral("https://idp.example/device")},
            {QStringLiteral("verification_uri_complete"),
             QStringLiteral("https://idp.example/device?user_code=WDJB-MJHT")},
            {QStringLiteral("expires_in"), 600},
            {QStringLiteral("interval"), 7},
    };
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray with(const QString &name, const QJsonValue &value)
{
    QJsonObject object = goodResponse();
    if (value.isUndefined())
        object.remove(name);
    else
        object[name] = value;
    return json(object);
}

MetadataOptions loopbackAllowed(bool allowed)
{
    MetadataOptions options;
    options.allowLoopbackHttp = allowed;
    return options;
}

} // namespace

class TestDeviceAuthorization : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesAResponse();
    void intervalDefaultsToFiveSeconds();
    void capsTheWait();
    void acceptsGooglesVerificationUrl();
    void loopbackHttpOnlyWhenAllowed();
    void rejectsBadResponses_data();
    void rejectsBadResponses();
    void jobSendsClientAndScope();

private:
    test::FakeClock m_clock;
};

void TestDeviceAuthorization::parsesAResponse()
{
    auto parsed = DeviceAuthorization::parse(200, json(goodResponse()), m_clock.now(), {});
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed->deviceCode, QStringLiteral("dc-secret-1"));
    QCOMPARE(parsed->userCode, QStringLiteral("WDJB-MJHT"));
    QCOMPARE(parsed->verificationUri, QUrl(QStringLiteral("https://idp.example/device")));
    QCOMPARE(parsed->verificationUriComplete,
             QUrl(QStringLiteral("https://idp.example/device?user_code=WDJB-MJHT")));
    QCOMPARE(parsed->expiresAt, m_clock.now().addSecs(600));
    QCOMPARE(parsed->intervalSecs, 7);
}

void TestDeviceAuthorization::intervalDefaultsToFiveSeconds()
{
    auto parsed = DeviceAuthorization::parse(
            200, with(QStringLiteral("interval"), QJsonValue::Undefined), m_clock.now(), {});
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->intervalSecs, 5);
    auto noComplete = DeviceAuthorization::parse(
            200, with(QStringLiteral("verification_uri_complete"), QJsonValue::Undefined),
            m_clock.now(), {});
    QVERIFY(noComplete.ok());
    QVERIFY(noComplete->verificationUriComplete.isEmpty());
}

void TestDeviceAuthorization::capsTheWait()
{
    auto parsed = DeviceAuthorization::parse(200, with(QStringLiteral("expires_in"), 86400),
                                             m_clock.now(), {});
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->expiresAt, m_clock.now().addSecs(DeviceAuthorization::kMaxLifetimeSecs));
}

void TestDeviceAuthorization::acceptsGooglesVerificationUrl()
{
    QJsonObject google = goodResponse();
    google.remove(QStringLiteral("verification_uri"));
    google.remove(QStringLiteral("verification_uri_complete"));
    google[QStringLiteral("verification_url")] = QStringLiteral("https://www.google.com/device");
    auto parsed = DeviceAuthorization::parse(200, json(google), m_clock.now(), {});
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->verificationUri, QUrl(QStringLiteral("https://www.google.com/device")));
}

void TestDeviceAuthorization::loopbackHttpOnlyWhenAllowed()
{
    const QByteArray body =
            with(QStringLiteral("verification_uri"), QStringLiteral("http://127.0.0.1:9/device"));
    QVERIFY(!DeviceAuthorization::parse(200, body, m_clock.now(), loopbackAllowed(false)).ok());
    QVERIFY(DeviceAuthorization::parse(200, body, m_clock.now(), loopbackAllowed(true)).ok());
    const QByteArray named =
            with(QStringLiteral("verification_uri"), QStringLiteral("http://localhost:9/device"));
    QVERIFY(!DeviceAuthorization::parse(200, named, m_clock.now(), loopbackAllowed(true)).ok());
}

void TestDeviceAuthorization::rejectsBadResponses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("reason");

    const auto protocol = ErrorKind::Protocol;
    const QString dc = QStringLiteral("device_code");
    const QString uc = QStringLiteral("user_code");
    const QString vu = QStringLiteral("verification_uri");
    const QString vc = QStringLiteral("verification_uri_complete");
    const QString ei = QStringLiteral("expires_in");
    const QString iv = QStringLiteral("interval");
    QTest::newRow("no device_code")
            << 200 << with(dc, QJsonValue::Undefined) << protocol << "invalid_device_code";
    QTest::newRow("empty device_code")
            << 200 << with(dc, QString()) << protocol << "invalid_device_code";
    QTest::newRow("numeric device_code")
            << 200 << with(dc, 42) << protocol << "invalid_device_code";
    QTest::newRow("huge device_code")
            << 200 << with(dc, QString(3000, u'a')) << protocol << "invalid_device_code";
    QTest::newRow("no user_code") << 200 << with(uc, QJsonValue::Undefined) << protocol
                                  << "invalid_user_code";
    QTest::newRow("user_code with a newline")
            << 200 << with(uc, QStringLiteral("AB\nCD")) << protocol << "invalid_user_code";
    QTest::newRow("user_code with bidi override")
            << 200 << with(uc, QStringLiteral("AB\u202ECD")) << protocol << "invalid_user_code";
    QTest::newRow("user_code too long")
            << 200 << with(uc, QString(65, u'A')) << protocol << "invalid_user_code";
    QTest::newRow("no verification_uri")
            << 200 << with(vu, QJsonValue::Undefined) << protocol << "invalid_verification_uri";
    QTest::newRow("http verification_uri")
            << 200 << with(vu, QStringLiteral("http://idp.example/device")) << protocol
            << "invalid_verification_uri";
    QTest::newRow("javascript verification_uri")
            << 200 << with(vu, QStringLiteral("javascript:alert(1)")) << protocol
            << "invalid_verification_uri";
    QTest::newRow("relative verification_uri")
            << 200 << with(vu, QStringLiteral("/device")) << protocol << "invalid_verification_uri";
    QTest::newRow("verification_uri with user info")
            << 200 << with(vu, QStringLiteral("https://idp.example@evil.example/device"))
            << protocol << "invalid_verification_uri";
    QTest::newRow("http verification_uri_complete")
            << 200 << with(vc, QStringLiteral("http://idp.example/device?user_code=1")) << protocol
            << "invalid_verification_uri_complete";
    QTest::newRow("no expires_in")
            << 200 << with(ei, QJsonValue::Undefined) << protocol << "invalid_expires_in";
    QTest::newRow("zero expires_in") << 200 << with(ei, 0) << protocol << "invalid_expires_in";
    QTest::newRow("fractional expires_in")
            << 200 << with(ei, 1.5) << protocol << "invalid_expires_in";
    QTest::newRow("string expires_in")
            << 200 << with(ei, QStringLiteral("600")) << protocol << "invalid_expires_in";
    QTest::newRow("zero interval") << 200 << with(iv, 0) << protocol << "invalid_interval";
    QTest::newRow("negative interval") << 200 << with(iv, -5) << protocol << "invalid_interval";
    QTest::newRow("duplicate member")
            << 200
            << QByteArray(R"({"device_code":"a","device_code":"b","user_code":"X",)"
                          R"("verification_uri":"https://idp.example/d","expires_in":600})")
            << protocol << "duplicate_member";
    QTest::newRow("not JSON") << 200 << QByteArray("<html>") << protocol << "invalid_json";
    QTest::newRow("oversized body") << 200 << with(QStringLiteral("padding"), QString(20000, u'x'))
                                    << protocol << "invalid_body";
    QTest::newRow("unauthorized_client") << 400 << QByteArray(R"({"error":"unauthorized_client"})")
                                         << ErrorKind::OAuthToken << "unauthorized_client";
    QTest::newRow("server error") << 503 << QByteArray() << ErrorKind::Network << "503";
}

void TestDeviceAuthorization::rejectsBadResponses()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, reason);
    auto parsed = DeviceAuthorization::parse(status, body, m_clock.now(), {});
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, kind);
    QCOMPARE(parsed.error().reason, reason);
    QVERIFY(!parsed.error().message.contains(u"dc-secret-1")); // the device code is never told
}

void TestDeviceAuthorization::jobSendsClientAndScope()
{
    CannedHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(200, json(goodResponse()));
    QNetworkAccessManager manager;
    DeviceAuthorizationJob job(manager, server.url(QStringLiteral("/device/auth")),
                               {QStringLiteral("openid"), QStringLiteral("email")},
                               {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock,
                               {});
    std::optional<Result<DeviceAuthorization>> result;
    connect(&job, &DeviceAuthorizationJob::finished, this,
            [&result](const Result<DeviceAuthorization> &r) { result = r; });
    job.start();
    QVERIFY(!result); // never synchronous
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->value().userCode, QStringLiteral("WDJB-MJHT"));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().method, QByteArray("POST"));
    const QList<QPair<QString, QString>> expected{
            {QStringLiteral("client_id"), QStringLiteral("cid")},
            {QStringLiteral("scope"), QStringLiteral("openid email")}};
    QCOMPARE(server.requests().first().form(), expected);
}

QTEST_GUILESS_MAIN(TestDeviceAuthorization)
#include "tst_deviceauthorization.moc"
