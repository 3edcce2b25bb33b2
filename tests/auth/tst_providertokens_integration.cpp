// ProviderTokens against the real oidc-provider of tests/harness/with-services, with tokens from a
// real browser sign-in (tst_oidcsigninflow_support.h), real SQLite and FakeSecretStore for the
// keychain. ProviderTokens reads a FakeClock set to the real time, so the test decides when the
// access token has expired; the provider's own clock is real.

#include "auth/providertokens.h"

#include "../email/emailtest.h"
#include "core/clock.h"
#include "fakeclock.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "oidc/providermetadata.h"
#include "oidc/revocationjob.h"
#include "oidc/tokenerror.h"
#include "storage/accountrepository.h"
#include "storage/revocationrepository.h"
#include "storage/userrepository.h"
#include "tst_oidcsigninflow_support.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <list>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 15000;
const QString kProvider = u"test"_s;

/// What one caller of freshAccessToken() got, and the stored refresh token at that moment.
struct Delivery
{
    std::optional<AccessToken> token;
    std::optional<Error> error;
    QByteArray storedRefresh;
};

} // namespace

class TestProviderTokensIntegration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void expiredAccessTokenIsRefreshedOnce();
    void concurrentCallersShareOneRefresh();
    void revokedGrantErasesTokens();
    void providerDownKeepsTokens();
    void forgetRevokesAtTheProvider();

private:
    oidc::ProviderMetadata metadata();
    bool signInAndStore(const QString &login);
    void ask(ProviderTokens &tokens, QList<Delivery> &out);
    Result<AccessToken> fresh(ProviderTokens &tokens);
    QString key(secretkeys::TokenPurpose purpose) const;
    QDateTime storedExpiry();
    int userinfoStatus(const QString &accessToken);
    /// The provider's key set, fetched over `network` (checks the ID tokens of refreshes).
    std::function<oidc::JwksCache &(const oidc::ProviderMetadata &)>
    jwksOf(QNetworkAccessManager &network);

    QString m_issuer;
    QTemporaryDir m_dir;
    SystemClock m_realClock; // the browser sign-in and its tokens
    std::unique_ptr<FakeClock> m_clock; // what ProviderTokens thinks the time is
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RecordingNetworkAccessManager> m_network;
    std::unique_ptr<oidc::DiscoveryCache> m_discovery;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<ProviderTokens> m_tokens;
    Config m_config;
    oidc::ProviderMetadata m_metadata;
    oidc::TokenResponse m_signedIn; // what the browser sign-in yielded
    Account m_account;
    std::list<oidc::JwksCache> m_jwks; // one per ProviderTokens
};

std::function<oidc::JwksCache &(const oidc::ProviderMetadata &)>
TestProviderTokensIntegration::jwksOf(QNetworkAccessManager &network)
{
    return [this, &network](const oidc::ProviderMetadata &metadata) -> oidc::JwksCache & {
        return m_jwks.emplace_back(metadata.jwksUri, oidc::networkDocumentFetcher(&network),
                                   *m_clock);
    };
}

void TestProviderTokensIntegration::initTestCase()
{
    m_issuer = qEnvironmentVariable("LATCHKEY_TEST_OIDC_ISSUER");
    if (m_issuer.isEmpty() || qEnvironmentVariableIsEmpty("LATCHKEY_TEST_BROWSER"))
        QFAIL("run this test inside tests/harness/with-services (no OIDC issuer or browser)");
}

void TestProviderTokensIntegration::init()
{
    m_clock = std::make_unique<FakeClock>(QDateTime::currentDateTimeUtc());
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_network = std::make_unique<RecordingNetworkAccessManager>();
    m_discovery = std::make_unique<oidc::DiscoveryCache>(
            oidc::networkDocumentFetcher(m_network.get()), *m_clock);
    m_keychain = std::make_unique<FakeSecretStore>();
    OidcProviderConfig provider;
    provider.id = kProvider;
    provider.label = u"TEST"_s;
    provider.issuer = QUrl(m_issuer);
    provider.clientId = u"latchkey-public"_s; // oidc-provider rotates its refresh tokens
    provider.scopes = {u"openid"_s, u"email"_s, u"profile"_s, u"offline_access"_s};
    m_config = Config{};
    m_config.providers = {provider};
    m_config.allowHttpLoopbackIssuer = true;
    m_tokens = std::make_unique<ProviderTokens>(ProviderTokensDeps{
            m_config, *m_db, *m_keychain, *m_network, *m_discovery, *m_clock, jwksOf(*m_network)});
    m_metadata = metadata();
    QVERIFY(m_metadata.tokenEndpoint.isValid());
    QVERIFY(m_metadata.revocationEndpoint.isValid());
}

void TestProviderTokensIntegration::cleanup()
{
    m_tokens.reset();
    m_jwks.clear();
    m_keychain.reset();
    m_discovery.reset();
    m_network.reset();
    m_db.reset();
}

oidc::ProviderMetadata TestProviderTokensIntegration::metadata()
{
    std::optional<Result<oidc::ProviderMetadata>> found;
    m_discovery->metadata(m_issuer, oidc::MetadataOptions{true, {}}, this,
                          [&found](Result<oidc::ProviderMetadata> r) { found = r; });
    if (!QTest::qWaitFor([&found]() { return found.has_value(); }, 10000) || !found->ok())
        return {};
    return found->value();
}

bool TestProviderTokensIntegration::signInAndStore(const QString &login)
{
    const oidc::ClientAuthentication client{u"latchkey-public"_s, {}, oidc::ClientAuthMethod::None};
    auto tokens =
            signInByHand(*m_network, m_realClock, m_metadata, client, u"/callback/test"_s, login);
    if (!tokens || tokens->refreshToken.isEmpty()) {
        qWarning() << "sign-in failed:"
                   << (tokens ? u"no refresh token"_s : tokens.error().message);
        return false;
    }
    m_signedIn = tokens.value();
    User user;
    user.email = login + u"@example.com"_s;
    const Result<User> created = UserRepository(*m_db).create(user, m_realClock.now());
    if (!created)
        return false;
    Account account;
    account.userId = created->id;
    account.provider = kProvider;
    account.providerAccountId = login;
    account.issuer = m_issuer;
    account.scope = m_signedIn.scope;
    const Result<Account> linked = AccountRepository(*m_db).create(account, m_realClock.now());
    if (!linked)
        return false;
    m_account = linked.value();
    std::optional<Status> stored;
    m_tokens->store(m_account, m_signedIn, this, [&stored](Status status) { stored = status; });
    return QTest::qWaitFor([&stored]() { return stored.has_value(); }, kWaitMs) && stored->ok();
}

void TestProviderTokensIntegration::ask(ProviderTokens &tokens, QList<Delivery> &out)
{
    tokens.freshAccessToken(m_account, ProviderTokens::kDefaultLeewaySecs, this,
                            [this, &out](const Result<AccessToken> &result) {
                                Delivery delivery;
                                if (result)
                                    delivery.token = result.value();
                                else
                                    delivery.error = result.error();
                                delivery.storedRefresh =
                                        m_keychain->value(key(secretkeys::TokenPurpose::Refresh));
                                out.append(delivery);
                            });
}

Result<AccessToken> TestProviderTokensIntegration::fresh(ProviderTokens &tokens)
{
    QList<Delivery> out;
    ask(tokens, out);
    if (!QTest::qWaitFor([&out]() { return !out.isEmpty(); }, kWaitMs))
        return Error::make(ErrorKind::Timeout, u"no answer"_s);
    if (out.first().error)
        return *out.first().error;
    return *out.first().token;
}

QString TestProviderTokensIntegration::key(secretkeys::TokenPurpose purpose) const
{
    return secretkeys::providerToken(kProvider, QString::number(m_account.id), purpose);
}

QDateTime TestProviderTokensIntegration::storedExpiry()
{
    return AccountRepository(*m_db)
            .findByProviderAccount(kProvider, m_account.providerAccountId)
            .valueOr({})
            .expiresAt;
}

int TestProviderTokensIntegration::userinfoStatus(const QString &accessToken)
{
    QNetworkRequest request(m_metadata.userinfoEndpoint);
    request.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    std::unique_ptr<QNetworkReply> reply(m_network->get(request));
    if (!QTest::qWaitFor([&reply]() { return reply->isFinished(); }, 10000))
        return 0;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestProviderTokensIntegration::expiredAccessTokenIsRefreshedOnce()
{
    QVERIFY(signInAndStore(u"frank"_s));
    const QDateTime signedInExpiry = storedExpiry();
    QVERIFY(signedInExpiry.isValid());
    const qsizetype before = m_network->tokenRequests().size();

    // Fresh: the stored token, no request.
    const Result<AccessToken> first = fresh(*m_tokens);
    QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
    QCOMPARE(first->token, m_signedIn.accessToken);
    QCOMPARE(m_network->tokenRequests().size(), before);

    // An hour later the access token has expired: one refresh.
    m_clock->set(signedInExpiry.addSecs(1));
    const Result<AccessToken> renewed = fresh(*m_tokens);
    QVERIFY2(renewed.ok(), renewed.ok() ? "" : qPrintable(renewed.error().message));
    QCOMPARE(m_network->tokenRequests().size(), before + 1);
    QVERIFY(renewed->token != m_signedIn.accessToken);
    QCOMPARE(renewed->tokenType, u"Bearer"_s);
    QCOMPARE(userinfoStatus(renewed->token), 200); // the provider accepts it
    // Stored: the rotated refresh token, the new access token, the new expiry.
    const QByteArray rotated = m_keychain->value(key(secretkeys::TokenPurpose::Refresh));
    QVERIFY(!rotated.isEmpty());
    QVERIFY(rotated != m_signedIn.refreshToken.toUtf8());
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Access)), renewed->token.toUtf8());
    QCOMPARE(storedExpiry(), renewed->expiresAt);
    QVERIFY(renewed->expiresAt > m_clock->now().addSecs(ProviderTokens::kDefaultLeewaySecs));

    // Fresh again: no second request.
    const Result<AccessToken> again = fresh(*m_tokens);
    QVERIFY(again.ok());
    QCOMPARE(again->token, renewed->token);
    QCOMPARE(m_network->tokenRequests().size(), before + 1);
}

void TestProviderTokensIntegration::concurrentCallersShareOneRefresh()
{
    QVERIFY(signInAndStore(u"grace"_s));
    m_clock->set(storedExpiry().addSecs(1));
    const qsizetype before = m_network->tokenRequests().size();
    QList<Delivery> deliveries;
    for (int i = 0; i < 3; ++i)
        ask(*m_tokens, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 3, kWaitMs);
    // One request for all callers: a second one with the same (rotated-away) refresh token would
    // look like token theft to the provider (RFC 9700 §4.14.2).
    QCOMPARE(m_network->tokenRequests().size(), before + 1);
    const QByteArray stored = m_keychain->value(key(secretkeys::TokenPurpose::Refresh));
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY2(delivery.token, delivery.error ? qPrintable(delivery.error->message) : "");
        QCOMPARE(delivery.token->token, deliveries.first().token->token);
        QCOMPARE(delivery.storedRefresh, stored); // stored before any caller saw the token
    }
    QVERIFY(stored != m_signedIn.refreshToken.toUtf8());
    QCOMPARE(userinfoStatus(deliveries.first().token->token), 200);
}

void TestProviderTokensIntegration::revokedGrantErasesTokens()
{
    QVERIFY(signInAndStore(u"heidi"_s));
    // The grant is revoked at the provider (RFC 7009), e.g. from the user's account page.
    oidc::RevocationJob revocation(*m_network, m_metadata.revocationEndpoint,
                                   m_signedIn.refreshToken, u"refresh_token"_s,
                                   {u"latchkey-public"_s, {}, oidc::ClientAuthMethod::None});
    QSignalSpy revokedAtProvider(&revocation, &oidc::RevocationJob::finished);
    revocation.start();
    QTRY_COMPARE_WITH_TIMEOUT(revokedAtProvider.count(), 1, kWaitMs);
    QVERIFY(static_cast<const Status *>(revokedAtProvider.first().first().constData())->ok());

    QSignalSpy revoked(m_tokens.get(), &ProviderTokens::revoked);
    m_clock->set(storedExpiry().addSecs(1));
    const qsizetype before = m_network->tokenRequests().size();
    QList<Delivery> deliveries;
    ask(*m_tokens, deliveries);
    ask(*m_tokens, deliveries);
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.size(), 2, kWaitMs);
    for (const Delivery &delivery : std::as_const(deliveries)) {
        QVERIFY(delivery.error);
        QVERIFY2(oidc::isInvalidGrant(*delivery.error), qPrintable(delivery.error->message));
        QVERIFY(delivery.storedRefresh.isEmpty()); // erased before the callers heard of it
    }
    QCOMPARE(revoked.count(), 1);
    QCOMPARE(static_cast<const Account *>(revoked.first().first().constData())->id, m_account.id);
    QCOMPARE(m_keychain->size(), 0);
    QVERIFY(!storedExpiry().isValid());
    QTest::qWait(300);
    QCOMPARE(m_network->tokenRequests().size(), before + 1); // never retried
}

void TestProviderTokensIntegration::providerDownKeepsTokens()
{
    QVERIFY(signInAndStore(u"ivan"_s));
    const QByteArray refresh = m_keychain->value(key(secretkeys::TokenPurpose::Refresh));
    const QByteArray access = m_keychain->value(key(secretkeys::TokenPurpose::Access));
    const QDateTime expiresAt = storedExpiry();
    // The token endpoint goes to a port nothing listens on: the provider is unreachable.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closed = probe.serverPort();
    probe.close();
    m_network->divert(m_metadata.tokenEndpoint, QUrl(u"http://127.0.0.1:%1/token"_s.arg(closed)));
    QSignalSpy revoked(m_tokens.get(), &ProviderTokens::revoked);
    m_clock->set(expiresAt.addSecs(1));

    const Result<AccessToken> down = fresh(*m_tokens);
    QVERIFY(!down.ok());
    QVERIFY2(down.error().kind == ErrorKind::Network || down.error().kind == ErrorKind::Timeout,
             qPrintable(errorKindName(down.error().kind)));
    QCOMPARE(revoked.count(), 0);
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Refresh)), refresh);
    QCOMPARE(m_keychain->value(key(secretkeys::TokenPurpose::Access)), access);
    QCOMPARE(storedExpiry(), expiresAt);

    // The kept tokens still work once the provider is back (a fresh network, no diversion).
    RecordingNetworkAccessManager network;
    oidc::DiscoveryCache discovery(oidc::networkDocumentFetcher(&network), *m_clock);
    ProviderTokens back(ProviderTokensDeps{m_config, *m_db, *m_keychain, network, discovery,
                                           *m_clock, jwksOf(network)});
    const Result<AccessToken> renewed = fresh(back);
    QVERIFY2(renewed.ok(), renewed.ok() ? "" : qPrintable(renewed.error().message));
    QCOMPARE(network.tokenRequests().size(), 1);
    QCOMPARE(userinfoStatus(renewed->token), 200);
}

void TestProviderTokensIntegration::forgetRevokesAtTheProvider()
{
    QVERIFY(signInAndStore(u"judy"_s));
    bool done = false;
    m_tokens->forget({m_account}, this, [&done]() { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, kWaitMs);
    // Only the revocation queue's key is left in the keychain, and nothing waits in the queue.
    QCOMPARE(m_keychain->keys(), QStringList{secretkeys::revocationKey()});
    QCOMPARE(RevocationRepository(*m_db).all().valueOr({}).size(), 0);

    // The refresh token no longer works at the provider (RFC 7009 §2.2).
    oidc::TokenJob job(
            *m_network,
            oidc::TokenRequest::refresh(m_metadata.tokenEndpoint, m_signedIn.refreshToken),
            {u"latchkey-public"_s, {}, oidc::ClientAuthMethod::None}, m_realClock);
    QSignalSpy finished(&job, &oidc::TokenJob::finished);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    const auto &result =
            *static_cast<const Result<oidc::TokenResponse> *>(finished.first().first().constData());
    QVERIFY(!result.ok());
    QVERIFY2(oidc::isInvalidGrant(result.error()), qPrintable(result.error().message));
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestProviderTokensIntegration)
#include "tst_providertokens_integration.moc"
