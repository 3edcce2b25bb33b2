// DeviceTokenPoller (RFC 8628 §3.4–3.5) against a canned token endpoint, with intervals shortened
// by setIntervalUnit() and a fake clock for the code's own expiry.
#include "fakeclock.h"
#include "oidc/devicetokenpoller.h"
#include "tst_flow_httpserver.h"

#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;
using namespace std::chrono_literals;

namespace {

const QByteArray kTokens = R"({"access_token":"at-1","token_type":"Bearer","id_token":"h.p.s"})";
const QByteArray kPending = R"({"error":"authorization_pending"})";
const QByteArray kSlowDown = R"({"error":"slow_down"})";

struct Outcome
{
    int emissions = 0;
    std::optional<Result<TokenResponse>> result;
};

} // namespace

class TestDeviceTokenPoller : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void pollsUntilApproved();
    void slowDownAddsFiveSeconds();
    void endsOnAnswer_data();
    void endsOnAnswer();
    void networkFailureIsRetried();
    void localExpiryStopsPolling();
    void cancelSendsNoFurtherRequest();
    void cancelAbandonsRequestInFlight();

private:
    std::unique_ptr<DeviceTokenPoller> poller(int intervalSecs, std::chrono::milliseconds unit);
    std::unique_ptr<CannedHttpServer> m_server;
    QNetworkAccessManager m_manager;
    test::FakeClock m_clock;
    std::shared_ptr<Outcome> m_outcome;
};

void TestDeviceTokenPoller::init()
{
    m_server = std::make_unique<CannedHttpServer>();
    QVERIFY(m_server->listen());
    m_clock = test::FakeClock();
    m_outcome = std::make_shared<Outcome>();
}

std::unique_ptr<DeviceTokenPoller> TestDeviceTokenPoller::poller(int intervalSecs,
                                                                 std::chrono::milliseconds unit)
{
    DeviceAuthorization authorization;
    authorization.deviceCode = QStringLiteral("dc-1");
    authorization.userCode = QStringLiteral("ABCD-EFGH");
    authorization.verificationUri = QUrl(QStringLiteral("https://idp.example/device"));
    authorization.expiresAt = m_clock.now().addSecs(600);
    authorization.intervalSecs = intervalSecs;
    auto out = std::make_unique<DeviceTokenPoller>(
            m_manager, m_server->url(QStringLiteral("/token")), authorization,
            ClientAuthentication{QStringLiteral("cid"), QString(), ClientAuthMethod::None},
            m_clock);
    out->setIntervalUnit(unit);
    connect(out.get(), &DeviceTokenPoller::finished, this,
            [outcome = m_outcome](const Result<TokenResponse> &result) {
                ++outcome->emissions;
                outcome->result = result;
            });
    return out;
}

void TestDeviceTokenPoller::pollsUntilApproved()
{
    m_server->enqueue(400, kPending);
    m_server->enqueue(400, kPending);
    m_server->enqueue(200, kTokens);
    auto p = poller(1, 10ms);
    p->start();
    QTRY_COMPARE(m_outcome->emissions, 1);
    QVERIFY(m_outcome->result->ok());
    QCOMPARE(m_outcome->result->value().accessToken, QStringLiteral("at-1"));
    QCOMPARE(m_server->requests().size(), 3);
    const QList<QPair<QString, QString>> expected{
            {QStringLiteral("grant_type"),
             QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")},
            {QStringLiteral("device_code"), QStringLiteral("dc-1")},
            {QStringLiteral("client_id"), QStringLiteral("cid")}};
    for (const auto &request : m_server->requests())
        QCOMPARE(request.form(), expected);
    QTest::qWait(50);
    QCOMPARE(m_server->requests().size(), 3);
    QCOMPARE(m_outcome->emissions, 1);
}

void TestDeviceTokenPoller::slowDownAddsFiveSeconds()
{
    // One "second" is 40 ms: the interval of 1 s is 40 ms, after slow_down 6 s is 240 ms.
    m_server->enqueue(400, kPending);
    m_server->enqueue(400, kSlowDown);
    m_server->enqueue(400, kPending);
    m_server->enqueue(200, kTokens);
    auto p = poller(1, 40ms);
    p->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_outcome->emissions, 1, 5000);
    QVERIFY(m_outcome->result->ok());
    QCOMPARE(p->intervalSecs(), 6);
    const auto &requests = m_server->requests();
    QCOMPARE(requests.size(), 4);
    const qint64 before = requests[1].receivedAtMs - requests[0].receivedAtMs;
    const qint64 after1 = requests[2].receivedAtMs - requests[1].receivedAtMs;
    const qint64 after2 = requests[3].receivedAtMs - requests[2].receivedAtMs;
    QVERIFY2(before < 200, qPrintable(QString::number(before)));
    QVERIFY2(after1 >= 230, qPrintable(QString::number(after1))); // and for every later poll
    QVERIFY2(after2 >= 230, qPrintable(QString::number(after2)));
}

void TestDeviceTokenPoller::endsOnAnswer_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorCode>("code");

    QTest::newRow("access_denied")
            << 400 << QByteArray(R"({"error":"access_denied"})") << ErrorKind::OAuthAuthorization
            << ErrorCode::DeviceAccessDenied;
    QTest::newRow("expired_token") << 400 << QByteArray(R"({"error":"expired_token"})")
                                   << ErrorKind::Timeout << ErrorCode::DeviceCodeExpired;
    QTest::newRow("invalid_client") << 401 << QByteArray(R"({"error":"invalid_client"})")
                                    << ErrorKind::OAuthToken << ErrorCode::TokenRequestRefused;
    QTest::newRow("garbage 200") << 200 << QByteArray("{}") << ErrorKind::Protocol
                                 << ErrorCode::ProviderMisbehaved;
}

void TestDeviceTokenPoller::endsOnAnswer()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorCode, code);
    m_server->enqueue(400, kPending);
    m_server->enqueue(status, body);
    auto p = poller(1, 10ms);
    p->start();
    QTRY_COMPARE(m_outcome->emissions, 1);
    QVERIFY(!m_outcome->result->ok());
    QCOMPARE(m_outcome->result->error().kind, kind);
    QCOMPARE(m_outcome->result->error().code, code);
    QTest::qWait(60); // six intervals: nothing more is asked
    QCOMPARE(m_server->requests().size(), 2);
}

void TestDeviceTokenPoller::networkFailureIsRetried()
{
    m_server->enqueue(503, "busy");
    m_server->enqueue(429, "{}");
    m_server->enqueue(400, kPending);
    m_server->enqueue(200, kTokens);
    auto p = poller(1, 10ms);
    p->start();
    QTRY_COMPARE(m_outcome->emissions, 1);
    QVERIFY(m_outcome->result->ok());
    QCOMPARE(m_server->requests().size(), 4);
}

void TestDeviceTokenPoller::localExpiryStopsPolling()
{
    m_server->enqueue(400, kPending);
    m_server->enqueue(200, kTokens); // never asked for: the code expired first
    auto p = poller(1, 300ms); // room to move the clock between the polls
    p->start();
    QTRY_COMPARE(m_server->requests().size(), 1);
    m_clock.advance(601);
    QTRY_COMPARE(m_outcome->emissions, 1);
    QVERIFY(!m_outcome->result->ok());
    QCOMPARE(m_outcome->result->error().code, ErrorCode::DeviceCodeExpired);
    QCOMPARE(m_server->requests().size(), 1);
}

void TestDeviceTokenPoller::cancelSendsNoFurtherRequest()
{
    for (int i = 0; i < 10; ++i)
        m_server->enqueue(400, kPending);
    auto p = poller(1, 100ms);
    p->start();
    QTRY_VERIFY(m_server->requests().size() >= 2);
    p->cancel();
    QCOMPARE(m_outcome->emissions, 1); // at once
    QCOMPARE(m_outcome->result->error().code, ErrorCode::Cancelled);
    const qsizetype sent = m_server->requests().size();
    QTest::qWait(500); // five intervals
    QCOMPARE(m_server->requests().size(), sent);
    QCOMPARE(m_outcome->emissions, 1);
}

void TestDeviceTokenPoller::cancelAbandonsRequestInFlight()
{
    CannedHttpServer::Reply slow;
    slow.status = 200;
    slow.body = kTokens;
    slow.delayMs = 100;
    m_server->enqueue(slow);
    auto p = poller(1, 5ms);
    p->start();
    QTRY_COMPARE(m_server->requests().size(), 1);
    p->cancel();
    QCOMPARE(m_outcome->emissions, 1);
    QTest::qWait(200); // the late answer changes nothing
    QCOMPARE(m_outcome->emissions, 1);
    QCOMPARE(m_outcome->result->error().code, ErrorCode::Cancelled);
    QCOMPARE(m_server->requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestDeviceTokenPoller)
#include "tst_devicetokenpoller.moc"
