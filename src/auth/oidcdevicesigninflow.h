#pragma once

#include "auth/oidcsigninflow.h"
#include "core/result.h"
#include "oidc/deviceauthorization.h"
#include "oidc/providermetadata.h"
#include "session/session.h"
#include <latchkey/types.h>

#include <QObject>
#include <QPointer>

#include <chrono>

namespace latchkey {

class GitHubIdentityJob;
class OidcSignInCompletion;

namespace oidc {
struct ClientAuthentication;
class DeviceAuthorizationJob;
class DeviceTokenPoller;
} // namespace oidc

/// One sign-in approved on another device (RFC 8628, OAuth 2.0 Device Authorization Grant), for
/// a machine whose browser is elsewhere (SSH, kiosk).
///
///   start() ─► discovery (issuer must match) ─► device_authorization_endpoint? ─ no ─►
///        finished(DeviceSignInUnsupported)
///     ─► POST client_id, scope ─► device_code, user_code, verification_uri[_complete]
///     ─► deviceCodeReady(user code, URIs, expiry): the person opens the URI elsewhere
///     ─► DeviceTokenPoller (interval, slow_down, pending, denied, expired)
///     ─► OidcSignInCompletion: ID token checked as in the browser flow except the nonce (the
///        grant has none) ─► user by (iss, sub) ─► provider tokens ─► session ─► finished(ok)
///     GitHub (plain OAuth, no discovery, no ID token): the endpoints of github::metadata,
///     client_id
///        only, errors read from a 200 (github::parseDevice*), then GitHubIdentityJob (/user,
///        /user/emails) ─► OidcSignInCompletion::startWithIdentity, as the browser sign-in does
///   cancel() / expiry / any failure ─► finished(error); no request is sent after it.
///
/// The device code is a secret held only here and in the poller; it is never logged or shown.
class OidcDeviceSignInFlow : public QObject
{
    Q_OBJECT

public:
    /// `deps.browser` is not used (nothing is opened on this machine).
    explicit OidcDeviceSignInFlow(OidcSignInDeps deps, QObject *parent = nullptr);
    ~OidcDeviceSignInFlow() override;

    QString providerId() const { return m_deps.provider.id; }
    /// How long one second of the polling interval lasts (tests shorten it). Before start().
    void setIntervalUnit(std::chrono::milliseconds unit) { m_intervalUnit = unit; }
    /// Begins the sign-in. Never finishes synchronously.
    void start();
    /// Gives up at once: finished(Cancelled).
    void cancel();

signals:
    /// Show `code` to the person; polling has started.
    void deviceCodeReady(const latchkey::DeviceCode &code);
    /// The one terminal signal.
    void finished(const latchkey::Result<latchkey::Session> &result);

private:
    void authorize(const oidc::ProviderMetadata &metadata);
    void poll(const oidc::DeviceAuthorization &authorization);
    void validate(const oidc::TokenResponse &tokens);
    void identifyWithGitHub(const oidc::TokenResponse &tokens);
    oidc::ClientAuthentication client() const;
    OidcSignInCompletion *completion();
    void finish(const Result<Session> &result);

    OidcSignInDeps m_deps;
    oidc::ProviderMetadata m_metadata;
    std::chrono::milliseconds m_intervalUnit{1000};
    QPointer<oidc::DeviceAuthorizationJob> m_authorizationJob;
    QPointer<oidc::DeviceTokenPoller> m_poller;
    QPointer<GitHubIdentityJob> m_gitHubJob;
    QPointer<OidcSignInCompletion> m_completion;
    bool m_done = false;
};

} // namespace latchkey
