// ProviderTokens with FakeSecretStore, FakeClock, a real SQLite file and a canned token and
// revocation endpoint on 127.0.0.1 (the discovery document is served by an injected fetcher).

#include "auth/providertokens.h"

#include "../email/emailtest.h"
#include "../oidc/tst_flow_httpserver.h"
#include "../oidc/tst_josesupport.h"
#include "fakeclock.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "oidc/discoverycache.h"
#include "oidc/jwkscache.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenresponse.h"
#include "storage/accountrepository.h"
#include "storage/devicerepository.h"
#include "storage/revocationrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

#include <QLockFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 10000;

/// What one caller of freshAccessToken() got, and what was stored at that moment.
struct Delivery
{
    std::optional<AccessToken> token;
    std::optional<Error> error;
    QByteArray storedRefresh;
    QByteArray storedAccess;
    QDateTime storedExpiry;
};

/// A port nothing listens on right now.
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QByteArray tokenJson(const QString &access, const QString &refresh, int expiresIn = 3600,
                     const QByteArray &idToken = {})
{
    QByteArray json = "{\"access_token\":\"" + access.toUtf8() +
            "\",\"token_type\":\"Bearer\",\"expires_in\":" + QByteArray::number(expiresIn);
    if (!refresh.isEmpty())
        json += ",\"refresh_token\":\"" + refresh.toUtf8() + '"';
    if (!idToken.isEmpty())
        json += ",\"id_token\":\"" + idToken + '"';
    return json + '}';
}

QString formValue(const CannedHttpServer::Request &request, const QString &name)
{
    for (const auto &[key, value] : request.form()) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

class TestProviderTokens : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void storeWritesTokensAndExpiry_data();
    void storeWritesTokensAndExpiry();
    void storedTokenIsUsedWithoutRequest_data();
    void storedTokenIsUsedWithoutRequest();
    void nearExpiryRefreshesOnceForConcurrentCallers();
    void expiredWithoutRefreshTokenIsAnError();
    void invalidGrantErasesTokensAndSignalsOnce();
    void providerDownKeepsTokens_data();
    void providerDownKeepsTokens();
    void forgetErasesBeforeRevoking_data();
    void forgetErasesBeforeRevoking();
    void forgetDuringRefreshStoresNothing();
    void accountWithoutProviderIsRefused();
    void refreshedIdTokenMustNameTheSameUser_data();
    void refreshedIdTokenMustNameTheSameUser();
    void refreshNowAsksEvenWhenTheTokenIsFresh();
    void leftoversOfACrashAreForgottenAtStart();
    void leftoversWaitWhileAnotherProcessSignsIn();
    void leftoversThatCannotBeErasedAreTriedAgain();
    void revocationOutOfReachWaitsSealedAndIsTriedAgain();
    void queuedRevocationThatNoLongerOpensIsDropped();

private:
    Account addAccount(const QString &provider, Account::Type type, const QDateTime &expiresAt);
    void seedTokens(const QString &access, const QString &refresh);
    void recreateTokens();
    /// The provider-token entries in the keychain (the revocation key is not one).
    qsizetype tokenEntries() const;
    QList<PendingRevocation> queued();
    QString key(secretkeys::TokenPurpose purpose) const;
    QDateTime storedExpiry();
    Account storedAccount();
    void ask(qint64 leewaySecs, QList<Delivery> &out);
    Result<AccessToken> fresh(qint64 leewaySecs = ProviderTokens::kDefaultLeewaySecs);
    QList<CannedHttpServer::Request> requestsTo(const QString &path) const;

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<CannedHttpServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<oidc::DiscoveryCache> m_discovery;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<ProviderTokens> m_tokens;
    Config m_config;
    QString m_issuer;
    QUrl m_tokenEndpoint;
    QUrl m_revocationEndpoint; // empty: the provider does not offer RFC 7009
    bool m_discoveryDown = false;
    Account m_account;
    TestKey m_signingKey; // the provider's ID-token key, published at its jwks_uri
    FakeFetcher m_jwksFetcher;
    std::unique_ptr<oidc::JwksCache> m_jwks;
};

void TestProviderTokens::init()
{
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_clock = std::make_unique<FakeClock>();
    m_server = std::make_unique<CannedHttpServer>();
    QVERIFY(m_server->listen());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_issuer = m_server->url(QString()).toString();
    m_tokenEndpoint = m_server->url(u"/token"_s);
    m_revocationEndpoint = m_server->url(u"/revoke"_s);
    m_discoveryDown = false;
    // The discovery document as the fetcher finds it at the time of the fetch.
    m_discovery = std::make_unique<oidc::DiscoveryCache>(
            [this](const QUrl &, QObject *context, oidc::HttpCallback callback) {
                Result<oidc::HttpResponse> answer =
                        Error::make(ErrorKind::Network, u"Connection refused (fake discovery)."_s);
                if (!m_discoveryDown) {
                    QString document = uR"({"issuer":"%1","authorization_endpoint":"%1/auth",
                        "token_endpoint":"%2","jwks_uri":"%1/jwks")"_s.arg(
                            m_issuer, m_tokenEndpoint.toString());
                    if (!m_revocationEndpoint.isEmpty())
                        document += uR"(,"revocation_endpoint":"%1")"_s.arg(
                                m_revocationEndpoint.toString());
                    answer =
                            oidc::HttpResponse{200, "application/json", (document + u'}').toUtf8()};
                }
                QTimer::singleShot(0, context, [callback, answer]() { callback(answer); });
            },
            *m_clock);

    OidcProviderConfig acme;
    acme.id = u"acme"_s;
    acme.label = u"Acme"_s;
    acme.issuer = QUrl(m_issuer);
    acme.clientId = u"cid"_s;
    acme.scopes = {u"openid"_s, u"offline_access"_s};
    m_config = Config{};
    m_config.providers = {acme};
    m_config.allowHttpLoopbackIssuer = true;

    m_keychain = std::make_unique<FakeSecretStore>();
    if (m_signingKey.isNull())
        m_signingKey = TestKey::rsa(u"k1"_s);
    m_jwksFetcher = FakeFetcher();
    m_jwksFetcher.serve(QUrl(m_issuer + u"/jwks"_s), jwksDocument({m_signingKey.publicJwk()}));
    recreateTokens();
    m_account = addAccount(u"acme"_s, Account::Type::Oidc, m_clock->now().addSecs(3600));
    QVERIFY(m_account.id > 0);
}

void TestProviderTokens::cleanup()
{
    m_tokens.reset();
    m_jwks.reset();
    m_keychain.reset();
    m_discovery.reset();
    m_network.reset();
    m_server.reset();
    m_db.reset();
}

Account TestProviderTokens::addAccount(const QString &provider, Account::Type type,
                                       const QDateTime &expiresAt)
{
    static int counter = 0;
    User user;
    user.email = u"user%1@example.com"_s.arg(++counter);
    const Result<User> created = UserRepository(*m_db).create(user, m_clock->now());
    if (!created)
        return {};
    Account account;
    account.userId = created->id;
    account.type = type;
    account.provider = provider;
    account.providerAccountId = u"sub-%1"_s.arg(counter);
    account.issuer = type == Account::Type::Oidc ? m_issuer : QString();
    account.scope = u"openid offline_access"_s;
    account.expiresAt = expiresAt;
    return AccountRepository(*m_db).create(account, m_clock->now()).valueOr({});
}

QString TestProviderTokens::key(secretkeys::TokenPurpose purpose) const
{
    return secretkeys::providerToken(u"acme"_s, QString::number(m_account.id), purpose);
}

void TestProviderTokens::seedTokens(const QString &access, const QString &refresh)
{
    if (!access.isEmpty())
        m_keychain->seed(key(secretkeys::TokenPurpose::Access), access.toUtf8());
    if (!refresh.isEmpty())
        m_keychain->seed(key(secretkeys::TokenPurpose::Refresh), refresh.toUtf8());
}

void TestProviderTokens::recreateTokens()
{
    m_tokens.reset(); // as when the program ends and starts again
    m_tokens = std::make_unique<ProviderTokens>(
            ProviderTokensDeps{m_config, *m_db, *m_keychain, *m_network, *m_discovery, *m_clock,
                               [this](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
                                   if (!m_jwks)
                                       m_jwks = std::make_unique<oidc::JwksCache>(
                                               metadata.jwksUri, m_jwksFetcher.fetcher(), *m_clock);
                                   return *m_jwks;
                               }});
}

qsizetype TestProviderTokens::tokenEntries() const
{
    const QStringList keys = m_keychain->keys();
    return std::count_if(keys.cbegin(), keys.cend(),
                         [](const QString &key) { return key.startsWith(u"tok/"_s); });
}

QList<PendingRevocation> TestProviderTokens::queued()
{
    return RevocationRepository(*m_db).all().valueOr({});
}

Account TestProviderTokens::storedAccount()
{
    return AccountRepository(*m_db)
            .findByProviderAccount(m_account.provider, m_account.providerAccountId)
            .valueOr({});
}

QDateTime TestProviderTokens::storedExpiry() { return storedAccount().expiresAt; }

void TestProviderTokens::ask(qint64 leewaySecs, QList<Delivery> &out)
{
    const qsizetype before = out.size();
    m_tokens->freshAccessToken(
            m_account, leewaySecs, this, [this, &out](const Result<AccessToken> &result) {
                Delivery delivery;
                if (result)
                    delivery.token = result.value();
                else
                    delivery.error = result.error();
                delivery.storedRefresh = m_keychain->value(key(secretkeys::TokenPurpose::Refresh));
                delivery.storedAccess = m_keychain->value(key(secretkeys::TokenPurpose::Access));
                delivery.storedExpiry = storedExpiry();
                out.append(delivery);
            });
    QVERIFY2(out.size() == before, "freshAccessToken() answered synchronously");
}

Result<AccessToken> TestProviderTokens::fresh(qint64 leewaySecs)
{
    QList<Delivery> out;
    ask(leewaySecs, out);
    if (!QTest::qWaitFor([&out]() { return !out.isEmpty(); }, kWaitMs))
        return Error::make(ErrorKind::Timeout, u"no answer"_s);
    if (out.first().error)
        return *out.first().error;
    return *out.first().token;
}

QList<CannedHttpServer::Request> TestProviderTokens::requestsTo(const QString &path) const
{
    QList<CannedHttpServer::Request> out;
    for (const auto &request : m_server->requests()) {
        if (request.target == path.toUtf8())
            out.append(request);
    }
    return out;
}

void TestProviderTokens::storeWritesTokensAndExpiry_data()
{
    QTest::addColumn<QString>("earlierRefresh");
    QTest::addColumn<QString>("refresh"); // empty: the response carried none
    QTest::addColumn<int>("expiresIn"); // -1: the provider did not say
    QTest::addColumn<QString>("storedRefresh");
    QTest::newRow("access, refresh, expiry") << QString() << u"rt-1"_s << 3600 << u"rt-1"_s;
    QTest::newRow("rotated over an earlier one") << u"rt-0"_s << u"rt-1"_s << 600 << u"rt-1"_s;
    QTest::newRow("no refresh token keeps the earlier one (RFC 6749 §6)")
            << u"rt-0"_s << QString() << 3600 << u"rt-0"_s;
    QTest::newRow("expiry unknown is NULL") << QString() << u"rt-1"_s << -1 << u"rt-1"_s;
}

void TestProviderTokens::storeWritesTokensAndExpiry()
{
    QFETCH(QString, earlierRefresh);
    QFETCH(QString, refresh);
    QFETCH(int, expiresIn);
    QFETCH(QString, storedRefresh);
    seedTokens(u"at-0"_s, earlierRefresh);
    oidc::TokenResponse tokens;
    tokens.accessToken = u"at-1"_s;
    tokens.tokenType = u"Bearer"_s;
    tokens.refreshToken = refresh;
    if (expiresIn >= 0)
        tokens.expiresAt = m_clock->now().addSecs(expiresIn);

    std::optional<Status> done;
    m_tokens->store(m_account, tokens, this, [&done](Status status) { done = status; });
    QVERIFY2(!done, "store() finished synchronously");
    QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), kWaitMs);
    QVERIFY2(done->ok(), done->ok() ? "" : qPrintable(done->error().message));
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Access)), "at-1");
    QCOMPARE(QString::fromUtf8(m_keychain->value(key(secretkeys::TokenPurpose::Refresh))),
             storedRefresh);
    QCOMPARE(storedExpiry(), tokens.expiresAt); // invalid = NULL
    QCOMPARE(storedAccount().refreshedAt, m_clock->now()); // Profile: "updated <time>"
    // The tokens themselves never reach SQLite (docs/architecture.md).
    QVERIFY(!databaseBytes(*m_db).contains("at-1"));
    // ...but that the keychain holds some does: a crash before the session exists is found.
    QCOMPARE(AccountRepository(*m_db).listLeftoverTokens(m_clock->now()).valueOr({}).size(), 1);
}

void TestProviderTokens::storedTokenIsUsedWithoutRequest_data()
{
    QTest::addColumn<qint64>("expiresIn"); // -1: expires_at NULL
    QTest::newRow("an hour left") << qint64(3600);
    QTest::newRow("just outside the leeway") << ProviderTokens::kDefaultLeewaySecs + 1;
    QTest::newRow("expiry unknown") << qint64(-1);
}

void TestProviderTokens::storedTokenIsUsedWithoutRequest()
{
    QFETCH(qint64, expiresIn);
    const QDateTime expiresAt = expiresIn < 0 ? QDateTime() : m_clock->now().addSecs(expiresIn);
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, expiresAt).ok());
    seedTokens(u"at-stored"_s, u"rt-stored"_s);
    const Result<AccessToken> token = fresh();
    QVERIFY2(token.ok(), token.ok() ? "" : qPrintable(token.error().message));
    QCOMPARE(token->token, u"at-stored"_s);
    QCOMPARE(token->providerId, u"acme"_s);
    QCOMPARE(token->tokenType, u"Bearer"_s);
    QCOMPARE(token->expiresAt, expiresAt);
    QVERIFY(m_server->requests().isEmpty());
    QCOMPARE(m_keychain->writeCount(), 0);
}

void TestProviderTokens::nearExpiryRefreshesOnceForConcurrentCallers()
{
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, m_clock->now().addSecs(30)).ok());
    seedTokens(u"at-old"_s, u"rt-old"_s);
    CannedHttpServer::Reply reply;
    reply.delayMs = 200; // both callers ask while the one request is in flight
    reply.body = tokenJson(u"at-new"_s, u"rt-new"_s, 3600);
    m_server->enqueue(reply);
    m_server->enqueue(200, tokenJson(u"at-unexpected"_s, u"rt-unexpected"_s));

    QList<Delivery> deliveries;
    ask(ProviderTokens::kDefaultLeewaySecs, deliveries);
    ask(ProviderTokens::kDefaultLeewaySecs, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 2, kWaitMs);

    const auto tokenRequests = requestsTo(u"/token"_s);
    QCOMPARE(tokenRequests.size(), 1); // one request for both callers
    QCOMPARE(formValue(tokenRequests.first(), u"grant_type"_s), u"refresh_token"_s);
    QCOMPARE(formValue(tokenRequests.first(), u"refresh_token"_s), u"rt-old"_s);
    QCOMPARE(formValue(tokenRequests.first(), u"client_id"_s), u"cid"_s);
    const QDateTime newExpiry = m_clock->now().addSecs(3600);
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY2(delivery.token, delivery.error ? qPrintable(delivery.error->message) : "");
        QCOMPARE(delivery.token->token, u"at-new"_s);
        QCOMPARE(delivery.token->expiresAt, newExpiry);
        // Stored before use (docs/security.md): the rotated refresh token, the new access token and
        // its expiry were in place when the caller saw the token.
        QCOMPARE(delivery.storedRefresh, "rt-new");
        QCOMPARE(delivery.storedAccess, "at-new");
        QCOMPARE(delivery.storedExpiry, newExpiry);
    }

    QCOMPARE(storedAccount().refreshedAt, m_clock->now());

    // Now fresh: the stored token, no second request.
    const Result<AccessToken> again = fresh();
    QVERIFY(again.ok());
    QCOMPARE(again->token, u"at-new"_s);
    QCOMPARE(requestsTo(u"/token"_s).size(), 1);
}

void TestProviderTokens::expiredWithoutRefreshTokenIsAnError()
{
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, m_clock->now().addSecs(-5)).ok());
    seedTokens(u"at-old"_s, QString());
    const Result<AccessToken> token = fresh();
    QVERIFY(!token.ok());
    QCOMPARE(token.error().kind, ErrorKind::OAuthToken);
    QCOMPARE(token.error().code, ErrorCode::NoRefreshToken);
    QVERIFY(m_server->requests().isEmpty());
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Access)), "at-old");
}

void TestProviderTokens::invalidGrantErasesTokensAndSignalsOnce()
{
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, m_clock->now().addSecs(-5)).ok());
    seedTokens(u"at-old"_s, u"rt-dead"_s);
    m_keychain->seed(key(secretkeys::TokenPurpose::Id), "id-token");
    CannedHttpServer::Reply reply;
    reply.status = 400;
    reply.delayMs = 100;
    reply.body = R"({"error":"invalid_grant","error_description":"grant revoked"})";
    m_server->enqueue(reply);
    m_server->enqueue(200, tokenJson(u"at-must-not-be-used"_s, u"rt-must-not-be-used"_s));
    QSignalSpy revoked(m_tokens.get(), &ProviderTokens::revoked);

    QList<Delivery> deliveries;
    ask(ProviderTokens::kDefaultLeewaySecs, deliveries);
    ask(ProviderTokens::kDefaultLeewaySecs, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 2, kWaitMs);
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY(delivery.error);
        QCOMPARE(delivery.error->kind, ErrorKind::OAuthToken);
        QCOMPARE(delivery.error->code, ErrorCode::InvalidGrant);
        QVERIFY(oidc::isInvalidGrant(*delivery.error));
        // Erased before the callers heard of it.
        QVERIFY(delivery.storedRefresh.isEmpty());
        QVERIFY(delivery.storedAccess.isEmpty());
    }
    QCOMPARE(revoked.size(), 1);
    QCOMPARE(static_cast<const Account *>(revoked.first().first().constData())->id, m_account.id);
    QCOMPARE(m_keychain->size(), 0); // refresh, access and ID token entries
    QVERIFY(!storedExpiry().isValid());
    QTest::qWait(300);
    QCOMPARE(requestsTo(u"/token"_s).size(), 1); // never retried (docs/security.md)

    // Afterwards there is nothing to renew with.
    const Result<AccessToken> next = fresh();
    QVERIFY(!next.ok());
    QCOMPARE(next.error().code, ErrorCode::NoRefreshToken);
    QCOMPARE(revoked.size(), 1);
}

void TestProviderTokens::providerDownKeepsTokens_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addColumn<ErrorKind>("kind");
    QTest::newRow("token endpoint refuses connections") << u"closed"_s << ErrorKind::Network;
    QTest::newRow("token endpoint answers 503") << u"503"_s << ErrorKind::Network;
    QTest::newRow("discovery unreachable") << u"discovery"_s << ErrorKind::Network;
}

void TestProviderTokens::providerDownKeepsTokens()
{
    QFETCH(QString, failure);
    QFETCH(ErrorKind, kind);
    const QDateTime expiresAt = m_clock->now().addSecs(-5);
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, expiresAt).ok());
    seedTokens(u"at-old"_s, u"rt-old"_s);
    if (failure == u"closed") {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        m_tokenEndpoint = QUrl(u"http://127.0.0.1:%1/token"_s.arg(port));
    } else if (failure == u"503") {
        m_server->enqueue(503, R"({"error":"temporarily_unavailable"})");
    } else {
        m_discoveryDown = true;
    }
    QSignalSpy revoked(m_tokens.get(), &ProviderTokens::revoked);

    const Result<AccessToken> token = fresh();
    QVERIFY(!token.ok());
    QCOMPARE(token.error().kind, kind);
    // A provider in trouble never signs anyone out: everything stays as it was.
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)), "rt-old");
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Access)), "at-old");
    QCOMPARE(storedExpiry(), expiresAt);
    QCOMPARE(m_keychain->writeCount(), 0);
    QCOMPARE(m_keychain->removeCount(), 0);
    QCOMPARE(revoked.size(), 0);
}

void TestProviderTokens::forgetErasesBeforeRevoking_data()
{
    QTest::addColumn<QString>("refresh"); // empty: none stored
    QTest::addColumn<int>("revocationStatus"); // 0: the provider has no revocation_endpoint
    QTest::addColumn<QString>("revokedToken");
    QTest::addColumn<QString>("hint");
    QTest::newRow("refresh token, revocation fails (500)")
            << u"rt-1"_s << 500 << u"rt-1"_s << u"refresh_token"_s;
    QTest::newRow("refresh token, revocation refused (400)")
            << u"rt-1"_s << 400 << u"rt-1"_s << u"refresh_token"_s;
    QTest::newRow("only an access token") << QString() << 200 << u"at-1"_s << u"access_token"_s;
    QTest::newRow("no revocation endpoint") << u"rt-1"_s << 0 << QString() << QString();
}

void TestProviderTokens::forgetErasesBeforeRevoking()
{
    QFETCH(QString, refresh);
    QFETCH(int, revocationStatus);
    QFETCH(QString, revokedToken);
    QFETCH(QString, hint);
    seedTokens(u"at-1"_s, refresh);
    m_keychain->seed(key(secretkeys::TokenPurpose::Id), "id-token");
    if (revocationStatus == 0) {
        m_revocationEndpoint.clear();
    } else {
        CannedHttpServer::Reply reply;
        reply.status = revocationStatus;
        reply.delayMs = 200;
        reply.body = revocationStatus == 400 ? R"({"error":"invalid_request"})" : "";
        m_server->enqueue(reply);
    }
    // An email account and an account of a provider no longer configured are skipped.
    const Account email = addAccount(u"email"_s, Account::Type::Email, {});
    const Account gone = addAccount(u"gone"_s, Account::Type::Oidc, {});

    int done = 0;
    m_tokens->forget({email, m_account, gone}, this, [&done]() { ++done; });
    QCOMPARE(done, 0); // never synchronously
    if (revocationStatus != 0) {
        QTRY_COMPARE_WITH_TIMEOUT(requestsTo(u"/revoke"_s).size(), 1, kWaitMs);
        // The entries were gone before the provider was asked (nothing usable stays if the app
        // quits now).
        QCOMPARE(tokenEntries(), 0);
        const auto request = requestsTo(u"/revoke"_s).first();
        QCOMPARE(formValue(request, u"token"_s), revokedToken); // RFC 7009 §2.1
        QCOMPARE(formValue(request, u"token_type_hint"_s), hint);
        QCOMPARE(formValue(request, u"client_id"_s), u"cid"_s);
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 1, kWaitMs);
    QCOMPARE(tokenEntries(), 0);
    QCOMPARE(requestsTo(u"/revoke"_s).size(), revocationStatus != 0 ? 1 : 0);
    QTest::qWait(100);
    QCOMPARE(done, 1);
}

void TestProviderTokens::forgetDuringRefreshStoresNothing()
{
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, m_clock->now().addSecs(-5)).ok());
    seedTokens(u"at-old"_s, u"rt-old"_s);
    CannedHttpServer::Reply slow;
    slow.delayMs = 400;
    slow.body = tokenJson(u"at-new"_s, u"rt-new"_s);
    m_server->enqueue(slow);
    m_server->enqueue(200, QByteArray()); // the revocation

    QList<Delivery> deliveries;
    ask(ProviderTokens::kDefaultLeewaySecs, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(requestsTo(u"/token"_s).size(), 1, kWaitMs);
    int done = 0;
    m_tokens->forget({m_account}, this, [&done]() { ++done; });
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 1, kWaitMs);
    QVERIFY(deliveries.first().error);
    QCOMPARE(deliveries.first().error->kind, ErrorKind::Cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(done, 1, kWaitMs);
    QCOMPARE(formValue(requestsTo(u"/revoke"_s).value(0), u"token"_s), u"rt-old"_s);

    // The renewed tokens, had the provider's answer been used, must not reappear.
    QTest::qWait(600);
    QCOMPARE(tokenEntries(), 0);
    QCOMPARE(deliveries.size(), 1);
    const Result<AccessToken> after = fresh();
    QVERIFY(!after.ok());
    QCOMPARE(after.error().code, ErrorCode::NoRefreshToken);
}

void TestProviderTokens::accountWithoutProviderIsRefused()
{
    for (const Account &account : {addAccount(u"email"_s, Account::Type::Email, {}),
                                   addAccount(u"gone"_s, Account::Type::Oidc, {})}) {
        std::optional<Result<AccessToken>> answer;
        m_tokens->freshAccessToken(account, 60, this,
                                   [&answer](const Result<AccessToken> &r) { answer = r; });
        QVERIFY(!answer);
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kWaitMs);
        QVERIFY(!answer->ok());
        QCOMPARE(answer->error().kind, ErrorKind::Config);
    }
    QVERIFY(m_server->requests().isEmpty());
}

void TestProviderTokens::refreshedIdTokenMustNameTheSameUser_data()
{
    // OIDC Core §12.2: the ID token of a refresh keeps `iss`, `sub`, `aud` and `azp`, and passes
    // the same signature and claim checks as at sign-in. Anything else ends this sign-in.
    QTest::addColumn<QString>("claim");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("forged"); // signed with a key the provider does not publish
    QTest::addColumn<int>("code"); // ErrorCode; Unspecified: accepted
    QTest::newRow("same user") << QString() << QJsonValue() << false << int(ErrorCode::Unspecified);
    QTest::newRow("another sub") << u"sub"_s << QJsonValue(u"mallory"_s) << false
                                 << int(ErrorCode::IdentityChanged);
    QTest::newRow("another issuer") << u"iss"_s << QJsonValue(u"https://evil.example"_s) << false
                                    << int(ErrorCode::IdTokenRejected);
    QTest::newRow("another audience")
            << u"aud"_s << QJsonValue(u"other-app"_s) << false << int(ErrorCode::IdTokenRejected);
    QTest::newRow("another azp") << u"azp"_s << QJsonValue(u"other-app"_s) << false
                                 << int(ErrorCode::IdTokenRejected);
    QTest::newRow("expired") << u"exp"_s << QJsonValue(0) << false
                             << int(ErrorCode::IdTokenRejected);
    QTest::newRow("bad signature")
            << QString() << QJsonValue() << true << int(ErrorCode::IdTokenRejected);
}

void TestProviderTokens::refreshedIdTokenMustNameTheSameUser()
{
    QFETCH(QString, claim);
    QFETCH(QJsonValue, value);
    QFETCH(bool, forged);
    QFETCH(int, code);
    const qint64 now = m_clock->now().toSecsSinceEpoch();
    QJsonObject claims{{u"iss"_s, m_issuer},
                       {u"sub"_s, m_account.providerAccountId},
                       {u"aud"_s, u"cid"_s},
                       {u"exp"_s, now + 3600},
                       {u"iat"_s, now}};
    if (!claim.isEmpty())
        claims.insert(claim, value);
    const TestKey signer = forged ? TestKey::rsa(u"k1"_s) : m_signingKey; // same kid, other key
    const QByteArray idToken = signJws(signer.jwk(), {{u"alg"_s, u"RS256"_s}, {u"kid"_s, u"k1"_s}},
                                       QJsonDocument(claims).toJson(QJsonDocument::Compact));
    QVERIFY(AccountRepository(*m_db).setExpiresAt(m_account.id, m_clock->now().addSecs(30)).ok());
    seedTokens(u"at-old"_s, u"rt-old"_s);
    m_server->enqueue(200, tokenJson(u"at-new"_s, u"rt-new"_s, 3600, idToken));
    QSignalSpy rejected(m_tokens.get(), &ProviderTokens::identityRejected);
    QSignalSpy revoked(m_tokens.get(), &ProviderTokens::revoked);

    const Result<AccessToken> result = fresh();
    if (ErrorCode(code) == ErrorCode::Unspecified) {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result->token, u"at-new"_s);
        QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)), "rt-new");
        QCOMPARE(rejected.count(), 0);
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::IdTokenInvalid);
    QCOMPARE(int(result.error().code), code);
    // Nothing of the answer was kept, and the old tokens are gone too: the sign-in ends.
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(revoked.count(), 0);
    QVERIFY(!m_keychain->contains(key(secretkeys::TokenPurpose::Refresh)));
    QVERIFY(!m_keychain->contains(key(secretkeys::TokenPurpose::Access)));
    QVERIFY(!storedExpiry().isValid());
}

void TestProviderTokens::refreshNowAsksEvenWhenTheTokenIsFresh()
{
    seedTokens(u"at-old"_s, u"rt-old"_s); // valid for another hour
    m_server->enqueue(200, tokenJson(u"at-new"_s, u"rt-new"_s));
    std::optional<Result<AccessToken>> result;
    m_tokens->refreshNow(m_account, this,
                         [&result](const Result<AccessToken> &token) { result = token; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), kWaitMs);
    QVERIFY2(result->ok(), result->ok() ? "" : qPrintable(result->error().message));
    QCOMPARE(result->value().token, u"at-new"_s);
    QCOMPARE(requestsTo(u"/token"_s).size(), 1);
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)), "rt-new");
}

void TestProviderTokens::leftoversOfACrashAreForgottenAtStart()
{
    // Left by a crash: tokens of a user without a session, of the configured provider and of one
    // no longer configured.
    seedTokens(u"at-1"_s, u"rt-1"_s);
    QVERIFY(AccountRepository(*m_db).setTokensStored(m_account.id, m_clock->now()).ok());
    const Account gone = addAccount(u"gone"_s, Account::Type::Oidc, {});
    const QString goneKey = secretkeys::providerToken(u"gone"_s, QString::number(gone.id),
                                                      secretkeys::TokenPurpose::Refresh);
    m_keychain->seed(goneKey, "rt-gone");
    QVERIFY(AccountRepository(*m_db).setTokensStored(gone.id, m_clock->now()).ok());
    // In use: a signed-in user's tokens.
    const Account inUse = addAccount(u"acme"_s, Account::Type::Oidc, {});
    const QString inUseKey = secretkeys::providerToken(u"acme"_s, QString::number(inUse.id),
                                                       secretkeys::TokenPurpose::Refresh);
    m_keychain->seed(inUseKey, "rt-in-use");
    QVERIFY(AccountRepository(*m_db).setTokensStored(inUse.id, m_clock->now()).ok());
    QVERIFY(SessionRepository(*m_db)
                    .create("hash", inUse.userId, m_clock->now().addDays(1), {}, m_clock->now())
                    .ok());
    // In use too: a user signed in with a jwt session, which has no row, only the device's note.
    const Account jwtUser = addAccount(u"acme"_s, Account::Type::Oidc, {});
    const QString jwtKey = secretkeys::providerToken(u"acme"_s, QString::number(jwtUser.id),
                                                     secretkeys::TokenPurpose::Refresh);
    m_keychain->seed(jwtKey, "rt-jwt");
    QVERIFY(AccountRepository(*m_db).setTokensStored(jwtUser.id, m_clock->now()).ok());
    QVERIFY(DeviceRepository(*m_db).activate(jwtUser.userId, m_clock->now()).ok());
    QVERIFY(DeviceRepository(*m_db)
                    .setSessionExpires(jwtUser.userId, m_clock->now().addDays(1))
                    .ok());
    m_server->enqueue(CannedHttpServer::Reply{}); // the revocation: 200

    m_tokens->forgetLeftovers();
    bool idle = false;
    m_tokens->whenIdle(this, [&idle]() { idle = true; });
    QTRY_VERIFY_WITH_TIMEOUT(idle, kWaitMs);
    QVERIFY(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)).isEmpty());
    QVERIFY(m_keychain->value(key(secretkeys::TokenPurpose::Access)).isEmpty());
    QVERIFY(m_keychain->value(goneKey).isEmpty());
    QCOMPARE(m_keychain->value(inUseKey), "rt-in-use");
    QCOMPARE(m_keychain->value(jwtKey), "rt-jwt");
    // Revoked where that is possible (idle waits for it), and not noted as holding tokens any more.
    QCOMPARE(requestsTo(u"/revoke"_s).size(), 1);
    QCOMPARE(formValue(requestsTo(u"/revoke"_s).first(), u"token"_s), u"rt-1"_s);
    QVERIFY(AccountRepository(*m_db).listLeftoverTokens(m_clock->now()).valueOr({}).isEmpty());
}

void TestProviderTokens::leftoversWaitWhileAnotherProcessSignsIn()
{
    seedTokens(u"at-1"_s, u"rt-1"_s);
    QVERIFY(AccountRepository(*m_db).setTokensStored(m_account.id, m_clock->now()).ok());
    {
        // Another process between storing its tokens and creating its session.
        QLockFile other(m_db->path() + u".signin-lock"_s);
        QVERIFY(other.tryLock(0));
        QVERIFY(!m_tokens->lockSignIns(0));
        m_tokens->forgetLeftovers();
        QTest::qWait(100);
        QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)), "rt-1");
    }
    // Its lock gone (finished, or killed: a dead process's lock is stale), the next start cleans.
    m_server->enqueue(CannedHttpServer::Reply{});
    m_tokens->forgetLeftovers();
    QTRY_VERIFY_WITH_TIMEOUT(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)).isEmpty(),
                             kWaitMs);
}

void TestProviderTokens::leftoversThatCannotBeErasedAreTriedAgain()
{
    seedTokens(u"at-1"_s, u"rt-1"_s);
    QVERIFY(AccountRepository(*m_db).setTokensStored(m_account.id, m_clock->now()).ok());
    m_keychain->failNextRemove(Error::make(ErrorKind::Keychain, u"refused"_s));
    m_server->enqueue(CannedHttpServer::Reply{});
    m_tokens->forgetLeftovers();
    bool idle = false;
    m_tokens->whenIdle(this, [&idle]() { idle = true; });
    QTRY_VERIFY_WITH_TIMEOUT(idle, kWaitMs);
    // One entry could not be erased: the account stays noted, so the next start tries again.
    QCOMPARE(AccountRepository(*m_db).listLeftoverTokens(m_clock->now()).valueOr({}).size(), 1);
}

// docs/security.md, the revocation queue: a sign-out while the provider is out of reach erases
// the tokens all the same, keeps only the revocation's token, sealed, and revokes it once the
// provider can be reached again, also from a later run (which reads the key from the keychain).
void TestProviderTokens::revocationOutOfReachWaitsSealedAndIsTriedAgain()
{
    seedTokens(u"at-1"_s, u"rt-secret-1"_s);
    m_discoveryDown = true; // the provider cannot be reached at all
    QSignalSpy deferred(m_tokens.get(), &ProviderTokens::revocationDeferred);
    int done = 0;
    m_tokens->forget({m_account}, this, [&done]() { ++done; });
    QTRY_COMPARE_WITH_TIMEOUT(done, 1, kWaitMs);
    QCOMPARE(deferred.size(), 1);
    QCOMPARE(deferred.first().first().toString(), u"acme"_s);
    QCOMPARE(tokenEntries(), 0);
    QVERIFY(m_keychain->contains(secretkeys::revocationKey()));
    QList<PendingRevocation> waiting = queued();
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(waiting.first().provider, u"acme"_s);
    QCOMPARE(waiting.first().tokenTypeHint, u"refresh_token"_s);
    QCOMPARE(waiting.first().attempts, 1);
    QVERIFY(!waiting.first().sealed.contains("rt-secret-1")); // sealed, not stored as is
    QVERIFY(waiting.first().nextAttemptAt > m_clock->now()); // a pause before the next try
    QVERIFY(requestsTo(u"/revoke"_s).isEmpty());

    // Still out of reach at the next try: it waits longer.
    m_tokens->retryRevocations();
    QTRY_COMPARE_WITH_TIMEOUT(deferred.size(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(queued().value(0).attempts, 2, kWaitMs);
    QVERIFY(queued().first().nextAttemptAt > waiting.first().nextAttemptAt);

    // The next run, with the provider back: revoked, and the row is gone.
    m_discoveryDown = false;
    recreateTokens();
    m_server->enqueue(CannedHttpServer::Reply{});
    m_tokens->retryRevocations();
    QTRY_COMPARE_WITH_TIMEOUT(requestsTo(u"/revoke"_s).size(), 1, kWaitMs);
    const auto request = requestsTo(u"/revoke"_s).first();
    QCOMPARE(formValue(request, u"token"_s), u"rt-secret-1"_s);
    QCOMPARE(formValue(request, u"token_type_hint"_s), u"refresh_token"_s);
    QTRY_VERIFY_WITH_TIMEOUT(queued().isEmpty(), kWaitMs);
}

// A sealed token that was altered, moved to another provider's row, or whose key is gone opens
// nothing: the row is dropped without a request.
void TestProviderTokens::queuedRevocationThatNoLongerOpensIsDropped()
{
    seedTokens(u"at-1"_s, u"rt-1"_s);
    m_discoveryDown = true;
    int done = 0;
    m_tokens->forget({m_account}, this, [&done]() { ++done; });
    QTRY_COMPARE_WITH_TIMEOUT(done, 1, kWaitMs);
    QCOMPARE(queued().size(), 1);
    QVERIFY(m_db->run(u"UPDATE pending_revocations SET token_type_hint = 'access_token'"_s, {},
                      u"tamper"_s)
                    .ok());
    m_discoveryDown = false;
    m_tokens->retryRevocations();
    QTRY_VERIFY_WITH_TIMEOUT(queued().isEmpty(), kWaitMs);
    QVERIFY(requestsTo(u"/revoke"_s).isEmpty());
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestProviderTokens)
#include "tst_providertokens.moc"
