#include "fakeclock.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenrefreshcoordinator.h"
#include "tst_flow_httpserver.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace latchkey;
using namespace latchkey::oidc;
using latchkey::test::CannedHttpServer;

namespace {
struct Delivery
{
    QString accessToken;
    QString refreshToken;
    std::optional<Error> error;
    bool persistedBefore = false;
};

struct PersistLog
{
    QStringList refreshTokens;
    bool done = false;
    Status answer;
};
} // namespace

class TestTokenRefreshCoordinator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void concurrentCallersShareOneRequest();
    void keepsOldRefreshTokenWhenNotRotated();
    void invalidGrantIsNotRetried();
    void persistFailureWithholdsTokens();
    void deadContextIsSkipped();

private:
    RefreshParameters parameters(const QString &account = QStringLiteral("acct")) const;
    TokenRefreshCoordinator::PersistFunction persistInto(std::shared_ptr<PersistLog> log);
    void ask(TokenRefreshCoordinator &coordinator, QObject *context, QList<Delivery> &out,
             std::shared_ptr<PersistLog> log);

    std::unique_ptr<CannedHttpServer> m_server;
    QNetworkAccessManager m_manager;
    latchkey::test::FakeClock m_clock;
};

void TestTokenRefreshCoordinator::init()
{
    m_server = std::make_unique<CannedHttpServer>();
    QVERIFY(m_server->listen());
}

RefreshParameters TestTokenRefreshCoordinator::parameters(const QString &account) const
{
    return {account,
            m_server->url(QStringLiteral("/token")),
            QStringLiteral("rt-old"),
            QString(),
            {QStringLiteral("cid"), QString(), ClientAuthMethod::None}};
}

TokenRefreshCoordinator::PersistFunction
TestTokenRefreshCoordinator::persistInto(std::shared_ptr<PersistLog> log)
{
    // Persists asynchronously, like the keychain: done() arrives 100 ms later.
    return [this, log](const QString &, const TokenResponse &tokens,
                       TokenRefreshCoordinator::PersistDone done) {
        log->refreshTokens << tokens.refreshToken;
        QTimer::singleShot(100, this, [log, done]() {
            log->done = true;
            done(log->answer);
        });
    };
}

void TestTokenRefreshCoordinator::ask(TokenRefreshCoordinator &coordinator, QObject *context,
                                      QList<Delivery> &out, std::shared_ptr<PersistLog> log)
{
    coordinator.refresh(parameters(), context, [&out, log](const Result<TokenResponse> &result) {
        Delivery delivery;
        delivery.persistedBefore = log->done;
        if (result.ok()) {
            delivery.accessToken = result->accessToken;
            delivery.refreshToken = result->refreshToken;
        } else {
            delivery.error = result.error();
        }
        out.append(delivery);
    });
}

void TestTokenRefreshCoordinator::concurrentCallersShareOneRequest()
{
    CannedHttpServer::Reply reply;
    reply.delayMs = 100;
    reply.body = R"({"access_token":"at-new","token_type":"Bearer","expires_in":3600,
                     "refresh_token":"rt-new"})";
    m_server->enqueue(reply);
    m_server->enqueue(200, R"({"access_token":"at-later","token_type":"Bearer"})");

    auto log = std::make_shared<PersistLog>();
    TokenRefreshCoordinator coordinator(m_manager, m_clock, persistInto(log));
    QList<Delivery> deliveries;
    ask(coordinator, this, deliveries, log);
    ask(coordinator, this, deliveries, log);
    QVERIFY(coordinator.isRefreshing(QStringLiteral("acct")));
    QCOMPARE(deliveries.size(), 0);

    QTRY_COMPARE(deliveries.size(), 2);
    QCOMPARE(m_server->requests().size(), 1); // ONE request for both callers
    QCOMPARE(log->refreshTokens, QStringList{QStringLiteral("rt-new")});
    for (const Delivery &delivery : deliveries) {
        QVERIFY(!delivery.error);
        QCOMPARE(delivery.accessToken, QStringLiteral("at-new"));
        QVERIFY2(delivery.persistedBefore, "a caller saw the access token before persist finished");
    }
    QVERIFY(!coordinator.isRefreshing(QStringLiteral("acct")));

    // Once finished, the next refresh is a new request.
    ask(coordinator, this, deliveries, log);
    QTRY_COMPARE(deliveries.size(), 3);
    QCOMPARE(m_server->requests().size(), 2);
    QCOMPARE(deliveries.last().accessToken, QStringLiteral("at-later"));
}

void TestTokenRefreshCoordinator::keepsOldRefreshTokenWhenNotRotated()
{
    m_server->enqueue(200, R"({"access_token":"at-new","token_type":"Bearer"})");
    auto log = std::make_shared<PersistLog>();
    TokenRefreshCoordinator coordinator(m_manager, m_clock, persistInto(log));
    QList<Delivery> deliveries;
    ask(coordinator, this, deliveries, log);
    QTRY_COMPARE(deliveries.size(), 1);
    QCOMPARE(log->refreshTokens, QStringList{QStringLiteral("rt-old")}); // RFC 6749 §6
    QCOMPARE(deliveries.first().refreshToken, QStringLiteral("rt-old"));
}

void TestTokenRefreshCoordinator::invalidGrantIsNotRetried()
{
    m_server->enqueue(400, R"({"error":"invalid_grant"})");
    m_server->enqueue(200, R"({"access_token":"must-not-be-used","token_type":"Bearer"})");
    auto log = std::make_shared<PersistLog>();
    TokenRefreshCoordinator coordinator(m_manager, m_clock, persistInto(log));
    QSignalSpy revoked(&coordinator, &TokenRefreshCoordinator::grantRevoked);
    QList<Delivery> deliveries;
    ask(coordinator, this, deliveries, log);
    ask(coordinator, this, deliveries, log);
    QTRY_COMPARE(deliveries.size(), 2);
    for (const Delivery &delivery : deliveries) {
        QVERIFY(delivery.error);
        QVERIFY(isInvalidGrant(*delivery.error));
    }
    QCOMPARE(revoked.size(), 1);
    QCOMPARE(revoked.first().first().toString(), QStringLiteral("acct"));
    QTest::qWait(200);
    QCOMPARE(m_server->requests().size(), 1); // no retry
    QVERIFY(log->refreshTokens.isEmpty()); // nothing persisted
}

void TestTokenRefreshCoordinator::persistFailureWithholdsTokens()
{
    m_server->enqueue(
            200, R"({"access_token":"at-new","token_type":"Bearer","refresh_token":"rt-new"})");
    auto log = std::make_shared<PersistLog>();
    log->answer = Error::make(ErrorKind::Keychain, QStringLiteral("The keychain is locked."));
    TokenRefreshCoordinator coordinator(m_manager, m_clock, persistInto(log));
    QList<Delivery> deliveries;
    ask(coordinator, this, deliveries, log);
    QTRY_COMPARE(deliveries.size(), 1);
    QVERIFY(deliveries.first().error);
    QCOMPARE(deliveries.first().error->kind, ErrorKind::Keychain);
    QVERIFY(deliveries.first().accessToken.isEmpty());
}

void TestTokenRefreshCoordinator::deadContextIsSkipped()
{
    m_server->enqueue(200, R"({"access_token":"at-new","token_type":"Bearer"})");
    auto log = std::make_shared<PersistLog>();
    TokenRefreshCoordinator coordinator(m_manager, m_clock, persistInto(log));
    QList<Delivery> deliveries;
    auto *gone = new QObject;
    ask(coordinator, gone, deliveries, log);
    ask(coordinator, this, deliveries, log);
    delete gone;
    QTRY_COMPARE(deliveries.size(), 1);
    QTest::qWait(100);
    QCOMPARE(deliveries.size(), 1);
    QCOMPARE(m_server->requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestTokenRefreshCoordinator)
#include "tst_tokenrefreshcoordinator.moc"
