#include "oidcdevicesigninflow.h"

#include "auth/oidcsignincompletion.h"
#include "auth/providerquirks.h"
#include "core/logging.h"
#include "oidc/clientauth.h"
#include "oidc/deviceauthorizationjob.h"
#include "oidc/devicetokenpoller.h"
#include "oidc/discoverycache.h"
#include "oidc/tokenresponse.h"

namespace latchkey {

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
            m_deps.network, metadata.deviceAuthorizationEndpoint, m_deps.provider.scopes,
            oidc::ClientAuthentication::choose(m_deps.provider.clientId,
                                               m_deps.provider.clientSecret, metadata),
            m_deps.clock, options, this);
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
    auto *poller = new oidc::DeviceTokenPoller(
            m_deps.network, m_metadata.tokenEndpoint, authorization,
            oidc::ClientAuthentication::choose(m_deps.provider.clientId,
                                               m_deps.provider.clientSecret, m_metadata),
            m_deps.clock, this);
    poller->setIntervalUnit(m_intervalUnit);
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

void OidcDeviceSignInFlow::validate(const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    oidc::IdTokenExpectations expected;
    expected.issuer = m_metadata.issuer;
    expected.clientId = m_deps.provider.clientId;
    expected.fromDeviceGrant = true; // RFC 8628: no authorization request, so no nonce
    providerquirks::applyIdTokenRules(expected, m_deps.provider);
    m_completion = new OidcSignInCompletion(m_deps, m_metadata, this);
    connect(m_completion, &OidcSignInCompletion::finished, this,
            [this](const Result<Session> &result) { finish(result); });
    m_completion->start(tokens, expected);
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
    if (m_completion)
        m_completion->stop();
    emit finished(result);
}

} // namespace latchkey
