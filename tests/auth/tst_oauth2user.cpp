// A plain OAuth 2.0 provider's user endpoint answer → who signed in (OAuth2User::parse): the
// account id is the identity, and an email counts as verified only for "email_verified": true.

#include "auth/oauth2user.h"

#include <QtTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

ProviderOptions forge(const QString &accountIdField = {})
{
    ProviderOptions provider = presets::oauth2(
            u"my-forge"_s, QUrl(u"https://forge.test/authorize"_s),
            QUrl(u"https://forge.test/token"_s), QUrl(u"https://forge.test/me"_s), u"app"_s);
    provider.label = u"Forge"_s;
    provider.accountIdField = accountIdField;
    return provider;
}

Result<OAuth2User> parse(const QByteArray &body, const ProviderOptions &provider = forge())
{
    return OAuth2User::parse(200, "application/json; charset=utf-8", body, provider);
}

} // namespace

class TestOAuth2User : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountId_data();
    void accountId();
    void missingAccountId_data();
    void missingAccountId();
    void emailVerified_data();
    void emailVerified();
    void profile();
    void httpErrors();
};

void TestOAuth2User::accountId_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sub") << QString() << QByteArray(R"({"sub":"u-1","id":7})") << u"u-1"_s;
    QTest::newRow("id, a number") << QString() << QByteArray(R"({"id":123456789012})")
                                  << u"123456789012"_s;
    QTest::newRow("id, a string") << QString() << QByteArray(R"({"id":"abc"})") << u"abc"_s;
    QTest::newRow("configured field")
            << u"user_id"_s << QByteArray(R"({"sub":"x","user_id":42})") << u"42"_s;
}

void TestOAuth2User::accountId()
{
    QFETCH(QString, field);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    const auto user = parse(body, forge(field));
    QVERIFY2(user.ok(), user.ok() ? "" : qPrintable(user.error().message));
    QCOMPARE(user->accountId, expected);
}

void TestOAuth2User::missingAccountId_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("none") << QString() << QByteArray(R"({"email":"a@example.com"})");
    QTest::newRow("empty sub") << QString() << QByteArray(R"({"sub":"","id":7})");
    QTest::newRow("fraction") << QString() << QByteArray(R"({"id":1.5})");
    QTest::newRow("object") << QString() << QByteArray(R"({"id":{"n":1}})");
    QTest::newRow("configured field absent") << u"user_id"_s << QByteArray(R"({"sub":"x"})");
}

void TestOAuth2User::missingAccountId()
{
    QFETCH(QString, field);
    QFETCH(QByteArray, body);
    const auto user = parse(body, forge(field));
    QVERIFY(!user.ok());
    QCOMPARE(user.error().code, ErrorCode::ProviderAccountIdMissing);
    QCOMPARE(user.error().subject, u"Forge"_s);
    QCOMPARE(user.error().reason, u"OAUTH2_MY_FORGE_ACCOUNT_ID"_s);
    QVERIFY(errorMessage(user.error()).contains(u"OAUTH2_MY_FORGE_ACCOUNT_ID"_s));
    QVERIFY(errorMessage(user.error()).contains(u"Forge"_s));
}

void TestOAuth2User::emailVerified_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("verified");
    QTest::newRow("true")
            << QByteArray(R"({"sub":"1","email":"Ann@Example.com","email_verified":true})") << true;
    QTest::newRow("false")
            << QByteArray(R"({"sub":"1","email":"ann@example.com","email_verified":false})")
            << false;
    QTest::newRow("absent") << QByteArray(R"({"sub":"1","email":"ann@example.com"})") << false;
    QTest::newRow("the string true")
            << QByteArray(R"({"sub":"1","email":"ann@example.com","email_verified":"true"})")
            << false;
}

void TestOAuth2User::emailVerified()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, verified);
    const auto user = parse(body);
    QVERIFY2(user.ok(), user.ok() ? "" : qPrintable(user.error().message));
    QCOMPARE(user->email, u"ann@example.com"_s); // canonical; stored either way
    QCOMPARE(user->emailVerified, verified);
}

void TestOAuth2User::profile()
{
    auto user = parse(R"({"id":5,"name":"Ann","avatar_url":"https://img.test/a.png"})");
    QVERIFY(user.ok());
    QCOMPARE(user->name, u"Ann"_s);
    QCOMPARE(user->picture, u"https://img.test/a.png"_s);
    QVERIFY(user->email.isEmpty());
    user = parse(R"({"id":5,"picture":"javascript:void","email":"not an address",
                     "email_verified":true})");
    QVERIFY(user.ok());
    QVERIFY(user->picture.isEmpty());
    QVERIFY(user->email.isEmpty());
    QVERIFY(!user->emailVerified);
}

void TestOAuth2User::httpErrors()
{
    auto user = OAuth2User::parse(401, "application/json", "{}", forge());
    QVERIFY(!user.ok());
    QCOMPARE(user.error().kind, ErrorKind::OAuthToken);
    user = OAuth2User::parse(503, "text/html", "down", forge());
    QVERIFY(!user.ok());
    QCOMPARE(user.error().kind, ErrorKind::Network);
    user = parse(R"({"sub":"1","sub":"2"})"); // duplicate members
    QVERIFY(!user.ok());
    QCOMPARE(user.error().kind, ErrorKind::Protocol);
}

QTEST_GUILESS_MAIN(TestOAuth2User)
#include "tst_oauth2user.moc"
