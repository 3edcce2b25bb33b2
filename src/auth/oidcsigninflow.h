#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "net/loopbacklistener.h"
#include "oidc/pendingauthorization.h"
#include "oidc/providermetadata.h"
#include "session/session.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace latchkey {

class AccountLinker;
class BrowserLauncher;
class OidcSignInCompletion;
class ProviderTokens;
class SessionManager;
struct OidcIdentity;

namespace oidc {
class DiscoveryCache;
class JwksCache;
struct ClientAuthentication;
struct TokenResponse;
} // namespace oidc

/// What an OpenID Connect sign-in needs; all must outlive the flow.
struct OidcSignInDeps
{
    const OidcProviderConfig &provider;
    bool allowHttpLoopbackIssuer;
    QNetworkAccessManager &network;
    oidc::DiscoveryCache &discovery;
    /// The JWKS cache of an issuer (one per issuer, shared between flows).
    std::function<oidc::JwksCache &(const oidc::ProviderMetadata &)> jwks;
    BrowserLauncher *browser; ///< null: only announce the URL (--no-browser)
    AccountLinker &linker;
    SessionManager &sessions;
    ProviderTokens &tokens; ///< keeps the provider tokens the sign-in yields
    const Clock &clock;
    /// When set, the provider identity is linked to this (signed-in) user instead of signing in.
    std::optional<qint64> linkToUser = std::nullopt;
};

/// One sign-in with an OpenID Connect provider through the system browser (RFC 8252).
///
///   start() ─► discovery (issuer must match) ─► listener 127.0.0.1:<port>/callback/<id>
///     ─► PKCE S256 + state + nonce ─► authorizationUrlReady(url) ─► browser
///     ─► GET /callback/<id>?code&state&iss ─► validateCallback (path, duplicates, state, iss,
///        error|code; a wrong state is ignored and the flow keeps waiting) ─► listener closed,
///        the browser's connection held
///     ─► token request ─► ID token validated (cjose, JWKS) ─► userinfo (name, picture)
///     ─► user by (iss, sub) ─► provider tokens in the keychain ─► session ─► finished(ok)
///   GitHub (plain OAuth 2.0, no discovery, no nonce, no ID token): the documented endpoints,
///     then GitHubIdentityJob (token, /user, /user/emails) instead of the ID token ─► same path
///   cancel() / 10 minutes / any failure ─► finished(error)
///   finished() answers the held browser tab first: "Signed in" only for ok, else "did not
///   complete" (the listener answers it itself if that takes longer than its reply timeout).
class OidcSignInFlow : public QObject
{
    Q_OBJECT

public:
    OidcSignInFlow(OidcSignInDeps deps, QObject *parent = nullptr);
    ~OidcSignInFlow() override;

    /// Links the identity to `userId` instead of signing in (call before start()).
    void setLinkToUser(qint64 userId) { m_deps.linkToUser = userId; }
    /// A step-up instead of a sign-in (call before start()): the provider is asked to sign the
    /// person in again (prompt=login, max_age=0), the ID token's `auth_time` must be from now, and
    /// it must name one of `userId`'s accounts; then the session's authenticatedAt becomes now.
    void setConfirmUser(qint64 userId) { m_confirmUser = userId; }
    /// The signed-in user this flow acts for (a link or a step-up), or none for a sign-in.
    std::optional<qint64> actingUser() const
    {
        return m_confirmUser ? m_confirmUser : m_deps.linkToUser;
    }
    QString providerId() const { return m_deps.provider.id; }
    /// Begins the sign-in. Never finishes synchronously.
    void start();
    /// Gives up; the listener closes.
    void cancel();
    /// Opens the authorization URL in the browser again (the user closed the tab).
    Status openBrowserAgain();
    /// The authorization URL (after authorizationUrlReady()).
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    QString providerLabel() const { return m_deps.provider.label; }

signals:
    /// The browser should now show `url` (it was opened unless there is no launcher).
    void authorizationUrlReady(const QUrl &url);
    /// The browser came back with a valid callback (the UI raises its window).
    void callbackReceived();
    /// The one terminal signal.
    void finished(const latchkey::Result<latchkey::Session> &result);

private:
    void begin(const oidc::ProviderMetadata &metadata);
    void handleCallback(const HttpRequest &request, LoopbackReply reply);
    void exchange(const QString &code);
    /// Plain OAuth 2.0 (no ID token): `job` (GitHubIdentityJob, OAuth2IdentityJob) exchanges the
    /// code and asks the provider's API who signed in.
    template<typename IdentityJob, typename SignIn>
    void identifyThrough(IdentityJob *job, const QString &code);
    void validate(const oidc::TokenResponse &tokens);
    /// The shared end of the sign-in, made once the tokens are in.
    OidcSignInCompletion *completion();
    void finish(const Result<Session> &result);

    OidcSignInDeps m_deps;
    oidc::ProviderMetadata m_metadata;
    oidc::PendingAuthorization m_pending;
    QUrl m_authorizationUrl;
    LoopbackListener *m_listener = nullptr;
    LoopbackReply m_callbackReply; // the browser tab waiting for the outcome
    QPointer<OidcSignInCompletion> m_completion; // tokens → ID token → account → session
    QTimer m_timeout;
    std::optional<qint64> m_confirmUser; // a step-up for this user, not a sign-in
    bool m_waiting = false; // the listener accepts a callback
    bool m_done = false;
};

} // namespace latchkey
