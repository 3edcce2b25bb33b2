#include "oidcsigninflow.h"

#include "auth/accountlinker.h"
#include "auth/githubidentityjob.h"
#include "auth/providerquirks.h"
#include "auth/providertokens.h"
#include "core/crashpoint.h"
#include "core/emailaddress.h"
#include "core/logging.h"
#include "github/githubapi.h"
#include "net/loopbacklistener.h"
#include "oidc/callbackvalidation.h"
#include "oidc/clientauth.h"
#include "oidc/discoverycache.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/tokenjob.h"
#include "oidc/tokenrequest.h"
#include "oidc/userinfojob.h"
#include "session/sessionmanager.h"
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
    if (m_deps.provider.preset == ProviderPreset::GitHub) {
        // Plain OAuth 2.0: GitHub publishes no discovery document; its endpoints are documented.
        QTimer::singleShot(0, this, [this]() { begin(github::metadata(m_deps.provider)); });
        return;
    }
    const auto options =
            providerquirks::metadataOptions(m_deps.provider, m_deps.allowHttpLoopbackIssuer);
    m_deps.discovery.metadata(m_deps.provider.issuer.toString(), options, this,
                              [this](const Result<oidc::ProviderMetadata> &metadata) {
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
    auto code = oidc::validateCallback(request.path, request.query, m_pending,
                                       m_metadata.authorizationResponseIssParameterSupported);
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

void OidcSignInFlow::exchange(const QString &code)
{
    if (m_deps.provider.preset == ProviderPreset::GitHub) {
        exchangeWithGitHub(code);
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

void OidcSignInFlow::exchangeWithGitHub(const QString &code)
{
    // No ID token: the identity comes from GitHub's API (docs/security.md, "GitHub").
    auto *job = new GitHubIdentityJob(m_deps.network, m_deps.provider, m_deps.clock, this);
    connect(job, &GitHubIdentityJob::finished, this,
            [this, job](const Result<GitHubSignIn> &signIn) {
                job->deleteLater();
                if (!signIn) {
                    finish(signIn.error());
                    return;
                }
                complete(signIn->identity, signIn->tokens);
            });
    job->start(code, m_pending.redirectUri, m_pending.codeVerifier);
}

void OidcSignInFlow::validate(const oidc::TokenResponse &tokens)
{
    if (tokens.idToken.isEmpty()) {
        finish(Error::make(ErrorKind::IdTokenInvalid, ErrorCode::NoIdToken,
                           QStringLiteral("%1 did not send an ID token. Check that the "
                                          "\"openid\" scope is configured.")
                                   .arg(m_deps.provider.label)));
        return;
    }
    oidc::IdTokenExpectations expected;
    expected.issuer = m_pending.issuer;
    expected.clientId = m_deps.provider.clientId;
    expected.nonce = m_pending.nonce;
    providerquirks::applyIdTokenRules(expected, m_deps.provider);
    auto *validator = new oidc::IdTokenValidator(m_deps.jwks(m_metadata), m_deps.clock, this);
    validator->validate(
            tokens.idToken.toLatin1(), expected, this,
            [this, validator, tokens](const Result<oidc::IdToken> &idToken) {
                validator->deleteLater();
                if (!idToken) {
                    finish(idToken.error());
                    return;
                }
                // A step-up counts only if the provider signed the person in just now (max_age=0
                // asks for it; auth_time says whether it happened), a minute of clock skew allowed.
                if (m_confirmUser &&
                    (!idToken->authTime.isValid() ||
                     idToken->authTime < m_pending.startedAt.addSecs(-60))) {
                    Error stale = Error::make(ErrorKind::IdTokenInvalid, ErrorCode::IdTokenRejected,
                                              QStringLiteral("%1 did not ask you to sign in again.")
                                                      .arg(m_deps.provider.label),
                                              QStringLiteral("auth_time"));
                    finish(stale);
                    return;
                }
                OidcIdentity identity;
                identity.provider = m_deps.provider.id;
                // identity is (issuer, sub) (docs/security.md); Microsoft's is the directory's
                identity.issuer = idToken->issuer;
                identity.subject = idToken->subject;
                if (auto email = canonicalizeEmail(idToken->email))
                    identity.email = email.value();
                identity.emailVerified = idToken->emailVerified;
                identity.name = idToken->name;
                identity.picture = idToken->picture;
                identity.hostedDomain = idToken->hostedDomain;
                identity.scope = tokens.scope;
                if ((!identity.name.isEmpty() && !identity.picture.isEmpty()) ||
                    m_metadata.userinfoEndpoint.isEmpty()) {
                    complete(identity, tokens);
                    return;
                }
                auto *job = new oidc::UserInfoJob(m_deps.network, m_metadata.userinfoEndpoint,
                                                  tokens.accessToken, identity.subject, this);
                connect(job, &oidc::UserInfoJob::finished, this,
                        [this, job, identity, tokens](const Result<oidc::UserInfo> &info) mutable {
                            job->deleteLater();
                            // Name and picture are a nicety: a userinfo failure is not fatal.
                            if (info) {
                                if (identity.name.isEmpty())
                                    identity.name = info->name;
                                if (identity.picture.isEmpty())
                                    identity.picture = info->picture.toString();
                            }
                            complete(identity, tokens);
                        });
                job->start();
            });
}

void OidcSignInFlow::complete(const OidcIdentity &identity, const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    if (m_confirmUser) {
        auto account = m_deps.linker.confirmOidc(*m_confirmUser, identity);
        if (!account) {
            Error error = account.error();
            error.subject = m_deps.provider.label;
            finish(error);
            return;
        }
        // The new tokens replace the account's (a refresh token may have been rotated).
        m_deps.tokens.store(account.value(), tokens, this, [this](const Status &) {
            auto session = m_deps.sessions.markAuthenticated();
            if (session && session->user.id != *m_confirmUser)
                session = notSignedIn(); // the session changed meanwhile
            finish(session);
        });
        return;
    }
    auto linked = m_deps.linkToUser ? m_deps.linker.linkOidc(*m_deps.linkToUser, identity)
                                    : m_deps.linker.signInWithOidc(identity);
    if (!linked) {
        finish(linked.error());
        return;
    }
    crashPoint("oidc-account-linked");
    // The provider tokens are stored before the session exists; a crash in between leaves them
    // without a session, which the next start erases and revokes (ProviderTokens). Until the
    // session exists, another process starting now must not take them for such leftovers.
    if (!m_deps.linkToUser)
        m_signInLock = m_deps.tokens.lockSignIns(kSignInLockWaitMs);
    const qint64 userId = linked->user.id;
    m_deps.tokens.store(linked->account, tokens, this, [this, userId](const Status &) {
        crashPoint("oidc-provider-tokens-stored");
        // Signing in works without them (they just cannot be renewed or revoked later);
        // ProviderTokens logged why.
        if (m_deps.linkToUser) {
            finish(m_deps.sessions.validSession()); // linked: the same session, one more method
            return;
        }
        m_deps.sessions.establish(userId, m_deps.provider.id, this,
                                  [this](Result<Session> session) { finish(session); });
    });
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
    m_signInLock.reset();
    m_callbackReply.send(LoopbackResponse::signInOutcome(result.ok()));
    if (m_listener)
        m_listener->close();
    emit finished(result);
}

} // namespace latchkey
