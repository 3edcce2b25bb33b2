// The provider tokens of a sign-in are written after the session (docs/architecture.md, "OpenID
// Connect sign-in"): latchkey::Client over fakes (clock, keychain that logs its writes, mailer),
// real SQLite and a canned OAuth 2.0 provider on 127.0.0.1, with the app window on top for the
// banner. The order of the writes, a restart that uses the tokens, and a write that fails.
#include "auth/clientadapters.h"
#include "fakebrowser.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "keychain/secretkeys.h"
#include "oidc/tst_flow_httpserver.h"
#include "widgets/banner.h"
#include "widgets/mainwindow.h"

#include <latchkey/client.h>

#include <QApplication>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

// The keychain writes of sessions and provider tokens (not the install secret), oldest first.
QStringList tokenWrites(const FakeSecretStore &keychain)
{
    QStringList writes;
    for (const QString &key : keychain.writtenKeys()) {
        if (key.startsWith(u"session/") || key.startsWith(u"tok/"))
            writes.append(key);
    }
    return writes;
}

QString bannerNotice(QWidget &window)
{
    QWidget *row = window.findChild<gui::Banner *>()->row(u"notice"_s);
    const auto labels =
            row ? row->findChildren<QLabel *>(QRegularExpression(u"Text$"_s)) : QList<QLabel *>();
    return labels.size() == 1 ? labels.first()->text() : QString();
}

} // namespace

class TestProviderTokensAfterSignIn : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void writtenAfterSignedInAndUsableAfterARestart();
    void aFailedWriteIsToldAndTheSessionStays();

private:
    std::unique_ptr<Client> makeClient();
    /// signIn("forge") answered by the canned provider; the terminal result.
    Result<Session> signInAtProvider(Client &client);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CannedHttpServer> m_provider;
    FakeBrowser m_browser;
    FakeSecretStore *m_keychain = nullptr;
};

void TestProviderTokensAfterSignIn::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_provider = std::make_unique<CannedHttpServer>();
    QVERIFY(m_provider->listen());
}

void TestProviderTokensAfterSignIn::cleanup()
{
    m_provider.reset();
    m_dir.reset();
}

std::unique_ptr<Client> TestProviderTokensAfterSignIn::makeClient()
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    options.allowHttpLoopbackIssuer = true;
    options.providers = {presets::oauth2(u"forge"_s, m_provider->url(u"/auth"_s),
                                         m_provider->url(u"/token"_s), m_provider->url(u"/me"_s),
                                         u"app"_s)};
    auto adapters = std::make_unique<ClientAdapters>();
    auto keychain = std::make_unique<FakeSecretStore>();
    m_keychain = keychain.get();
    adapters->clock = std::make_unique<FakeClock>();
    adapters->keychain = std::move(keychain);
    adapters->mailer = std::make_unique<FakeMailer>();
    auto client = std::make_unique<Client>(options, std::move(adapters));
    client->setBrowserLauncher(&m_browser);
    return client;
}

Result<Session> TestProviderTokensAfterSignIn::signInAtProvider(Client &client)
{
    QSignalSpy finished(&client, &Client::signInFinished);
    const qsizetype opened = m_browser.opened().size();
    client.signIn(u"forge"_s);
    if (!QTest::qWaitFor([&]() { return m_browser.opened().size() > opened; }, kWaitMs))
        return Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut, u"no browser"_s);
    const QUrlQuery query(m_browser.opened().last());
    m_provider->enqueue(200, R"({"access_token":"at-1","refresh_token":"rt-1",
        "token_type":"Bearer","expires_in":3600})");
    m_provider->enqueue(200, R"({"sub":"forge-7","name":"Ivy"})");
    QUrl back(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded));
    back.setQuery(u"code=c&state=%1"_s.arg(query.queryItemValue(u"state"_s)));
    QNetworkAccessManager http;
    http.setProxy(QNetworkProxy::NoProxy);
    std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(back)));
    if (!finished.wait(kWaitMs))
        return Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut, u"not finished"_s);
    return *static_cast<const Result<Session> *>(finished.first().first().constData());
}

void TestProviderTokensAfterSignIn::writtenAfterSignedInAndUsableAfterARestart()
{
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QStringList writesAtSignedIn;
    connect(client.get(), &Client::stateChanged, this, [&](Client::State state) {
        if (state == Client::State::SignedIn)
            writesAtSignedIn = tokenWrites(*m_keychain);
    });
    QSignalSpy notSaved(client.get(), &Client::providerTokensNotSaved);

    const Result<Session> session = signInAtProvider(*client);
    QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().message));
    const QString sessionKey = secretkeys::sessionToken(session->user.id);
    const QString accountId = QString::number(session->accounts.first().id);
    const QString accessKey =
            secretkeys::providerToken(u"forge"_s, accountId, secretkeys::TokenPurpose::Access);
    const QString refreshKey =
            secretkeys::providerToken(u"forge"_s, accountId, secretkeys::TokenPurpose::Refresh);
    // SignedIn came with the session token alone in the keychain; the provider's followed.
    QCOMPARE(writesAtSignedIn, QStringList{sessionKey});
    QTRY_COMPARE_WITH_TIMEOUT(tokenWrites(*m_keychain),
                              (QStringList{sessionKey, accessKey, refreshKey}), kWaitMs);
    QCOMPARE(notSaved.count(), 0);

    // The command line's wait before it exits covers those writes; then the app restarts over
    // the same database and keychain entries.
    bool idle = false;
    client->whenIdle(this, [&idle]() { idle = true; });
    QTRY_VERIFY_WITH_TIMEOUT(idle, kWaitMs);
    QHash<QString, QByteArray> entries;
    for (const QString &key : m_keychain->keys())
        entries.insert(key, m_keychain->value(key));
    client.reset();
    client = makeClient();
    for (auto it = entries.cbegin(); it != entries.cend(); ++it)
        m_keychain->seed(it.key(), it.value());
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedIn, kWaitMs);

    // The stored access token, without signing in again and without asking the provider.
    std::optional<Result<AccessToken>> token;
    client->withFreshAccessToken(u"forge"_s, this,
                                 [&token](const Result<AccessToken> &t) { token = t; });
    QTRY_VERIFY_WITH_TIMEOUT(token.has_value(), kWaitMs);
    QVERIFY2(token->ok(), token->ok() ? "" : qPrintable(token->error().message));
    QCOMPARE(token->value().token, u"at-1"_s);
}

void TestProviderTokensAfterSignIn::aFailedWriteIsToldAndTheSessionStays()
{
    auto client = makeClient();
    gui::MainWindow window(*client);
    client->setBrowserLauncher(&m_browser); // the window installs the desktop's
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    // The session token is in; the next write (the access token) is refused by the keychain for
    // this entry alone (a whole keychain failing moves the run to memory instead).
    connect(client.get(), &Client::stateChanged, this, [this](Client::State state) {
        if (state == Client::State::SignedIn)
            m_keychain->failNextWrite(Error::make(ErrorKind::InvalidInput, ErrorCode::Unspecified,
                                                  u"The entry was refused."_s));
    });
    QSignalSpy notSaved(client.get(), &Client::providerTokensNotSaved);

    const Result<Session> session = signInAtProvider(*client);
    QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().message));
    QTRY_COMPARE_WITH_TIMEOUT(notSaved.count(), 1, kWaitMs);
    QCOMPARE(notSaved.first().at(0).toString(), u"forge"_s);
    QCOMPARE(notSaved.first().at(1).value<Error>().kind, ErrorKind::InvalidInput);
    QCOMPARE(client->state(), Client::State::SignedIn);
    QVERIFY(client->validSession().ok());
    const QString notice = bannerNotice(window);
    QVERIFY2(notice.contains(u"could not save"_s) && notice.contains(u"Sign in with"_s),
             qPrintable(notice));

    // Nothing usable was kept: the provider cannot be called until the person signs in again.
    std::optional<Result<AccessToken>> token;
    client->withFreshAccessToken(u"forge"_s, this,
                                 [&token](const Result<AccessToken> &t) { token = t; });
    QTRY_VERIFY_WITH_TIMEOUT(token.has_value(), kWaitMs);
    QVERIFY(!token->ok());
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestProviderTokensAfterSignIn)
#include "tst_provider_tokens_after_signin.moc"
