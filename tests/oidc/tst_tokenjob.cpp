#include "fakeclock.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenjob.h"
#include "tst_flow_httpserver.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTest>

#include <optional>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;

Q_DECLARE_METATYPE(latchkey::oidc::ClientAuthMethod)

using Form = QList<QPair<QString, QString>>;

namespace {
const QByteArray kTokens = R"({"access_token":"at-1","token_type":"Bearer","expires_in":60,
    "refresh_token":"rt-2","id_token":"h.p.s"})";

// Runs `job` to completion, counting finished() emissions.
struct Outcome
{
    int emissions = 0;
    std::optional<Result<TokenResponse>> result;
};

std::shared_ptr<Outcome> watch(TokenJob &job)
{
    auto outcome = std::make_shared<Outcome>();
    QObject::connect(&job, &TokenJob::finished, &job,
                     [outcome](const Result<TokenResponse> &result) {
                         ++outcome->emissions;
                         outcome->result = result;
                     });
    return outcome;
}
} // namespace

class TestTokenJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void exchangesCode_data();
    void exchangesCode();
    void invalidGrantIsDistinct();
    void timesOut();
    void cancelFinishesOnce();
    void invalidRequestFinishesLater();
    void unreachable();

private:
    std::unique_ptr<CannedHttpServer> m_server;
    QNetworkAccessManager m_manager;
    latchkey::test::FakeClock m_clock;
};

void TestTokenJob::init()
{
    m_server = std::make_unique<CannedHttpServer>();
    QVERIFY(m_server->listen());
}

void TestTokenJob::exchangesCode_data()
{
    QTest::addColumn<ClientAuthMethod>("method");
    QTest::addColumn<Form>("clientFields");
    QTest::addColumn<QByteArray>("authorization");

    QTest::newRow("none") << ClientAuthMethod::None
                          << Form{{QStringLiteral("client_id"), QStringLiteral("latchkey-public")}}
                          << QByteArray();
    QTest::newRow("client_secret_post")
            << ClientAuthMethod::ClientSecretPost
            << Form{{QStringLiteral("client_id"), QStringLiteral("latchkey-public")},
                    {QStringLiteral("client_secret"), QStringLiteral("desktop not+secret")}}
            << QByteArray();
    QTest::newRow("client_secret_basic")
            << ClientAuthMethod::ClientSecretBasic << Form{}
            << QByteArray("Basic ") + QByteArray("latchkey-public:desktop+not%2Bsecret").toBase64();
}

void TestTokenJob::exchangesCode()
{
    QFETCH(ClientAuthMethod, method);
    QFETCH(Form, clientFields);
    QFETCH(QByteArray, authorization);

    m_server->enqueue(200, kTokens);
    const QUrl redirect(QStringLiteral("http://127.0.0.1:4711/callback/test"));
    TokenJob job(m_manager,
                 TokenRequest::authorizationCode(m_server->url(QStringLiteral("/token")),
                                                 QStringLiteral("4/0A&b=c+d"), redirect,
                                                 QStringLiteral("verifier-1")),
                 {QStringLiteral("latchkey-public"), QStringLiteral("desktop not+secret"), method},
                 m_clock);
    auto outcome = watch(job);
    job.start();
    QCOMPARE(outcome->emissions, 0); // never synchronous
    QTRY_COMPARE(outcome->emissions, 1);

    QVERIFY(outcome->result->ok());
    const TokenResponse &tokens = outcome->result->value();
    QCOMPARE(tokens.accessToken, QStringLiteral("at-1"));
    QCOMPARE(tokens.refreshToken, QStringLiteral("rt-2"));
    QCOMPARE(tokens.idToken, QStringLiteral("h.p.s"));
    QCOMPARE(tokens.expiresAt, m_clock.now().addSecs(60));

    QCOMPARE(m_server->requests().size(), 1);
    const auto &request = m_server->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.target, QByteArray("/token"));
    QCOMPARE(request.headers.value("content-type"),
             QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(request.headers.value("authorization"), authorization);
    const Form expected = Form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                               {QStringLiteral("code"), QStringLiteral("4/0A&b=c+d")},
                               {QStringLiteral("redirect_uri"), redirect.toString()},
                               {QStringLiteral("code_verifier"), QStringLiteral("verifier-1")}} +
            clientFields;
    QCOMPARE(request.form(), expected);
}

void TestTokenJob::invalidGrantIsDistinct()
{
    m_server->enqueue(
            400, R"({"error":"invalid_grant","error_description":"grant request is invalid"})");
    TokenJob job(
            m_manager,
            TokenRequest::refresh(m_server->url(QStringLiteral("/token")), QStringLiteral("old")),
            {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock);
    auto outcome = watch(job);
    job.start();
    QTRY_COMPARE(outcome->emissions, 1);
    QVERIFY(!outcome->result->ok());
    QVERIFY(isInvalidGrant(outcome->result->error()));
    QCOMPARE(outcome->result->error().kind, ErrorKind::OAuthToken);
    QCOMPARE(m_server->requests().first().form(),
             (Form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                   {QStringLiteral("refresh_token"), QStringLiteral("old")},
                   {QStringLiteral("client_id"), QStringLiteral("cid")}}));
}

void TestTokenJob::timesOut()
{
    CannedHttpServer::Reply hang;
    hang.hang = true;
    m_server->enqueue(hang);
    TokenJob job(
            m_manager,
            TokenRequest::refresh(m_server->url(QStringLiteral("/token")), QStringLiteral("rt")),
            {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock);
    job.setTimeout(300);
    auto outcome = watch(job);
    QElapsedTimer elapsed;
    elapsed.start();
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(outcome->emissions, 1, 5000);
    QVERIFY(elapsed.elapsed() < 3000);
    QCOMPARE(outcome->result->error().kind, ErrorKind::Timeout);
    QTest::qWait(400);
    QCOMPARE(outcome->emissions, 1);
}

void TestTokenJob::cancelFinishesOnce()
{
    CannedHttpServer::Reply slow;
    slow.delayMs = 200;
    slow.body = kTokens;
    m_server->enqueue(slow);
    TokenJob job(
            m_manager,
            TokenRequest::refresh(m_server->url(QStringLiteral("/token")), QStringLiteral("rt")),
            {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock);
    auto outcome = watch(job);
    job.start();
    QTRY_COMPARE(m_server->requests().size(), 1);
    job.cancel();
    QCOMPARE(outcome->emissions, 1);
    QCOMPARE(outcome->result->error().kind, ErrorKind::Cancelled);
    job.cancel();
    QTest::qWait(500); // the late 200 must not produce a second finished()
    QCOMPARE(outcome->emissions, 1);
    QVERIFY(!job.isRunning());
}

void TestTokenJob::invalidRequestFinishesLater()
{
    TokenJob job(m_manager,
                 TokenRequest::refresh(m_server->url(QStringLiteral("/token")), QString()),
                 {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock);
    auto outcome = watch(job);
    job.start();
    QCOMPARE(outcome->emissions, 0);
    QTRY_COMPARE(outcome->emissions, 1);
    QCOMPARE(outcome->result->error().kind, ErrorKind::InvalidInput);
    QCOMPARE(m_server->requests().size(), 0);
}

void TestTokenJob::unreachable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    TokenJob job(m_manager,
                 TokenRequest::refresh(QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(port)),
                                       QStringLiteral("rt")),
                 {QStringLiteral("cid"), QString(), ClientAuthMethod::None}, m_clock);
    auto outcome = watch(job);
    job.start();
    QTRY_COMPARE(outcome->emissions, 1);
    QCOMPARE(outcome->result->error().kind, ErrorKind::Network);
}

QTEST_GUILESS_MAIN(TestTokenJob)
#include "tst_tokenjob.moc"
