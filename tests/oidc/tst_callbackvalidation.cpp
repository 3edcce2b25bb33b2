#include "core/digest.h"
#include "oidc/callbackvalidation.h"
#include "oidc/pendingauthorization.h"

#include <QTest>

using namespace latchkey;
using namespace latchkey::oidc;

Q_DECLARE_METATYPE(latchkey::ErrorKind)

namespace {
const QString kState = QStringLiteral("good-state-0123456789abcdefghijklmnopqrstuvw");
const QString kIssuer = QStringLiteral("http://127.0.0.1:3000");

PendingAuthorization flow()
{
    PendingAuthorization pending;
    pending.providerId = QStringLiteral("test");
    pending.issuer = kIssuer;
    pending.clientId = QStringLiteral("latchkey-public");
    pending.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:4711/callback/test"));
    pending.redirectPath = QStringLiteral("/callback/test");
    pending.state = kState;
    pending.nonce = QStringLiteral("n");
    pending.codeVerifier = QStringLiteral("v");
    return pending;
}

QPair<QString, QString> p(const char *name, const QString &value)
{
    return {QString::fromLatin1(name), value};
}
} // namespace

class TestCallbackValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validate_data();
    void validate();
    void unknownIssuerIsNotCompared();
    void constantTimeEquals();
};

void TestCallbackValidation::validate_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<CallbackQuery>("query");
    QTest::addColumn<bool>("issRequired");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("result"); // the code when ok, else the error code

    const QString path = QStringLiteral("/callback/test");
    const QString code = QStringLiteral("4/0Ab+c%2Fd");
    const auto state = p("state", kState);
    const auto iss = p("iss", kIssuer);
    const auto c = p("code", code);
    const ErrorKind none = ErrorKind::Protocol;

    QTest::newRow("valid with iss")
            << path << CallbackQuery{c, state, iss} << true << true << none << code;
    QTest::newRow("valid without iss, not advertised")
            << path << CallbackQuery{c, state} << false << true << none << code;
    QTest::newRow("extra unknown params ok")
            << path
            << CallbackQuery{c, state, iss, p("session_state", QStringLiteral("x")),
                             p("authuser", QStringLiteral("0"))}
            << true << true << none << code;
    QTest::newRow("wrong path") << QStringLiteral("/callback/other") << CallbackQuery{c, state, iss}
                                << true << false << ErrorKind::Protocol
                                << QStringLiteral("wrong_path");
    QTest::newRow("path with trailing slash")
            << QStringLiteral("/callback/test/") << CallbackQuery{c, state, iss} << true << false
            << ErrorKind::Protocol << QStringLiteral("wrong_path");
    QTest::newRow("wrong path beats bad state")
            << QStringLiteral("/") << CallbackQuery{c} << true << false << ErrorKind::Protocol
            << QStringLiteral("wrong_path");
    QTest::newRow("duplicate state")
            << path << CallbackQuery{c, state, iss, state} << true << false << ErrorKind::Protocol
            << QStringLiteral("duplicate_parameter");
    QTest::newRow("duplicate code")
            << path << CallbackQuery{c, state, iss, p("code", QStringLiteral("other"))} << true
            << false << ErrorKind::Protocol << QStringLiteral("duplicate_parameter");
    QTest::newRow("duplicate iss") << path << CallbackQuery{c, state, iss, iss} << true << false
                                   << ErrorKind::Protocol << QStringLiteral("duplicate_parameter");
    QTest::newRow("duplicate beats wrong state")
            << path << CallbackQuery{c, c, p("state", QStringLiteral("bad"))} << true << false
            << ErrorKind::Protocol << QStringLiteral("duplicate_parameter");
    QTest::newRow("missing state") << path << CallbackQuery{c, iss} << true << false
                                   << ErrorKind::Protocol << QStringLiteral("state_mismatch");
    QTest::newRow("wrong state") << path
                                 << CallbackQuery{c, p("state", QStringLiteral("forged")), iss}
                                 << true << false << ErrorKind::Protocol
                                 << QStringLiteral("state_mismatch");
    QTest::newRow("state prefix") << path << CallbackQuery{c, p("state", kState.chopped(1)), iss}
                                  << true << false << ErrorKind::Protocol
                                  << QStringLiteral("state_mismatch");
    QTest::newRow("empty state") << path << CallbackQuery{c, p("state", QString()), iss} << true
                                 << false << ErrorKind::Protocol
                                 << QStringLiteral("state_mismatch");
    QTest::newRow("iss missing when advertised")
            << path << CallbackQuery{c, state} << true << false << ErrorKind::Protocol
            << QStringLiteral("iss_missing");
    QTest::newRow("iss wrong") << path
                               << CallbackQuery{c, state,
                                                p("iss", QStringLiteral("http://127.0.0.1:3001"))}
                               << false << false << ErrorKind::Protocol
                               << QStringLiteral("iss_mismatch");
    QTest::newRow("iss with trailing slash")
            << path << CallbackQuery{c, state, p("iss", kIssuer + u'/')} << true << false
            << ErrorKind::Protocol << QStringLiteral("iss_mismatch");
    QTest::newRow("iss wrong beats error")
            << path
            << CallbackQuery{p("error", QStringLiteral("access_denied")), state,
                             p("iss", QStringLiteral("https://evil.example"))}
            << true << false << ErrorKind::Protocol << QStringLiteral("iss_mismatch");
    QTest::newRow("access_denied with wrong state: state error wins")
            << path
            << CallbackQuery{p("error", QStringLiteral("access_denied")),
                             p("state", QStringLiteral("forged")), iss}
            << true << false << ErrorKind::Protocol << QStringLiteral("state_mismatch");
    QTest::newRow("access_denied with right state")
            << path << CallbackQuery{p("error", QStringLiteral("access_denied")), state, iss}
            << true << false << ErrorKind::OAuthAuthorization << QStringLiteral("access_denied");
    QTest::newRow("other error with description")
            << path
            << CallbackQuery{p("error", QStringLiteral("invalid_scope")),
                             p("error_description", QStringLiteral("bad scope")), state, iss}
            << true << false << ErrorKind::OAuthAuthorization << QStringLiteral("invalid_scope");
    QTest::newRow("error wins over code")
            << path << CallbackQuery{p("error", QStringLiteral("server_error")), c, state, iss}
            << true << false << ErrorKind::OAuthAuthorization << QStringLiteral("server_error");
    QTest::newRow("code missing") << path << CallbackQuery{state, iss} << true << false
                                  << ErrorKind::Protocol << QStringLiteral("code_missing");
    QTest::newRow("code empty") << path << CallbackQuery{p("code", QString()), state, iss} << true
                                << false << ErrorKind::Protocol << QStringLiteral("code_missing");
}

void TestCallbackValidation::validate()
{
    QFETCH(QString, path);
    QFETCH(CallbackQuery, query);
    QFETCH(bool, issRequired);
    QFETCH(bool, ok);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, result);

    const Result<QString> code = validateCallback(
            path, query, flow(), issRequired ? IssuerCheck::Required : IssuerCheck::IfPresent);
    QCOMPARE(code.ok(), ok);
    if (ok) {
        QCOMPARE(code.value(), result); // returned exactly, not decoded again
        return;
    }
    QCOMPARE(code.error().kind, kind);
    QCOMPARE(code.error().reason, result);
    QVERIFY(!code.error().message.isEmpty());
    QVERIFY(!code.error().message.contains(kState)); // never echo secrets
    if (result == u"access_denied")
        QVERIFY(code.error().message.startsWith(
                QStringLiteral("You cancelled sign-in at the provider")));
}

void TestCallbackValidation::unknownIssuerIsNotCompared()
{
    // A plain OAuth 2.0 provider's real issuer is not known: an `iss` naming it is no mix-up.
    const CallbackQuery query{p("code", QStringLiteral("c")), p("state", kState),
                              p("iss", QStringLiteral("https://auth.example/realms/x"))};
    const auto path = QStringLiteral("/callback/test");
    QCOMPARE(validateCallback(path, query, flow(), IssuerCheck::IfPresent).error().reason,
             QStringLiteral("iss_mismatch"));
    const auto code = validateCallback(path, query, flow(), IssuerCheck::Unknown);
    QVERIFY(code.ok());
    QCOMPARE(code.value(), QStringLiteral("c"));
    // Everything else still holds: the state binds the answer to this flow.
    const CallbackQuery forged{p("code", QStringLiteral("c")), p("state", QStringLiteral("x"))};
    QCOMPARE(validateCallback(path, forged, flow(), IssuerCheck::Unknown).error().reason,
             QStringLiteral("state_mismatch"));
}

void TestCallbackValidation::constantTimeEquals()
{
    QVERIFY(latchkey::constantTimeEquals(kState, kState));
    QVERIFY(!latchkey::constantTimeEquals(kState, kState.chopped(1) + u'x'));
    QVERIFY(!latchkey::constantTimeEquals(kState, kState + u'x'));
    QVERIFY(latchkey::constantTimeEquals(QString(), QString()));
}

QTEST_GUILESS_MAIN(TestCallbackValidation)
#include "tst_callbackvalidation.moc"
