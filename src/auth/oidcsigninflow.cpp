#include "oidcsigninflow.h"

#include "auth/githubidentityjob.h"
#include "auth/oauth2identityjob.h"
#include "auth/oidcsignincompletion.h"
#include "auth/providerquirks.h"
#include "core/crashpoint.h"
#include "core/logging.h"
#include "net/loopbacklistener.h"
#include "oidc/callbackvalidation.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/tokenjob.h"
#include "oidc/tokenrequest.h"
#include <latchkey/browserlauncher.h>

namespace latchkey {

OidcSignInFlow::OidcSignInFlow(OidcSignInDeps deps, QObject *parent)
    : QObject(parent), m_deps(std::move(deps))
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(std::chrono::seconds(oidc::PendingAuthorization::kLifetimeSeconds));
    connect(&m_timeout, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut,
                           QStringLiteral("Sign-in took longer than 10 minutes and was stopped.")));
    });
}

OidcSignInFlow::~OidcSignInFlow() = default;

void OidcSignInFlow::start()
{
    m_timeout.start();
    providerquirks::metadata(m_deps.discovery, m_deps.provider, m_deps.allowHttpLoopbackIssuer,
                             this, [this](const Result<oidc::ProviderMetadata> &metadata) {
                                 if (!metadata) {
                                     finish(metadata.error());
                                     return;
                                 }
                                 begin(metadata.value());
                             });
}

void OidcSignInFlow::begin(const oidc::ProviderMetadata &metadata)
{
    if (m_done)
        return;
    m_metadata = metadata;
    const QString path = QStringLiteral("/callback/") + m_deps.provider.id;
    m_listener = new LoopbackListener(this);
    m_listener->addDeferredRoute(path, [this](const HttpRequest &request, LoopbackReply reply) {
        handleCallback(request, std::move(reply));
    });
    if (auto listening = m_listener->listen(); !listening) {
        finish(listening.error());
        return;
    }
    m_pending = oidc::PendingAuthorization::create(
            m_deps.provider.id, metadata.issuer, m_deps.provider.clientId,
            QUrl(m_listener->redirectUri(path)), m_deps.clock.now());

    auto url = providerquirks::authorizationUrl(
            m_deps.provider, metadata.authorizationEndpoint, m_pending,
            m_confirmUser ? providerquirks::Purpose::StepUp : providerquirks::Purpose::SignIn);
    if (!url) {
        finish(url.error());
        return;
    }
    m_authorizationUrl = url.value();
    m_waiting = true;
    qCInfo(lcAuth) << "waiting for the browser to return from" << metadata.issuer;
    if (m_deps.browser) {
        if (auto opened = m_deps.browser->open(m_authorizationUrl); !opened)
            qCWarning(lcAuth) << "could not open the browser:" << opened.error().message;
    }
    emit authorizationUrlReady(m_authorizationUrl);
}

Status OidcSignInFlow::openBrowserAgain()
{
    if (!m_waiting || !m_deps.browser)
        return Error::make(ErrorKind::NotFound, ErrorCode::NoPendingSignIn,
                           QStringLiteral("No sign-in is waiting for the browser."));
    return m_deps.browser->open(m_authorizationUrl);
}

void OidcSignInFlow::handleCallback(const HttpRequest &request, LoopbackReply reply)
{
    if (!m_waiting) {
        reply.send({409, StaticPage::noSignInInProgress()});
        return;
    }
    if (m_pending.isExpired(m_deps.clock.now())) {
        QTimer::singleShot(0, this, [this]() {
            finish(Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut,
                               QStringLiteral("The sign-in expired.")));
        });
        reply.send({400, StaticPage::signInFailed()});
        return;
    }
    auto code = oidc::validateCallback(
            request.path, request.query, m_pending,
            providerquirks::callbackIssuerCheck(m_deps.provider, m_metadata));
    if (!code) {
        const Error &error = code.error();
        // Only a provider answer bound to this flow (right state, right issuer) ends it; anything
        // else (a forged or replayed request from some web page) is refused and ignored.
        if (error.kind == ErrorKind::OAuthAuthorization) {
            m_waiting = false;
            m_listener->close();
            QTimer::singleShot(0, this, [this, error]() { finish(error); });
        }
        reply.send({400, StaticPage::signInFailed()});
        return;
    }
    m_waiting = false;
    m_listener->close(); // RFC 8252 §8.3 / docs/security.md: closed after the first valid callback
    // docs/security.md: the tab is answered by finish(), "Signed in" only once the exchange, the
    // ID token and the session succeeded (the listener bounds the wait).
    m_callbackReply = std::move(reply);
    QTimer::singleShot(0, this, [this, authorizationCode = code.value()]() {
        emit callbackReceived();
        exchange(authorizationCode);
    });
}

template<typename IdentityJob, typename SignIn>
void OidcSignInFlow::identifyThrough(IdentityJob *job, const QString &code)
{
    connect(job, &IdentityJob::finished, this, [this, job](const Result<SignIn> &signIn) {
        job->deleteLater();
        if (!signIn) {
            finish(signIn.error());
            return;
        }
        completion()->startWithIdentity(signIn->identity, signIn->tokens);
    });
    job->start(code, m_pending.redirectUri, m_pending.codeVerifier);
}

void OidcSignInFlow::exchange(const QString &code)
{
    // No ID token from a plain OAuth 2.0 provider: who signed in comes from its API
    // (docs/security.md, "GitHub" and "Other OAuth 2.0 providers").
    if (m_deps.provider.preset == ProviderPreset::GitHub) {
        identifyThrough<GitHubIdentityJob, GitHubSignIn>(
                new GitHubIdentityJob(m_deps.network, m_deps.provider, m_deps.clock, this), code);
        return;
    }
    if (m_deps.provider.preset == ProviderPreset::OAuth2) {
        identifyThrough<OAuth2IdentityJob, OAuth2SignIn>(
                new OAuth2IdentityJob(m_deps.network, m_deps.provider, m_metadata, m_deps.clock,
                                      this),
                code);
        return;
    }
    const auto request = oidc::TokenRequest::authorizationCode(
            m_metadata.tokenEndpoint, code, m_pending.redirectUri, m_pending.codeVerifier);
    auto *job = new oidc::TokenJob(m_deps.network, request,
                                   oidc::ClientAuthentication::choose(m_deps.provider.clientId,
                                                                      m_deps.provider.clientSecret,
                                                                      m_metadata),
                                   m_deps.clock, this);
    connect(job, &oidc::TokenJob::finished, this,
            [this, job](const Result<oidc::TokenResponse> &tokens) {
                job->deleteLater();
                if (!tokens) {
                    finish(tokens.error());
                    return;
                }
                crashPoint("oidc-token-response");
                validate(tokens.value());
            });
    job->start();
}

void OidcSignInFlow::validate(const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    oidc::IdTokenExpectations expected;
    expected.issuer = m_pending.issuer;
    expected.clientId = m_deps.provider.clientId;
    expected.nonce = m_pending.nonce; // OIDC Core 3.1.3.7 rule 11
    providerquirks::applyIdTokenRules(expected, m_deps.provider);
    completion()->start(tokens, expected);
}

OidcSignInCompletion *OidcSignInFlow::completion()
{
    m_completion = new OidcSignInCompletion(m_deps, m_metadata, this);
    if (m_confirmUser)
        m_completion->setConfirmUser(*m_confirmUser, m_pending.startedAt);
    connect(m_completion, &OidcSignInCompletion::finished, this,
            [this](const Result<Session> &result) { finish(result); });
    return m_completion;
}

void OidcSignInFlow::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Sign-in cancelled.")));
}

void OidcSignInFlow::finish(const Result<Session> &result)
{
    if (m_done)
        return;
    m_done = true;
    m_waiting = false;
    m_timeout.stop();
    if (m_completion)
        m_completion->stop();
    m_callbackReply.send(LoopbackResponse::signInOutcome(result.ok()));
    if (m_listener)
        m_listener->close();
    emit finished(result);
}

} // namespace latchkey
