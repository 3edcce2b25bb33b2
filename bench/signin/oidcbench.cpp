#include "oidcbench.h"

#include "auth/oidcsigninflow.h"
#include "benchsupport.h"
#include "oidc/discoverycache.h"
#include "oidc/josefetcher.h"
#include "oidcphases.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QStackedWidget>

using namespace Qt::StringLiterals;

namespace latchkey::bench {

namespace {

constexpr int kStepMs = 10000;
constexpr int kBrowserMs = 30000; // xdg-open + node + chromium + login + consent
constexpr int kBrowserExitSettleMs = 300;
const QString kScenario = u"oidc"_s;
const QString kClientId = u"latchkey-public"_s;

/// How many pages the harness browser finished loading so far: browser.mjs prints one JSON line
/// (`{"path":…,"status":…}`) per URL into browser-openurl.log.
int browserResults()
{
    QFile log(harnessValue("LATCHKEY_TEST_LOG_DIR") + u"/browser-openurl.log"_s);
    if (!log.open(QIODevice::ReadOnly))
        return 0;
    return int(log.readAll().count("{\"path\":"));
}

/// The tokens in a token endpoint response body (RFC 6749 §5.1), kept in memory only.
CapturedTokens captureTokens(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    CapturedTokens tokens;
    tokens.idToken = json.value(u"id_token"_s).toString().toLatin1();
    tokens.accessTokenSize = json.value(u"access_token"_s).toString().size();
    tokens.refreshTokenSize = json.value(u"refresh_token"_s).toString().size();
    return tokens;
}

QUrl withoutQuery(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace

OidcBench::OidcBench() : m_issuer(harnessValue("LATCHKEY_TEST_OIDC_ISSUER"))
{
    m_network.setProxy(QNetworkProxy::NoProxy);
}

void OidcBench::prepare()
{
    oidc::DiscoveryCache discovery(oidc::networkDocumentFetcher(&m_network), m_clock);
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = true; // the harness provider is http://127.0.0.1:<port>
    bool done = false;
    QObject guard;
    discovery.metadata(m_issuer, options, &guard,
                       [this, &done](const Result<oidc::ProviderMetadata> &metadata) {
                           if (!metadata)
                               fail(u"discovery: "_s + metadata.error().message);
                           m_metadata = metadata.value();
                           done = true;
                       });
    if (!waitFor([&done]() { return done; }, kStepMs))
        fail(u"discovery at %1 did not answer"_s.arg(m_issuer));
}

void OidcBench::runOnce(int run)
{
    RunHome home(u"oidc-%1"_s.arg(run));
    std::unique_ptr<Client> client = makeClient(home.options({
            u"LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"_s,
            u"OIDC_PROVIDERS=test"_s,
            u"OIDC_TEST_ISSUER="_s + m_issuer,
            u"OIDC_TEST_CLIENT_ID="_s + kClientId,
            u"OIDC_TEST_LABEL=Test ID"_s,
            u"OIDC_TEST_SCOPES=openid email profile offline_access"_s,
    }));
    QObject guard; // context object of every connection made here

    auto window = std::make_unique<gui::MainWindow>(*client);
    QWidget *signIn = openSignIn(*window);
    QStackedWidget *stack = mainStack(*window);

    Probe probe;
    qint64 switchedNs = kUnset;
    QObject::connect(
            stack, &QStackedWidget::currentChanged, &guard, [&probe, &switchedNs, stack](int) {
                if (auto *page = qobject_cast<gui::DashboardPage *>(stack->currentWidget())) {
                    switchedNs = nowNs();
                    probe.watchPaint(page);
                }
            });

    // The library's replies, seen on its own QNetworkAccessManager before its handlers run.
    // (AuthService is a child of the Client and owns the only QNetworkAccessManager under it.)
    auto *network = client->findChild<QNetworkAccessManager *>();
    if (!network)
        fail(u"the Client has no QNetworkAccessManager child to observe"_s);
    qint64 tokenNs = kUnset;
    qint64 jwksNs = kUnset;
    qint64 userinfoNs = kUnset;
    CapturedTokens tokens;
    QObject::connect(network, &QNetworkAccessManager::finished, &guard, [&](QNetworkReply *reply) {
        const qint64 at = nowNs();
        const QUrl url = withoutQuery(reply->url());
        if (url == withoutQuery(m_metadata.tokenEndpoint) && tokenNs == kUnset) {
            tokenNs = at;
            tokens = captureTokens(reply->peek(reply->bytesAvailable())); // peek: not consumed
        } else if (url == withoutQuery(m_metadata.jwksUri) && jwksNs == kUnset) {
            jwksNs = at;
        } else if (url == withoutQuery(m_metadata.userinfoEndpoint) && userinfoNs == kUnset) {
            userinfoNs = at;
        }
    });
    qint64 signedInNs = kUnset;
    QObject::connect(client.get(), &Client::stateChanged, &guard,
                     [&signedInNs](Client::State state) {
                         if (state == Client::State::SignedIn && signedInNs == kUnset)
                             signedInNs = nowNs();
                     });

    const int browserBefore = browserResults();
    probe.watchListener();
    auto *button = signIn->findChild<QPushButton *>(u"provider_test"_s);
    if (!button)
        fail(u"no \"Sign in with Test ID\" button"_s);
    button->click(); // Client::signIn (through SignInWidget) creates and starts the flow at once
    auto *flow = client->findChild<OidcSignInFlow *>();
    if (!flow)
        fail(u"no OIDC sign-in started"_s);
    qint64 callbackNs = kUnset;
    QObject::connect(flow, &OidcSignInFlow::callbackReceived, &guard,
                     [&callbackNs]() { callbackNs = nowNs(); });
    QObject::connect(flow, &OidcSignInFlow::finished, &guard, [](const Result<Session> &result) {
        if (!result)
            fail(u"the OIDC sign-in failed: "_s + result.error().message);
    });
    if (!waitFor([&probe]() { return probe.paintedNs() != kUnset; }, kBrowserMs))
        fail(u"no Dashboard within %1 ms of \"Sign in with Test ID\" (see "
             "$LATCHKEY_TEST_LOG_DIR/browser-openurl.log)"_s.arg(kBrowserMs));
    const qint64 paintedNs = probe.paintedNs();
    if (tokens.idToken.isEmpty())
        fail(u"the token response seen on the app's network had no ID token"_s);

    // Let the browser finish (it loads the "Signed in" page, then exits) before anything else.
    (void)waitFor([browserBefore]() { return browserResults() > browserBefore; }, kStepMs);
    settle(kBrowserExitSettleMs);

    OidcPhases(m_network, m_clock, m_metadata, kClientId).measure(run, tokens, home);

    if (run == 0)
        return;
    report(kScenario, run, u"request_to_paint"_s, probe.requestNs(), paintedNs);
    report(kScenario, run, u"callback_to_paint"_s, callbackNs, paintedNs);
    report(kScenario, run, u"request_to_callback"_s, probe.requestNs(), callbackNs);
    report(kScenario, run, u"callback_to_token"_s, callbackNs, tokenNs);
    report(kScenario, run, u"token_to_jwks"_s, tokenNs, jwksNs);
    report(kScenario, run, u"jwks_to_userinfo"_s, jwksNs, userinfoNs);
    report(kScenario, run, u"userinfo_to_signedin"_s, userinfoNs, signedInNs);
    report(kScenario, run, u"signedin_to_switch"_s, signedInNs, switchedNs);
    report(kScenario, run, u"switch_to_paint"_s, switchedNs, paintedNs);
}

} // namespace latchkey::bench
