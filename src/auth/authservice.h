#pragma once

#include "auth/providertokens.h"
#include "auth/signinpolicy.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "mail/mailmessage.h"
#include "storage/records.h"

#include <latchkey/client.h>

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace latchkey {

class AccountLinker;
class BrowserLauncher;
class Database;
class EmailSignInFlow;
class KeychainPolicy;
class OidcDeviceSignInFlow;
struct OidcSignInDeps;
class OidcSignInFlow;
class Mailer;
class SessionManager;
class VerificationService;

namespace oidc {
class DiscoveryCache;
class JwksCache;
struct ProviderMetadata;
} // namespace oidc

/// The inside of latchkey::Client: providers, sign-in flows, the session and the protected data,
/// wired over the adapters the client chose.
class AuthService : public QObject
{
    Q_OBJECT

public:
    /// All references must outlive the service. `secrets` is this run's keychain policy.
    AuthService(const Config &config, Database &db, KeychainPolicy &secrets, Mailer &mailer,
                const Clock &clock, QObject *parent = nullptr);
    ~AuthService() override;

    /// Restores the session; `done` runs once its state is known. The install secret (which
    /// keys email codes) is not read here: whenEmailReady() reads it when first asked.
    void initialize(QObject *context, std::function<void()> done);

    /// Runs `fn` once the install secret is loaded (at once, later from the event loop, when it
    /// already is); the first call starts reading it from the keychain. Email sign-in needs it.
    void whenEmailReady(QObject *context, std::function<void()> fn);

    /// The validated configuration the service was built with.
    const Config &config() const { return m_config; }
    /// This device's session.
    SessionManager &sessions() { return *m_sessions; }
    /// Where sign-in messages go.
    Mailer &mailer() { return m_mailer; }
    /// The provider tokens of every account (connect to ProviderTokens::revoked()).
    ProviderTokens &providerTokens() { return *m_tokens; }

    /// Checks `address` (canonicaliser) and, if it is usable, returns a new email sign-in flow,
    /// not yet started, owned by `parent`. A bad address is an InvalidInput error; nothing is
    /// sent.
    Result<EmailSignInFlow *> createEmailSignIn(const QString &address, QObject *parent);

    /// Starts `flow` (from createEmailSignIn()), unless an email an earlier run sent to its address
    /// is still valid: then that one is taken up again, since the person has it (the app was
    /// closed or killed while it waited; docs/security.md, crash consistency).
    void beginEmailSignIn(EmailSignInFlow &flow);

    /// True when an email sign-in sent before the app last quit is still valid (its link works).
    bool hasPendingEmail() const;

    /// The email sign-in that was waiting when the app last quit, if its link is still valid:
    /// resumed (listening on the link's port again), owned by `parent`. NotFound when none.
    Result<EmailSignInFlow *> resumeEmailSignIn(QObject *parent);

    /// A new sign-in with the configured provider `providerId`, not yet started, owned by
    /// `parent`. `browser` opens the authorization URL (null: the caller shows it). An unknown
    /// provider is a Config error.
    Result<OidcSignInFlow *> createOidcSignIn(const QString &providerId, BrowserLauncher *browser,
                                              QObject *parent);

    /// A sign-in with the configured provider `providerId` approved on another device (RFC 8628),
    /// not yet started, owned by `parent`. An unknown provider is a Config error; a provider
    /// without device sign-in finishes the flow with DeviceSignInUnsupported.
    Result<OidcDeviceSignInFlow *> createOidcDeviceSignIn(const QString &providerId,
                                                          QObject *parent);

    /// Whether provider `providerId` offers device sign-in: its discovery document (cached, or
    /// fetched now) lists `device_authorization_endpoint`. `callback` runs once from the event
    /// loop, not at all once `context` is destroyed; an unknown provider or a discovery failure
    /// is an error.
    void checkDeviceSignIn(const QString &providerId, QObject *context,
                           std::function<void(const Result<bool> &)> callback);

    /// Like createOidcSignIn(), but links the provider identity to the signed-in user (from
    /// Profile) instead of signing in. Unauthorized when nobody is signed in.
    Result<OidcSignInFlow *> createOidcLink(const QString &providerId, BrowserLauncher *browser,
                                            QObject *parent);

    /// The desktop twin of `/api/data`: protected data through the session gate, or an
    /// Unauthorized ("not signed in", 403) error.
    Result<ProtectedData> protectedData();
    /// The newest `signIn` event's method and, for "email", the address it proved (see
    /// Client::lastSignIn()).
    LastSignIn lastSignIn();
    /// The oldest sign-in method of the user whose address is `address` (see
    /// Client::signInMethodOf()).
    QString signInMethodOf(const QString &address);

    /// Signs out on this device: the session row, the keychain entry and the cached session go at
    /// once (the state changes before `done`); then the provider tokens of the user's OIDC
    /// accounts are erased from the keychain and revoked where the provider supports it
    /// (RFC 7009), see ProviderTokens::forget(). `done` runs when all of that finished or timed
    /// out; revocation failures never keep anyone signed in.
    void signOut(QObject *context, std::function<void(Status)> done);

    /// Signs every account on this device out, each as signOut() does (`signout --all`). `done`
    /// gets the first keychain problem, if any.
    void signOutAll(QObject *context, std::function<void(Status)> done);

    /// How recent a sign-in sensitive actions need (signOutEverywhere()): 10 minutes.
    static constexpr qint64 kStepUpWindowSecs = 10 * 60;
    /// True when `session` was last proven (sign-in or step-up) more than kStepUpWindowSecs ago.
    bool needsStepUp(const Session &session) const
    {
        return session.authenticatedAt.secsTo(m_clock.now()) > kStepUpWindowSecs;
    }
    /// The signed-in session if the person proved it within kStepUpWindowSecs; StepUpRequired
    /// (Unauthorized) otherwise, or the gate's error.
    Result<Session> recentSession();
    /// A step-up for the signed-in session, not yet started, owned by `parent`: with the provider
    /// it signed in with (prompt=login, max_age=0, `auth_time` checked, the same person), or a
    /// fresh email code to the user's address. Finishes with the session, its authenticatedAt
    /// now; nothing else changes. A provider no longer configured falls back to email.
    Result<QObject *> createStepUp(BrowserLauncher *browser, QObject *parent);

    /// Unlinks sign-in method `accountId` of the signed-in user (Profile's "Unlink"): its row goes,
    /// and its provider tokens are erased and revoked in the background. Never the last method
    /// (LastSignInMethod); another user's is NotFound; needs recentSession().
    Status unlinkAccount(qint64 accountId);
    /// Deletes everything this device holds about the signed-in user ("Delete my local data"):
    /// every provider token (erased and revoked), the user's sessions and keychain entry, the
    /// user row with its sign-in methods and activity, and pending email sign-ins. Ends signed
    /// out; `done` as signOut(). Needs recentSession().
    void deleteLocalData(QObject *context, std::function<void(Status)> done);

    /// Ends one of the signed-in user's other sessions in this database (`sessions --revoke`).
    /// The current one is an InvalidInput error (sign out instead); one that is not the user's is
    /// NotFound; nobody signed in is the gate's Unauthorized error.
    Status revokeSession(qint64 sessionId);
    /// Ends every session of the signed-in user in this database but the current one; returns
    /// how many.
    Result<int> signOutOtherSessions();
    /// Ends every session of the signed-in user in this database, the current one included (as
    /// signOut()), and revokes every provider token of the user where the provider supports it.
    /// A provider that revokes the whole grant (Google does) ends the app's sign-in on the
    /// user's other devices too. `done` as signOut(); needs recentSession().
    void signOutEverywhere(QObject *context, std::function<void(Status)> done);

    /// A valid access token of the signed-in user's account at provider `providerId`, renewed
    /// when it expires within ProviderTokens::kDefaultLeewaySecs (see
    /// ProviderTokens::freshAccessToken()). Not signed in: the Unauthorized error of
    /// SessionManager::validSession(); no account at that provider: NotFound "no_account".
    /// With TokenRenewal::Now the provider is asked for new tokens whatever their expiry.
    /// `callback` runs later, never synchronously, and not once `context` is destroyed.
    enum class TokenRenewal { WhenDue, Now };
    void withFreshAccessToken(const QString &providerId, QObject *context,
                              std::function<void(const Result<AccessToken> &)> callback,
                              TokenRenewal renewal = TokenRenewal::WhenDue);

    /// The signed-in user's sessions in this database, the current one marked.
    Result<QList<DeviceSession>> deviceSessions();
    /// Records that a sign-in with `method` ("email" or a provider id) ended with `error`
    /// (signInFailed; a cancelled one is not recorded). `userId`: the signed-in person, when the
    /// flow was a link or a step-up.
    void recordSignInFailure(const QString &method, const Error &error,
                             std::optional<qint64> userId);

private:
    void loadInstallSecret();
    oidc::JwksCache &jwksFor(const oidc::ProviderMetadata &metadata);
    /// The configured provider `providerId`, or an UnknownProvider error naming the configured ids.
    Result<const OidcProviderConfig *> configuredProvider(const QString &providerId) const;
    OidcSignInDeps oidcDeps(const OidcProviderConfig &provider, BrowserLauncher *browser);

    const Config &m_config;
    Database &m_db;
    KeychainPolicy &m_secrets;
    Mailer &m_mailer;
    const Clock &m_clock;
    SignInPolicy m_policy;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<VerificationService> m_verification;
    QList<QPair<QPointer<QObject>, std::function<void()>>> m_emailWaiters;
    MailAddress m_from;
    QNetworkAccessManager *m_network = nullptr;
    oidc::DiscoveryCache *m_discovery = nullptr;
    ProviderTokens *m_tokens = nullptr;
    QHash<QString, oidc::JwksCache *> m_jwks; // per jwks_uri
};

/// An `events` row as the library's callers see it (the provider and error code parsed out).
ActivityEntry activityFrom(const Event &event);

} // namespace latchkey
