#pragma once

#include <latchkey/error.h>
#include <latchkey/types.h>

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace latchkey {

/// One OpenID Connect provider the sign-in offers (an entry of NextAuth's `providers`). Build one
/// with a preset (presets::google(), ...), then change what you need.
struct LATCHKEY_EXPORT ProviderOptions
{
    QString id; ///< path segment of the redirect URI: /callback/<id>; what Client::signIn() takes
    QString label; ///< button text: "Sign in with <label>"
    QUrl issuer; ///< https; must equal the discovery document's `issuer`
    QString clientId;
    QString clientSecret; ///< optional; a desktop client's secret is not a secret (RFC 8252 §8.5)
    QStringList scopes; ///< must include "openid" (except for the GitHub and OAuth2 presets)
    ProviderPreset preset = ProviderPreset::Oidc;
    /// Only accounts of this domain may sign in (Google Workspace's `hd`): sent as the `hd`
    /// parameter and required, case-insensitively, as the ID token's `hd` claim. Empty: any.
    QString hostedDomain;
    /// GitHub only: the REST API base (https://api.github.com, or GitHub Enterprise Server's
    /// https://<host>/api/v3); `issuer` is then the web base (https://github.com). Empty for the
    /// OpenID Connect presets.
    QUrl apiUrl;
    /// OAuth2 only (no discovery document): the authorization, token and user endpoints (https),
    /// and the RFC 7009 revocation endpoint (optional). Empty for the other presets.
    QUrl authorizationUrl;
    QUrl tokenUrl;
    QUrl userinfoUrl;
    QUrl revocationUrl;
    /// OAuth2 only: the member of the user endpoint's JSON answer that holds the stable account
    /// id (a string, or a number written in decimal). Empty: `sub`, else `id`.
    QString accountIdField;
    /// OAuth2 only: how a client with a secret authenticates at the token endpoint (RFC 7591
    /// names): "client_secret_basic" (empty means this; every server must accept it, RFC 6749
    /// §2.3.1) or "client_secret_post".
    QString tokenAuthMethod;

    /// The Microsoft tenant this provider signs in to ("common", ...); empty for other presets.
    QString microsoftTenant() const;
};

/// The provider presets, like NextAuth's built-in providers: each fills the issuer, scopes, label
/// and quirks; change what you need in the value returned.
namespace presets {
/// Google ("google"): issuer https://accounts.google.com, scopes openid email profile.
LATCHKEY_EXPORT ProviderOptions google(const QString &clientId, const QString &clientSecret = {});
/// Microsoft Entra ID ("microsoft"): `tenant` is "common" (work, school and personal
/// accounts), "organizations", "consumers" or a directory (tenant) ID; see
/// isMicrosoftTenant(). Scopes openid email profile offline_access.
LATCHKEY_EXPORT ProviderOptions microsoft(const QString &clientId,
                                          const QString &tenant = QStringLiteral("common"),
                                          const QString &clientSecret = {});
/// GitLab ("gitlab"): gitlab.com unless `issuer` names a self-hosted GitLab.
LATCHKEY_EXPORT ProviderOptions
gitlab(const QString &clientId, const QUrl &issuer = QUrl(QStringLiteral("https://gitlab.com")),
       const QString &clientSecret = {});
/// GitHub ("github"), plain OAuth 2.0 (no OpenID Connect): an OAuth app's client ID and client
/// secret (GitHub requires the secret at its token endpoint). Scopes read:user user:email.
/// `webUrl` and `apiUrl` name GitHub Enterprise Server instead of github.com.
LATCHKEY_EXPORT ProviderOptions
github(const QString &clientId, const QString &clientSecret,
       const QUrl &webUrl = QUrl(QStringLiteral("https://github.com")),
       const QUrl &apiUrl = QUrl(QStringLiteral("https://api.github.com")));
/// Any plain OAuth 2.0 provider (no OpenID Connect): authorization code + PKCE at
/// `authorizationUrl`, the code exchanged at `tokenUrl`, who signed in read from `userinfoUrl`
/// with the access token. The label is the id with a capital first letter; no scopes. The
/// identity is (id, the account id of the user endpoint's answer); its email counts as verified
/// only when the answer says `"email_verified": true`.
LATCHKEY_EXPORT ProviderOptions oauth2(const QString &id, const QUrl &authorizationUrl,
                                       const QUrl &tokenUrl, const QUrl &userinfoUrl,
                                       const QString &clientId, const QString &clientSecret = {});
/// Any OpenID Connect provider; the label is the id with a capital first letter.
LATCHKEY_EXPORT ProviderOptions oidc(const QString &id, const QUrl &issuer, const QString &clientId,
                                     const QString &clientSecret = {});
/// True for the tenants microsoft() takes: common, organizations, consumers or a directory ID
/// (a GUID). A domain name is not taken: its discovery document names the GUID.
LATCHKEY_EXPORT bool isMicrosoftTenant(const QString &tenant);
} // namespace presets

/// A person about to be signed in (or linked), for the sign-in policy (NextAuth's `signIn`
/// callback). The identity is proved: the provider signed it, or the person opened the email.
struct SignInAttempt
{
    QString providerId; ///< "email" or a configured provider id
    QString email; ///< canonical; may be empty for a provider that gave none
    bool emailVerified = false; ///< always true for "email"
    QString subject; ///< the provider's `sub`; empty for "email"
    QString hostedDomain; ///< the ID token's `hd` claim; empty when absent
    QString name;
};

/// Outgoing mail for email sign-in. Without a server, mail goes to the developer outbox folder.
struct EmailOptions
{
    QUrl server; ///< smtp://host:587 (STARTTLS) or smtps://host:465; empty = developer outbox
    QString from; ///< "Name <address>" or an address; required with a server
    QString username;
    QString password; ///< never logged
    QString caFile; ///< extra CA bundle for the server's certificate
    bool requireTls = true; ///< STARTTLS required on smtp://
};

/// How a session is kept (Auth.js `session.strategy`; docs/architecture.md, session strategies).
/// Either way the token lives in the keychain; signing out ends it.
enum class SessionStrategy {
    Database, ///< a random token whose hash is a row of the `sessions` table
    Jwt, ///< an encrypted JWT (JWE, dir + A256GCM, key in the keychain) with no row behind it
};

/// Where Options::fromConfig() reads settings, in increasing precedence:
/// built-in defaults → INI file → env file (dotenv) → environment.
struct ConfigSources
{
    QString iniPath; ///< $XDG_CONFIG_HOME/latchkey/latchkey.conf when empty
    QString envFilePath; ///< a dotenv file (`--env-file`); empty = none
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

/// Everything a Client needs to know. Build one by hand, or read the same configuration the
/// Latchkey app reads with fromConfig() (NextAuth's names: GOOGLE_ID, EMAIL_SERVER, ...).
struct LATCHKEY_EXPORT Options
{
    QString dataDir; ///< where data lives, e.g. $XDG_DATA_HOME/<app>
    QString databasePath; ///< the SQLite file; default <dataDir>/latchkey.db
    QString outboxDir; ///< the developer outbox; default <dataDir>/outbox
    QList<ProviderOptions> providers;
    EmailOptions email;
    /// The longest a session may live; a longer sessionMaxAgeSecs is cut to it.
    static constexpr qint64 kMaxSessionAgeSecs = 365 * 24 * 3600;
    qint64 sessionMaxAgeSecs = 30 * 24 * 3600; ///< Auth.js maxAge, at most kMaxSessionAgeSecs
    qint64 sessionUpdateAgeSecs = 24 * 3600; ///< Auth.js updateAge: renew a used session after
    /// Changing it signs every account on the device out at the next start.
    SessionStrategy sessionStrategy = SessionStrategy::Database;
    bool allowHttpLoopbackIssuer = false; ///< development and tests only
    /// The keychain service name the entries live under: one per app, so two apps never share
    /// a sign-in.
    QString keychainService = QStringLiteral("latchkey");
    QString language; ///< "en", "ko" or empty for the system language
    /// Seconds before an access token's expiry at which withFreshAccessToken() refreshes it.
    qint64 refreshLeewaySecs = 60;
    /// Who may sign in: when not empty, only addresses at one of these domains (lowercase, an
    /// exact match: "example.com" does not admit "sub.example.com"); a provider's address must
    /// then be verified by the provider. Checked before an email is sent and at every sign-in.
    QStringList allowedEmailDomains;
    /// The app's own say on who may sign in, asked after the built-in checks passed (NextAuth's
    /// `signIn` callback). Return false to refuse (SignInNotAllowed, reason "app"). Runs on the
    /// Client's thread; keep it quick.
    std::function<bool(const SignInAttempt &attempt)> allowSignIn;
    /// Where the app goes after a sign-in that was not started to open a particular view (the
    /// Latchkey window takes "home", "dashboard" or "profile"; empty: the app's default).
    QString afterSignIn;

    /// The provider with `id`, or nullptr.
    const ProviderOptions *provider(const QString &id) const;
    /// Where the files beside the database live (account pictures, the providers' keys, which
    /// account to restore first, a window's own state): dataDir, else the database's folder;
    /// empty for a database that is no file (":memory:") and no dataDir.
    QString dataFolder() const;
    /// True when mail goes to the developer outbox instead of an SMTP server.
    bool usesOutbox() const { return email.server.isEmpty(); }

    /// Reads, merges and validates the configuration (see the README's "Configuration"). A
    /// problem is one Config error: `subject` names the key, `message` says where it came from and
    /// what is wrong.
    static Result<Options> fromConfig(const ConfigSources &sources = {});
};

} // namespace latchkey
