#pragma once

#include "core/result.h"

#include <QHash>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

namespace latchkey {

/// One OpenID Connect provider the sign-in window offers (NextAuth's `providers` entry).
struct OidcProviderConfig
{
    QString id; ///< path segment of the redirect URI: /callback/<id>
    QString label; ///< button text: "Sign in with <label>"
    QUrl issuer;
    QString clientId;
    QString clientSecret; ///< optional; a desktop client's secret is not a secret (RFC 8252 §8.5)
    QStringList scopes;
    bool google = false; ///< Google quirks: schemeless `iss`, access_type=offline
};

/// Outgoing mail. Without a server, mail goes to the developer outbox folder.
struct EmailConfig
{
    QUrl server; ///< smtp://host:587 or smtps://host:465; empty = developer outbox
    QString from; ///< EMAIL_FROM, "Name <address>" or an address
    QString username;
    QString password;
    QString caFile; ///< extra CA bundle for the server's certificate
    bool requireTls = true; ///< STARTTLS required on smtp:// unless EMAIL_TLS=off
};

/// The validated configuration. See README "Configuration" for every key.
struct Config
{
    QString dataDir; ///< $XDG_DATA_HOME/latchkey
    QString databasePath; ///< DATABASE_URL, default <dataDir>/latchkey.db
    QString outboxDir; ///< <dataDir>/outbox
    QList<OidcProviderConfig> providers;
    EmailConfig email;
    qint64 sessionMaxAgeSecs = 30 * 24 * 3600; ///< Auth.js maxAge
    qint64 sessionUpdateAgeSecs = 24 * 3600; ///< Auth.js updateAge
    bool allowHttpLoopbackIssuer = false; ///< development and tests only
    QString keychainService = QStringLiteral("latchkey");
    QString language; ///< "en", "ko" or empty for the system language

    /// The provider with `id`, or nullptr.
    const OidcProviderConfig *provider(const QString &id) const;
    /// True when mail goes to the developer outbox instead of an SMTP server.
    bool usesOutbox() const { return email.server.isEmpty(); }
};

/// Where configuration comes from, in increasing precedence:
/// built-in defaults → INI file → env file (dotenv) → environment.
struct ConfigSources
{
    QString iniPath; ///< $XDG_CONFIG_HOME/latchkey/latchkey.conf when empty
    QString envFilePath; ///< --env-file; empty = none
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

/// Parses dotenv/INI-style `KEY=value` text: `#`/`;` comments, optional `export `, single or
/// double quotes, `[section]` lines ignored. Returns an error naming the line on a syntax error.
Result<QHash<QString, QString>> parseKeyValueText(const QString &text, const QString &origin);

/// Reads, merges and validates the configuration. A problem yields one Config error whose message
/// names the key (and where it came from) and what is wrong.
Result<Config> loadConfig(const ConfigSources &sources = {});

} // namespace latchkey
