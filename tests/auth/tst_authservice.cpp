// AuthService's provider-token entry points (withFreshAccessToken, signOut) with FakeSecretStore,
// FakeMailer, FakeClock and a real SQLite file. The configured provider's issuer is a closed
// loopback port: nothing here may need it.

#include "auth/authservice.h"
#include "keychain/keychainpolicy.h"

#include "../email/emailtest.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "session/sessionmanager.h"
#include "storage/accountrepository.h"
#include "storage/sessionrepository.h"
#include "storage/userrepository.h"

#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 10000;

} // namespace

class TestAuthService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void freshAccessTokenNeedsASession();
    void freshAccessTokenNeedsAnAccountAtTheProvider();
    void freshAccessTokenOfTheSignedInUser();
    void signOutErasesProviderTokens();
    void signOutAllSignsEveryAccountOut();
    void endingOtherSessions();
    void signOutEverywhereEndsEverySessionAndEveryToken();
    void unlinkingNeedsARecentSignInAndKeepsTheLastMethod();
    void deleteLocalDataForgetsTheUser();

private:
    Account link(const QString &provider, Account::Type type);
    Account link(qint64 userId, const QString &provider, const QString &subject);
    bool signIn(qint64 userId = 0);
    Result<AccessToken> fresh(const QString &providerId);
    QString key(const Account &account, secretkeys::TokenPurpose purpose) const;

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<FakeSecretStore> m_memory;
    std::unique_ptr<KeychainPolicy> m_secrets;
    std::unique_ptr<FakeMailer> m_mailer;
    Config m_config;
    std::unique_ptr<AuthService> m_auth;
    qint64 m_userId = 0;
};

void TestAuthService::init()
{
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_clock = std::make_unique<FakeClock>();
    m_keychain = std::make_unique<FakeSecretStore>();
    m_memory = std::make_unique<FakeSecretStore>();
    m_secrets = std::make_unique<KeychainPolicy>(*m_keychain, *m_memory);
    m_mailer = std::make_unique<FakeMailer>();
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    OidcProviderConfig acme;
    acme.id = u"acme"_s;
    acme.label = u"Acme"_s;
    acme.issuer = QUrl(u"http://127.0.0.1:%1"_s.arg(probe.serverPort()));
    acme.clientId = u"cid"_s;
    acme.scopes = {u"openid"_s};
    probe.close();
    m_config = Config{};
    m_config.providers = {acme};
    m_config.allowHttpLoopbackIssuer = true;
    m_config.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    m_auth = std::make_unique<AuthService>(m_config, *m_db, *m_secrets, *m_mailer, *m_clock);
    bool ready = false;
    m_auth->initialize(this, [&ready] { ready = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ready, kWaitMs);
    User user;
    user.email = u"alice@example.com"_s;
    const Result<User> created = UserRepository(*m_db).create(user, m_clock->now());
    QVERIFY(created.ok());
    m_userId = created->id;
}

void TestAuthService::cleanup()
{
    m_auth.reset();
    m_mailer.reset();
    m_memory.reset();
    m_keychain.reset();
    m_db.reset();
}

Account TestAuthService::link(qint64 userId, const QString &provider, const QString &subject)
{
    Account account;
    account.userId = userId;
    account.type = Account::Type::Oidc;
    account.provider = provider;
    account.providerAccountId = subject;
    account.expiresAt = m_clock->now().addSecs(3600);
    return AccountRepository(*m_db).create(account, m_clock->now()).valueOr({});
}

Account TestAuthService::link(const QString &provider, Account::Type type)
{
    Account account;
    account.userId = m_userId;
    account.type = type;
    account.provider = provider;
    account.providerAccountId = type == Account::Type::Email ? u"alice@example.com"_s : u"sub"_s;
    account.expiresAt = type == Account::Type::Email ? QDateTime() : m_clock->now().addSecs(3600);
    return AccountRepository(*m_db).create(account, m_clock->now()).valueOr({});
}

bool TestAuthService::signIn(qint64 userId)
{
    std::optional<Result<Session>> session;
    m_auth->sessions().establish(userId ? userId : m_userId, u"email"_s, this,
                                 [&session](Result<Session> result) { session = result; });
    return QTest::qWaitFor([&session]() { return session.has_value(); }, kWaitMs) && session->ok();
}

Result<AccessToken> TestAuthService::fresh(const QString &providerId)
{
    std::optional<Result<AccessToken>> answer;
    m_auth->withFreshAccessToken(providerId, this,
                                 [&answer](const Result<AccessToken> &r) { answer = r; });
    if (answer)
        return Error::make(ErrorKind::Protocol, u"answered synchronously"_s);
    if (!QTest::qWaitFor([&answer]() { return answer.has_value(); }, kWaitMs))
        return Error::make(ErrorKind::Timeout, u"no answer"_s);
    return *answer;
}

QString TestAuthService::key(const Account &account, secretkeys::TokenPurpose purpose) const
{
    return secretkeys::providerToken(account.provider, QString::number(account.id), purpose);
}

void TestAuthService::freshAccessTokenNeedsASession()
{
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Access), "at-1");
    const Result<AccessToken> token = fresh(u"acme"_s);
    QVERIFY(!token.ok());
    QCOMPARE(token.error().kind, ErrorKind::Unauthorized);
}

void TestAuthService::freshAccessTokenNeedsAnAccountAtTheProvider()
{
    link(u"email"_s, Account::Type::Email);
    QVERIFY(signIn());
    for (const QString &provider : {u"acme"_s, u"email"_s, u"unknown"_s}) {
        const Result<AccessToken> token = fresh(provider);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().kind, ErrorKind::NotFound);
        QCOMPARE(token.error().code, ErrorCode::NoProviderAccount);
    }
}

void TestAuthService::freshAccessTokenOfTheSignedInUser()
{
    link(u"email"_s, Account::Type::Email);
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Access), "at-1");
    QVERIFY(signIn());
    const Result<AccessToken> token = fresh(u"acme"_s);
    QVERIFY2(token.ok(), token.ok() ? "" : qPrintable(token.error().message));
    QCOMPARE(token->token, u"at-1"_s);
    QCOMPARE(token->providerId, u"acme"_s);
    QCOMPARE(token->expiresAt, acme.expiresAt);
}

void TestAuthService::signOutErasesProviderTokens()
{
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Access), "at-1");
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Refresh), "rt-1");
    QVERIFY(signIn());
    QVERIFY(m_keychain->contains(secretkeys::sessionToken(m_userId)));

    std::optional<Status> signedOut;
    m_auth->signOut(this, [&signedOut](Status status) { signedOut = status; });
    QTRY_VERIFY_WITH_TIMEOUT(signedOut.has_value(), kWaitMs);
    QVERIFY(signedOut->ok());
    QCOMPARE(m_auth->sessions().state(), SessionState::SignedOut);
    // The provider is unreachable, so nothing was revoked; the entries are gone all the same.
    QVERIFY(!m_keychain->contains(key(acme, secretkeys::TokenPurpose::Access)));
    QVERIFY(!m_keychain->contains(key(acme, secretkeys::TokenPurpose::Refresh)));
    QVERIFY(!m_keychain->contains(secretkeys::sessionToken(m_userId)));
}

void TestAuthService::endingOtherSessions()
{
    QVERIFY(signIn());
    // Two more sessions of Alice in this database (another process whose keychain failed, or
    // another device sharing the file), and one of Bob.
    User bobUser;
    bobUser.email = u"bob@example.com"_s;
    const qint64 bob = UserRepository(*m_db).create(bobUser, m_clock->now()).valueOr({}).id;
    SessionRepository sessions(*m_db);
    const QDateTime now = m_clock->now();
    const qint64 second = sessions.create("h2", m_userId, now.addDays(30), u"b"_s, now)->id;
    const qint64 third = sessions.create("h3", m_userId, now.addDays(30), u"c"_s, now)->id;
    const qint64 bobs = sessions.create("h4", bob, now.addDays(30), u"d"_s, now)->id;
    const qint64 current = m_auth->sessions().current()->sessionId;
    QCOMPARE(m_auth->deviceSessions()->size(), 3);

    // One at a time: never the current one, never another user's.
    QCOMPARE(m_auth->revokeSession(current).error().kind, ErrorKind::InvalidInput);
    QCOMPARE(m_auth->revokeSession(bobs).error().kind, ErrorKind::NotFound);
    QVERIFY(m_auth->revokeSession(second).ok());
    QCOMPARE(m_auth->deviceSessions()->size(), 2);
    QCOMPARE(m_auth->revokeSession(second).error().kind, ErrorKind::NotFound);

    // All the others at once; this session and Bob's stay.
    QCOMPARE(m_auth->signOutOtherSessions().value(), 1);
    const auto left = m_auth->deviceSessions();
    QCOMPARE(left->size(), 1);
    QVERIFY(left->first().current);
    QVERIFY(!sessions.findByTokenHash("h3").ok());
    QVERIFY(sessions.findByTokenHash("h4").ok());
    QVERIFY(m_auth->sessions().validSession().ok());
    Q_UNUSED(third);

    // Nobody signed in: the gate's answer.
    std::optional<Status> out;
    m_auth->signOut(this, [&out](Status status) { out = status; });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), kWaitMs);
    QCOMPARE(m_auth->signOutOtherSessions().error().code, ErrorCode::NotSignedIn);
    QCOMPARE(m_auth->revokeSession(bobs).error().code, ErrorCode::NotSignedIn);
}

void TestAuthService::signOutEverywhereEndsEverySessionAndEveryToken()
{
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Refresh), "rt-1");
    QVERIFY(signIn());
    const QDateTime now = m_clock->now();
    QVERIFY(SessionRepository(*m_db).create("h2", m_userId, now.addDays(30), {}, now).ok());

    std::optional<Status> out;
    m_auth->signOutEverywhere(this, [&out](Status status) { out = status; });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), kWaitMs);
    QVERIFY(out->ok());
    QCOMPARE(m_auth->sessions().state(), SessionState::SignedOut);
    QVERIFY(SessionRepository(*m_db).listForUser(m_userId)->isEmpty());
    QVERIFY(!m_keychain->contains(key(acme, secretkeys::TokenPurpose::Refresh)));
    QVERIFY(!m_keychain->contains(secretkeys::sessionToken(m_userId)));

    // Signed out already: it says so and changes nothing.
    out.reset();
    m_auth->signOutEverywhere(this, [&out](Status status) { out = status; });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), kWaitMs);
    QCOMPARE(out->error().code, ErrorCode::NotSignedIn);
}

void TestAuthService::unlinkingNeedsARecentSignInAndKeepsTheLastMethod()
{
    const Account email = link(u"email"_s, Account::Type::Email);
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Refresh), "rt-1");
    QVERIFY(signIn());

    m_clock->advance(11 * 60);
    QCOMPARE(m_auth->unlinkAccount(acme.id).error().code, ErrorCode::StepUpRequired);
    QCOMPARE(m_auth->sessions().current()->accounts.size(), 2);
    // Confirmed (the step-up flows have their own tests): now it may.
    QVERIFY(m_auth->sessions().markAuthenticated().ok());
    QCOMPARE(m_auth->unlinkAccount(acme.id + 1000).error().kind, ErrorKind::NotFound);
    QVERIFY(m_auth->unlinkAccount(acme.id).ok());
    QCOMPARE(m_auth->sessions().current()->accounts.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keychain->contains(key(acme, secretkeys::TokenPurpose::Refresh)),
                             kWaitMs);
    // The last way to sign in stays; the session too.
    QCOMPARE(m_auth->unlinkAccount(email.id).error().code, ErrorCode::LastSignInMethod);
    QVERIFY(m_auth->sessions().validSession().ok());
    QCOMPARE(AccountRepository(*m_db).listForUser(m_userId)->size(), 1);
}

void TestAuthService::deleteLocalDataForgetsTheUser()
{
    link(u"email"_s, Account::Type::Email);
    const Account acme = link(u"acme"_s, Account::Type::Oidc);
    m_keychain->seed(key(acme, secretkeys::TokenPurpose::Refresh), "rt-1");
    QVERIFY(signIn());
    const auto count = [this](const QString &sql) {
        auto query = m_db->run(sql, {m_userId}, u"count"_s);
        return query.ok() && query.value().next() ? query.value().value(0).toInt() : -1;
    };
    QVERIFY(count(u"SELECT count(*) FROM events WHERE user_id = ?"_s) > 0);

    m_clock->advance(11 * 60);
    std::optional<Status> out;
    m_auth->deleteLocalData(this, [&out](Status status) { out = status; });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), kWaitMs);
    QCOMPARE(out->error().code, ErrorCode::StepUpRequired);
    QCOMPARE(count(u"SELECT count(*) FROM users WHERE id = ?"_s), 1);

    QVERIFY(m_auth->sessions().markAuthenticated().ok());
    out.reset();
    m_auth->deleteLocalData(this, [&out](Status status) { out = status; });
    QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), kWaitMs);
    QVERIFY2(out->ok(), out->ok() ? "" : qPrintable(out->error().message));
    QCOMPARE(m_auth->sessions().state(), SessionState::SignedOut);
    for (const QString &table :
         {u"users"_s, u"accounts"_s, u"sessions"_s, u"events"_s, u"device_accounts"_s}) {
        const QString column = table == u"users" ? u"id"_s : u"user_id"_s;
        QCOMPARE(count(u"SELECT count(*) FROM %1 WHERE %2 = ?"_s.arg(table, column)), 0);
    }
    QVERIFY(!m_keychain->contains(key(acme, secretkeys::TokenPurpose::Refresh)));
    QVERIFY(!m_keychain->contains(secretkeys::sessionToken(m_userId)));
}

void TestAuthService::signOutAllSignsEveryAccountOut()
{
    User bobUser;
    bobUser.email = u"bob@example.com"_s;
    const qint64 bob = UserRepository(*m_db).create(bobUser, m_clock->now()).valueOr({}).id;
    QVERIFY(bob > 0);
    const Account alices = link(m_userId, u"acme"_s, u"alice-sub"_s);
    const Account bobs = link(bob, u"acme"_s, u"bob-sub"_s);
    for (const Account &account : {alices, bobs})
        m_keychain->seed(key(account, secretkeys::TokenPurpose::Refresh), "rt");
    QVERIFY(signIn(m_userId));
    QVERIFY(signIn(bob));
    QCOMPARE(m_auth->sessions().accounts()->size(), 2);

    std::optional<Status> signedOut;
    m_auth->signOutAll(this, [&signedOut](Status status) { signedOut = status; });
    QTRY_VERIFY_WITH_TIMEOUT(signedOut.has_value(), kWaitMs);
    QVERIFY(signedOut->ok());
    QCOMPARE(m_auth->sessions().state(), SessionState::SignedOut);
    QVERIFY(m_auth->sessions().accounts()->isEmpty());
    for (const Account &account : {alices, bobs}) {
        QVERIFY(!m_keychain->contains(key(account, secretkeys::TokenPurpose::Refresh)));
        QVERIFY(!m_keychain->contains(secretkeys::sessionToken(account.userId)));
    }
    auto rows = m_db->run(u"SELECT count(*) FROM sessions"_s, {}, u"count"_s);
    QVERIFY(rows.ok() && rows.value().next());
    QCOMPARE(rows.value().value(0).toInt(), 0);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestAuthService)
#include "tst_authservice.moc"
