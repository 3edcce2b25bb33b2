#include "auth/emailsigninflow.h"
#include "keychain/keychainpolicy.h"

#include "auth/accountlinker.h"
#include "auth/authservice.h"
#include "email/verificationservice.h"
#include "emailtest.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "net/staticpage.h"
#include "session/sessionmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;
const QString kAlice = u"alice@example.com"_s;

// What the browser saw when it opened a URL.
struct Opened
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
};

// What the sign-in email offered.
struct Offer
{
    QUrl link;
    QString token;
    QString code;
};

// The FakeClock starts at the real time: the flow's expiry timer uses the wall clock, the
// VerificationService the injected clock.
// Rows this connection has inserted, updated or deleted since it was opened (SQLite's
// total_changes()): equal before and after means nothing was written.
int writesSoFar(Database &db)
{
    auto query = db.run(u"SELECT total_changes()"_s, {}, u"count the writes"_s);
    if (!query.ok() || !query.value().next())
        return -1;
    return query.value().value(0).toInt();
}

QDateTime wholeSecondNow()
{
    return QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
}

// The Result a finished() signal carried (Result has no default constructor, so no
// QVariant::value()).
const Result<Session> &resultAt(const QSignalSpy &spy, qsizetype index = 0)
{
    return *static_cast<const Result<Session> *>(spy.at(index).at(0).constData());
}

} // namespace

class TestEmailSignInFlow : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void linkSignsIn();
    void linkPageWaitsForTheSession();
    void linkPageSaysWhenTheSignInDidNotComplete();
    void typedCodeSignsIn();
    void wrongCodeIsRejectedWithTriesLeft();
    void refusedLinks_data();
    void refusedLinks();
    void mailerFailureLeavesNothingBehind();
    void hostileAddressesNeverReachTheMailer_data();
    void hostileAddressesNeverReachTheMailer();
    void cancelEndsTheFlowAndTheLink();
    void foreignLinkTouchesNothing_data();
    void foreignLinkTouchesNothing();
    void manyBogusLinksThenTheRealLinkSignsIn();
    void anEmailStillValidIsTakenUpAfterARestart();

private:
    std::unique_ptr<EmailSignInFlow> startFlow();
    Offer offerOf(const MailMessage &message);
    Opened open(const QUrl &url);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<VerificationService> m_verification;
    std::unique_ptr<FakeMailer> m_mailer;
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<FakeSecretStore> m_keychain;
    std::unique_ptr<FakeSecretStore> m_memory;
    std::unique_ptr<KeychainPolicy> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestEmailSignInFlow::init()
{
    m_db = openFreshDatabase(m_dir);
    QVERIFY(m_db);
    m_clock = std::make_unique<FakeClock>(wholeSecondNow());
    m_verification = std::make_unique<VerificationService>(*m_db, *m_clock, QByteArray(32, 's'));
    m_mailer = std::make_unique<FakeMailer>();
    m_linker = std::make_unique<AccountLinker>(*m_db, *m_clock);
    m_keychain = std::make_unique<FakeSecretStore>();
    m_memory = std::make_unique<FakeSecretStore>();
    m_secrets = std::make_unique<KeychainPolicy>(*m_keychain, *m_memory);
    m_sessions = std::make_unique<SessionManager>(*m_db, *m_secrets, *m_clock, SessionPolicy{});
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy); // straight to 127.0.0.1, whatever the env says
}

void TestEmailSignInFlow::cleanup()
{
    m_network.reset();
    m_sessions.reset();
    m_memory.reset();
    m_keychain.reset();
    m_linker.reset();
    m_mailer.reset();
    m_verification.reset();
    m_db.reset();
}

std::unique_ptr<EmailSignInFlow> TestEmailSignInFlow::startFlow()
{
    EmailSignInDeps deps{*m_verification,
                         *m_mailer,
                         *m_linker,
                         *m_sessions,
                         MailAddress{u"no-reply@latchkey.test"_s, u"Latchkey"_s},
                         *m_clock};
    auto flow = std::make_unique<EmailSignInFlow>(deps, kAlice);
    flow->start();
    return flow;
}

Offer TestEmailSignInFlow::offerOf(const MailMessage &message)
{
    Offer offer;
    static const QRegularExpression link(
            u"(http://127\\.0\\.0\\.1:[0-9]+/callback/email\\?token=([A-Za-z0-9_-]{43})"
            u"&email=[^\\s]+)"_s);
    static const QRegularExpression code(u"^\\s+([0-9]{6})\\s*$"_s,
                                         QRegularExpression::MultilineOption);
    const auto linkMatch = link.match(message.textBody);
    const auto codeMatch = code.match(message.textBody);
    if (linkMatch.hasMatch()) {
        offer.link = QUrl(linkMatch.captured(1), QUrl::StrictMode);
        offer.token = linkMatch.captured(2);
    }
    if (codeMatch.hasMatch())
        offer.code = codeMatch.captured(1);
    return offer;
}

Opened TestEmailSignInFlow::open(const QUrl &url)
{
    Opened opened;
    std::unique_ptr<QNetworkReply> reply(m_network->get(QNetworkRequest(url)));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, kWaitMs)) {
        opened.error = QNetworkReply::TimeoutError;
        return opened;
    }
    opened.error = reply->error();
    opened.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    opened.body = reply->readAll();
    return opened;
}

void TestEmailSignInFlow::linkSignsIn()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy opened(flow.get(), &EmailSignInFlow::linkOpened);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    QCOMPARE(sent.first().first().toString(), kAlice);
    QCOMPARE(m_mailer->messages().size(), 1);
    const MailMessage &message = m_mailer->messages().first();
    QCOMPARE(message.to.address, kAlice);
    const Offer offer = offerOf(message);
    QVERIFY2(offer.link.isValid(), qPrintable(message.textBody));
    QVERIFY2(!offer.code.isEmpty(), qPrintable(message.textBody));
    QCOMPARE(offer.link.port(), int(flow->port()));
    QCOMPARE(QUrlQuery(offer.link).queryItemValue(u"email"_s, QUrl::FullyDecoded), kAlice);
    QCOMPARE(flow->expires(), m_clock->now().addSecs(600));

    const Opened page = open(offer.link);
    QCOMPARE(page.error, QNetworkReply::NoError);
    QCOMPARE(page.status, 200);
    QVERIFY(!page.body.contains(offer.token.toLatin1())); // nothing echoed
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(opened.count(), 1);
    const auto result = resultAt(finished);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->user.email, kAlice);
    QCOMPARE(m_sessions->state(), SessionState::SignedIn);
    QVERIFY(m_sessions->validSession().ok());
    QCOMPARE(flow->port(), quint16(0));

    // The same link again: the listener is closed (or at least it signs nobody in).
    const Opened again = open(offer.link);
    QVERIFY(again.status != 200);
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(rowCount(*m_db, u"sessions"_s), 1);
}

void TestEmailSignInFlow::linkPageWaitsForTheSession()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy opened(flow.get(), &EmailSignInFlow::linkOpened);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(offer.link.isValid());

    // The session token's keychain write is slow to answer (a keychain prompt, a busy daemon).
    m_keychain->holdWrites();
    std::unique_ptr<QNetworkReply> reply(m_network->get(QNetworkRequest(offer.link)));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWaitMs); // the link was accepted...
    QTest::qWait(300);
    // ...but the tab says nothing until the session exists.
    QVERIFY2(!reply->isFinished(), "the browser was answered before the session existed");
    QCOMPARE(finished.count(), 0);
    QVERIFY(m_sessions->state() != SessionState::SignedIn);

    m_keychain->releaseWrites();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(finished.count(), 1);
    QVERIFY(resultAt(finished).ok());
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("<h1>Signed in</h1>"));
}

void TestEmailSignInFlow::linkPageSaysWhenTheSignInDidNotComplete()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(offer.link.isValid());

    // The link is good, but the session row cannot be written.
    QVERIFY(m_db->run(u"CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions "
                      u"BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"_s,
                      {}, u"arm trigger"_s)
                    .ok());
    const Opened page = open(offer.link);
    QCOMPARE(page.status, 400);
    QVERIFY2(page.body.contains("<h1>Sign-in did not complete</h1>"), page.body.constData());
    QVERIFY(!page.body.contains("Signed in"));
    QVERIFY(!page.body.contains("refused by the test")); // no details for the browser
    QCOMPARE(finished.count(), 1);
    QVERIFY(!resultAt(finished).ok());
    QVERIFY(m_sessions->state() != SessionState::SignedIn);
}

void TestEmailSignInFlow::typedCodeSignsIn()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(!offer.code.isEmpty());
    flow->submitCode(u" "_s + offer.code + u" "_s); // pasted with spaces
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    const auto result = resultAt(finished);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->user.email, kAlice);
    QCOMPARE(flow->port(), quint16(0));
    // The link of the same email is now useless.
    QVERIFY(open(offer.link).status != 200);
    QCOMPARE(finished.count(), 1);
}

void TestEmailSignInFlow::wrongCodeIsRejectedWithTriesLeft()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy rejected(flow.get(), &EmailSignInFlow::codeRejected);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    const QString wrong =
            QStringLiteral("%1").arg((offer.code.toInt() + 1) % 1000000, 6, 10, QLatin1Char('0'));
    flow->submitCode(wrong);
    QCOMPARE(rejected.count(), 1);
    const auto error = rejected.first().first().value<Error>();
    QCOMPARE(error.kind, ErrorKind::InvalidInput);
    QVERIFY2(error.message.contains(u"4 tries left"_s), qPrintable(error.message));
    QCOMPARE(finished.count(), 0);
    // The flow goes on: the right code still works.
    flow->submitCode(offer.code);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY(resultAt(finished).ok());
}

void TestEmailSignInFlow::refusedLinks_data()
{
    // {token} and {email} are replaced with the real values from the email.
    QTest::addColumn<QString>("query");
    QTest::addColumn<qint64>("advance");
    QTest::addColumn<bool>("rejectedSignal");
    QTest::addColumn<bool>("ends");
    QTest::newRow("expired") << u"token={token}&email={email}"_s << qint64(600) << true << true;
    QTest::newRow("another email")
            << u"token={token}&email=mallory%40example.com"_s << qint64(0) << true << false;
    QTest::newRow("another email, other case")
            << u"token={token}&email=ALICE%40example.org"_s << qint64(0) << true << false;
    QTest::newRow("bogus token")
            << u"token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&email={email}"_s << qint64(0)
            << true << false;
    QTest::newRow("duplicated token")
            << u"token={token}&token={token}&email={email}"_s << qint64(0) << false << false;
    QTest::newRow("duplicated email")
            << u"token={token}&email={email}&email={email}"_s << qint64(0) << false << false;
    QTest::newRow("no email") << u"token={token}"_s << qint64(0) << false << false;
    QTest::newRow("no token") << u"email={email}"_s << qint64(0) << false << false;
    QTest::newRow("hostile email") << u"token={token}&email=alice%40example.com%0d%0aBcc:x"_s
                                   << qint64(0) << false << false;
}

void TestEmailSignInFlow::refusedLinks()
{
    QFETCH(QString, query);
    QFETCH(qint64, advance);
    QFETCH(bool, rejectedSignal);
    QFETCH(bool, ends);
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy rejected(flow.get(), &EmailSignInFlow::linkRejected);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(offer.link.isValid());

    m_clock->advance(advance);
    QUrl bad = offer.link;
    bad.setQuery(QString(query)
                         .replace(u"{token}"_s, offer.token)
                         .replace(u"{email}"_s, u"alice%40example.com"_s),
                 QUrl::StrictMode);
    const Opened page = open(bad);
    QCOMPARE(page.status, 400);
    QTest::qWait(50); // signals are queued after the response
    QCOMPARE(rejected.count(), rejectedSignal ? 1 : 0);
    QCOMPARE(finished.count(), ends ? 1 : 0);
    QCOMPARE(m_sessions->state() == SessionState::SignedIn, false);
    if (ends) {
        QVERIFY(!resultAt(finished).ok());
        return;
    }
    // Refused without spoiling the real link.
    QCOMPARE(open(offer.link).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY(resultAt(finished).ok());
}

void TestEmailSignInFlow::mailerFailureLeavesNothingBehind()
{
    const Error refused = Error::make(ErrorKind::Mail,
                                      u"The mail server refused the message (550). Check "
                                      u"EMAIL_SERVER."_s);
    m_mailer->failNext(refused);
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(sent.count(), 0);
    const auto result = resultAt(finished);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Mail);
    QCOMPARE(result.error().message, refused.message);
    QCOMPARE(m_mailer->attempts().size(), 1);
    QCOMPARE(flow->port(), quint16(0));
    QCOMPARE(rowCount(*m_db, u"users"_s), 0);
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 0);
    QCOMPARE(rowCount(*m_db, u"email_send_log"_s), 0);
    // The user may retry at once.
    QCOMPARE(m_verification->resendWaitSecs(kAlice), 0);
}

void TestEmailSignInFlow::hostileAddressesNeverReachTheMailer_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("plain (control)") << u"Alice@Example.com"_s << true;
    QTest::newRow("comma") << u"alice@example.com,mallory@evil.example"_s << false;
    QTest::newRow("CRLF header injection")
            << u"alice@example.com\r\nBcc: mallory@evil.example"_s << false;
    QTest::newRow("LF") << u"alice@example.com\nmallory@evil.example"_s << false;
    QTest::newRow("fullwidth at") << u"alice\uFF20example.com"_s << false;
    QTest::newRow("quoted local part") << u"\"alice\"@example.com"_s << false;
    QTest::newRow("quote with at") << u"\"mallory@evil.example\"@example.com"_s << false;
    QTest::newRow("angle brackets") << u"Alice <alice@example.com>"_s << false;
    QTest::newRow("two ats") << u"alice@evil.example@example.com"_s << false;
    QTest::newRow("semicolon") << u"alice@example.com;mallory@evil.example"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestEmailSignInFlow::hostileAddressesNeverReachTheMailer()
{
    QFETCH(QString, address);
    QFETCH(bool, accepted);
    Config config;
    config.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    AuthService auth(config, *m_db, *m_secrets, *m_mailer, *m_clock);
    bool ready = false;
    auth.initialize(this, [] {});
    auth.whenEmailReady(this, [&ready] { ready = true; }); // the install secret keys the code
    QTRY_VERIFY_WITH_TIMEOUT(ready, kWaitMs);

    auto created = auth.createEmailSignIn(address, this);
    QCOMPARE(created.ok(), accepted);
    if (!accepted) {
        QCOMPARE(created.error().kind, ErrorKind::InvalidInput);
        QVERIFY(!created.error().message.isEmpty());
    } else {
        std::unique_ptr<EmailSignInFlow> flow(created.value());
        QCOMPARE(flow->address(), kAlice);
        QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
        flow->start();
        QVERIFY(sent.wait(kWaitMs));
        QCOMPARE(m_mailer->attempts().first().to.address, kAlice);
    }
    QCOMPARE(m_mailer->attempts().size(), accepted ? 1 : 0);
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), accepted ? 1 : 0);
}

void TestEmailSignInFlow::cancelEndsTheFlowAndTheLink()
{
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(flow->port() != 0);

    flow->cancel();
    QCOMPARE(finished.count(), 1);
    const auto result = resultAt(finished);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
    QCOMPARE(flow->port(), quint16(0));
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 0);

    const Opened page = open(offer.link);
    QVERIFY(page.status != 200);
    flow->submitCode(offer.code);
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!m_sessions->validSession().ok());
    // The code is void in the database too, not only in this flow.
    QVERIFY(!m_verification->redeemCode(kAlice, offer.code).ok());
}

void TestEmailSignInFlow::foreignLinkTouchesNothing_data()
{
    // {token} is the real token of the pending sign-in, {other} the token of another pending
    // sign-in (Bob's, sent from this database too).
    QTest::addColumn<QString>("query");
    QTest::newRow("real token, another address") << u"token={token}&email=mallory%40example.com"_s;
    QTest::newRow("another request's token and address")
            << u"token={other}&email=bob%40example.com"_s;
    QTest::newRow("another request's token, this address")
            << u"token={other}&email=alice%40example.com"_s;
    QTest::newRow("made-up token, this address")
            << u"token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&email=alice%40example.com"_s;
    QTest::newRow("made-up token, another address")
            << u"token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&email=mallory%40example.com"_s;
}

void TestEmailSignInFlow::foreignLinkTouchesNothing()
{
    // docs/security.md: a link belongs to one sign-in. Any other link (a web page can send one to
    // the listener) gets a neutral page, writes nothing and ends nothing.
    QFETCH(QString, query);
    const auto bob = m_verification->issue(u"bob@example.com"_s);
    QVERIFY(bob.ok());
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    QVERIFY(offer.link.isValid());

    const int writes = writesSoFar(*m_db);
    QVERIFY(writes > 0);
    QUrl foreign = offer.link;
    foreign.setQuery(
            QString(query).replace(u"{token}"_s, offer.token).replace(u"{other}"_s, bob->token),
            QUrl::StrictMode);
    const Opened page = open(foreign);
    QTest::qWait(50); // signals are queued after the response
    QCOMPARE(writesSoFar(*m_db), writes);
    QCOMPARE(rowCount(*m_db, u"email_failures"_s), 0);
    QCOMPARE(rowCount(*m_db, u"verification_tokens"_s), 2);
    QCOMPARE(finished.count(), 0);
    // A neutral page that names neither the address nor the check that failed.
    QCOMPARE(page.status, 400);
    QCOMPARE(page.body, StaticPage::linkNotAccepted().toHtml());
    QVERIFY(!page.body.contains("mallory"));
    QVERIFY(!page.body.contains("bob"));

    // The sign-in still waits for its own link, and Bob's request is intact too.
    QCOMPARE(open(offer.link).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY(resultAt(finished).ok());
    QCOMPARE(resultAt(finished)->user.email, kAlice);
    QVERIFY(m_verification->redeemCode(u"bob@example.com"_s, bob->code).ok());
}

void TestEmailSignInFlow::manyBogusLinksThenTheRealLinkSignsIn()
{
    // A local web page that found the port cannot lock the address or end the sign-in.
    auto flow = startFlow();
    QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    QVERIFY(sent.wait(kWaitMs));
    const Offer offer = offerOf(m_mailer->messages().first());
    const int writes = writesSoFar(*m_db);
    for (int i = 0; i < 200; ++i) {
        QUrl bogus = offer.link;
        bogus.setQuery(u"token=%1&email=alice%40example.com"_s.arg(
                               QString::number(i).rightJustified(43, u'B')),
                       QUrl::StrictMode);
        QCOMPARE(open(bogus).status, 400);
    }
    QCOMPARE(writesSoFar(*m_db), writes);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(open(offer.link).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    const auto result = resultAt(finished);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->user.email, kAlice);
}

void TestEmailSignInFlow::anEmailStillValidIsTakenUpAfterARestart()
{
    Config config;
    config.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    // Begins an email sign-in as Client does; null when it did not reach "sent".
    auto begin = [this](AuthService &auth,
                        const QString &address) -> std::unique_ptr<EmailSignInFlow> {
        bool ready = false;
        auth.whenEmailReady(this, [&ready] { ready = true; }); // the install secret keys the code
        if (!QTest::qWaitFor([&ready] { return ready; }, kWaitMs))
            return nullptr;
        auto created = auth.createEmailSignIn(address, this);
        if (!created)
            return nullptr;
        std::unique_ptr<EmailSignInFlow> flow(created.value());
        QSignalSpy sent(flow.get(), &EmailSignInFlow::sent);
        auth.beginEmailSignIn(*flow);
        return sent.wait(kWaitMs) ? std::move(flow) : nullptr;
    };
    Offer offer;
    {
        // The first run sends the email and is killed while it waits (nothing is cancelled).
        AuthService auth(config, *m_db, *m_secrets, *m_mailer, *m_clock);
        auth.initialize(this, [] {});
        auto flow = begin(auth, kAlice);
        QVERIFY(flow);
        offer = offerOf(m_mailer->messages().first());
    }
    m_clock->advance(90); // past the time a second email would be refused as too soon
    AuthService auth(config, *m_db, *m_secrets, *m_mailer, *m_clock);
    auth.initialize(this, [] {});
    auto flow = begin(auth, kAlice);
    QVERIFY(flow);
    QCOMPARE(m_mailer->messages().size(), 1); // the person has that email: no second one
    QSignalSpy finished(flow.get(), &EmailSignInFlow::finished);
    flow->submitCode(offer.code);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY(resultAt(finished).ok());
    // Another address gets its own email.
    QVERIFY(begin(auth, u"bob@example.com"_s));
    QCOMPARE(m_mailer->messages().size(), 2);
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestEmailSignInFlow)
#include "tst_emailsigninflow.moc"
