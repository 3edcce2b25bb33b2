#include "oidcdevicesigninflow.h"

#include "auth/githubidentityjob.h"
#include "auth/oidcsignincompletion.h"
#include "auth/providerquirks.h"
#include "core/logging.h"
#include "github/githubapi.h"
#include "oidc/clientauth.h"
#include "oidc/deviceauthorizationjob.h"
#include "oidc/devicetokenpoller.h"
#include "oidc/discoverycache.h"
#include "oidc/tokenresponse.h"

namespace latchkey {

namespace {

bool isGitHub(const OidcProviderConfig &provider)
{
    return provider.preset == ProviderPreset::GitHub;
}

} // namespace

OidcDeviceSignInFlow::OidcDeviceSignInFlow(OidcSignInDeps deps, QObject *parent)
    : QObject(parent), m_deps(std::move(deps))
{ }

OidcDeviceSignInFlow::~OidcDeviceSignInFlow() = default;

void OidcDeviceSignInFlow::start()
{
    providerquirks::metadata(m_deps.discovery, m_deps.provider, m_deps.allowHttpLoopbackIssuer,
                             this, [this](const Result<oidc::ProviderMetadata> &metadata) {
                                 if (!metadata) {
                                     finish(metadata.error());
                                     return;
                                 }
                                 authorize(metadata.value());
                             });
}

void OidcDeviceSignInFlow::authorize(const oidc::ProviderMetadata &metadata)
{
    if (m_done)
        return;
    m_metadata = metadata;
    if (metadata.deviceAuthorizationEndpoint.isEmpty()) {
        Error error = Error::make(ErrorKind::Config, ErrorCode::DeviceSignInUnsupported,
                                  QStringLiteral("%1 does not offer sign-in on another device "
                                                 "(no device_authorization_endpoint).")
                                          .arg(m_deps.provider.label));
        error.subject = m_deps.provider.label;
        finish(error);
        return;
    }
    oidc::MetadataOptions options;
    options.allowLoopbackHttp = m_deps.allowHttpLoopbackIssuer;
    auto *job = new oidc::DeviceAuthorizationJob(
            m_deps.network, metadata.deviceAuthorizationEndpoint, m_deps.provider.scopes, client(),
            m_deps.clock, options, this);
    if (isGitHub(m_deps.provider))
        job->setResponseParser([options, label = m_deps.provider.label](
                                       const oidc::HttpResponse &response, const QDateTime &now) {
            return github::parseDeviceAuthorization(response, now, options, label);
        });
    m_authorizationJob = job;
    connect(job, &oidc::DeviceAuthorizationJob::finished, this,
            [this, job](const Result<oidc::DeviceAuthorization> &authorization) {
                job->deleteLater();
                if (!authorization) {
                    finish(authorization.error());
                    return;
                }
                poll(authorization.value());
            });
    job->start();
}

void OidcDeviceSignInFlow::poll(const oidc::DeviceAuthorization &authorization)
{
    if (m_done)
        return;
    auto *poller = new oidc::DeviceTokenPoller(m_deps.network, m_metadata.tokenEndpoint,
                                               authorization, client(), m_deps.clock, this);
    poller->setIntervalUnit(m_intervalUnit);
    if (isGitHub(m_deps.provider))
        poller->setResponseParser(
                [label = m_deps.provider.label](const oidc::HttpResponse &response,
                                                const QDateTime &now) {
                    return github::parseDeviceTokenResponse(response, now, label);
                });
    m_poller = poller;
    connect(poller, &oidc::DeviceTokenPoller::finished, this,
            [this, poller](const Result<oidc::TokenResponse> &tokens) {
                poller->deleteLater();
                if (!tokens) {
                    finish(tokens.error());
                    return;
                }
                validate(tokens.value());
            });
    poller->start();
    qCInfo(lcAuth) << "waiting for the sign-in to be approved on another device at"
                   << authorization.verificationUri.host();
    DeviceCode code;
    code.providerId = m_deps.provider.id;
    code.userCode = authorization.userCode;
    code.verificationUri = authorization.verificationUri;
    code.verificationUriComplete = authorization.verificationUriComplete;
    code.expiresAt = authorization.expiresAt;
    emit deviceCodeReady(code);
}

oidc::ClientAuthentication OidcDeviceSignInFlow::client() const
{
    // GitHub: "The client_secret is not needed for the device flow": client_id only.
    if (isGitHub(m_deps.provider))
        return {m_deps.provider.clientId, QString(), oidc::ClientAuthMethod::None};
    return oidc::ClientAuthentication::choose(m_deps.provider.clientId,
                                              m_deps.provider.clientSecret, m_metadata);
}

void OidcDeviceSignInFlow::identifyWithGitHub(const oidc::TokenResponse &tokens)
{
    // No ID token: who approved comes from GitHub's API, as in the browser sign-in
    // (docs/security.md, "GitHub").
    auto *job = new GitHubIdentityJob(m_deps.network, m_deps.provider, m_deps.clock, this);
    m_gitHubJob = job;
    connect(job, &GitHubIdentityJob::finished, this,
            [this, job](const Result<GitHubSignIn> &signIn) {
                job->deleteLater();
                if (m_done)
                    return;
                if (!signIn) {
                    finish(signIn.error());
                    return;
                }
                completion()->startWithIdentity(signIn->identity, signIn->tokens);
            });
    job->startWithTokens(tokens);
}

OidcSignInCompletion *OidcDeviceSignInFlow::completion()
{
    m_completion = new OidcSignInCompletion(m_deps, m_metadata, this);
    connect(m_completion, &OidcSignInCompletion::finished, this,
            [this](const Result<Session> &result) { finish(result); });
    return m_completion;
}

void OidcDeviceSignInFlow::validate(const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    if (isGitHub(m_deps.provider)) {
        identifyWithGitHub(tokens);
        return;
    }
    oidc::IdTokenExpectations expected;
    expected.issuer = m_metadata.issuer;
    expected.clientId = m_deps.provider.clientId;
    expected.fromDeviceGrant = true; // RFC 8628: no authorization request, so no nonce
    providerquirks::applyIdTokenRules(expected, m_deps.provider);
    completion()->start(tokens, expected);
}

void OidcDeviceSignInFlow::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Sign-in cancelled.")));
}

void OidcDeviceSignInFlow::finish(const Result<Session> &result)
{
    if (m_done)
        return;
    m_done = true;
    // Whatever is still running stops here: no request goes out after this.
    if (m_authorizationJob) {
        m_authorizationJob->disconnect(this);
        m_authorizationJob->cancel();
    }
    if (m_poller) {
        m_poller->disconnect(this);
        m_poller->cancel();
    }
    if (m_gitHubJob)
        m_gitHubJob->disconnect(this);
    if (m_completion)
        m_completion->stop();
    emit finished(result);
}

} // namespace latchkey
