#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "mail/mailmessage.h"
#include "storage/records.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>

class QNetworkAccessManager;
#include <memory>

namespace latchkey {

class AccountLinker;
class BrowserLauncher;
class Database;
class EmailSignInFlow;
class OidcSignInFlow;
class Mailer;
class SecretStore;
class SessionManager;
class VerificationService;

namespace oidc {
class DiscoveryCache;
class JwksCache;
struct ProviderMetadata;
} // namespace oidc

/// The library's front door for the UI and the command line: providers, sign-in flows, the
/// session and the protected data, wired over the adapters the composition root chose.
class AuthService : public QObject
{
    Q_OBJECT

public:
    /// All references must outlive the service. `keychain` is the OS keychain; `memory` holds
    /// secrets for this run when the keychain fails.
    AuthService(const Config &config, Database &db, SecretStore &keychain, SecretStore &memory,
                Mailer &mailer, const Clock &clock, QObject *parent = nullptr);
    ~AuthService() override;

    /// Restores the session and loads the install secret; `done` runs once both are known.
    void initialize(QObject *context, std::function<void()> done);

    const Config &config() const { return m_config; }
    SessionManager &sessions() { return *m_sessions; }
    Mailer &mailer() { return m_mailer; }

    /// Checks `address` (canonicaliser) and, if it is usable, returns a new email sign-in flow,
    /// not yet started, owned by `parent`. A bad address is an InvalidInput error; nothing is
    /// sent.
    Result<EmailSignInFlow *> createEmailSignIn(const QString &address, QObject *parent);

    /// The email sign-in that was waiting when the app last quit, if its link is still valid:
    /// resumed (listening on the link's port again), owned by `parent`. NotFound when none.
    Result<EmailSignInFlow *> resumeEmailSignIn(QObject *parent);

    /// A new sign-in with the configured provider `providerId`, not yet started, owned by
    /// `parent`. `browser` opens the authorization URL (null: the caller shows it). An unknown
    /// provider is a Config error.
    Result<OidcSignInFlow *> createOidcSignIn(const QString &providerId, BrowserLauncher *browser,
                                              QObject *parent);

    /// Like createOidcSignIn(), but links the provider identity to the signed-in user (from
    /// Profile) instead of signing in. Unauthorized when nobody is signed in.
    Result<OidcSignInFlow *> createOidcLink(const QString &providerId, BrowserLauncher *browser,
                                            QObject *parent);

    /// The desktop twin of `/api/data`: protected data through the session gate, or an
    /// Unauthorized ("not signed in", 403) error.
    Result<QJsonObject> protectedData();

    /// Signs out on this device: the session row, the keychain entry and the cached session go at
    /// once (the state changes before `done`); then the provider tokens of the user's OIDC
    /// accounts are revoked where the provider supports it (RFC 7009) and erased from the
    /// keychain. `done` runs when all of that finished or timed out; revocation failures never
    /// keep anyone signed in.
    void signOut(QObject *context, std::function<void(Status)> done);

    /// This user's sessions, one line each ("device — last seen …"), for Profile.
    QStringList deviceSessions();

    /// The desktop twin of `GET /api/auth/session`: `{}` when signed out.
    QJsonObject sessionJson() const;

private:
    void loadInstallSecret(std::function<void()> done);
    oidc::JwksCache &jwksFor(const oidc::ProviderMetadata &metadata);
    void forgetProviderTokens(const QList<Account> &accounts, std::function<void()> done);
    void revoke(const OidcProviderConfig &provider, const QString &token,
                const QString &tokenTypeHint, std::function<void()> done);

    const Config &m_config;
    Database &m_db;
    SecretStore &m_keychain;
    SecretStore &m_memory;
    Mailer &m_mailer;
    const Clock &m_clock;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<VerificationService> m_verification;
    MailAddress m_from;
    QNetworkAccessManager *m_network = nullptr;
    oidc::DiscoveryCache *m_discovery = nullptr;
    QHash<QString, oidc::JwksCache *> m_jwks; // per jwks_uri
};

} // namespace latchkey
