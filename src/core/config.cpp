#include "config.h"

#include "core/emailaddress.h"
#include "core/loopbackhost.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace latchkey {

namespace {

/// A list setting's items: separated by commas and/or white space. (By hand, not with a regular
/// expression: every start reads the configuration, and compiling one costs time and memory.)
QStringList splitList(const QString &value)
{
    QStringList items;
    QString item;
    for (const QChar c : value) {
        if (c == u',' || c.isSpace()) {
            if (!item.isEmpty())
                items.append(std::exchange(item, QString()));
        } else {
            item.append(c);
        }
    }
    if (!item.isEmpty())
        items.append(item);
    return items;
}

/// `id` is a provider id: a lowercase letter or digit, then up to 31 of those or '-'.
bool isProviderId(const QString &id)
{
    if (id.isEmpty() || id.size() > 32 || id.front() == u'-')
        return false;
    return std::all_of(id.cbegin(), id.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

/// `key` is a dotenv key: a letter or '_', then letters, digits or '_'.
bool isSettingKey(const QString &key)
{
    const auto word = [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
    };
    if (key.isEmpty() || !word(key.front()))
        return false;
    return std::all_of(key.cbegin(), key.cend(),
                       [word](QChar c) { return word(c) || (c >= u'0' && c <= u'9'); });
}

const QStringList kOurPrefixes = {
        QStringLiteral("GOOGLE_"),   QStringLiteral("MICROSOFT_"), QStringLiteral("GITLAB_"),
        QStringLiteral("GITHUB_"),   QStringLiteral("EMAIL_"),     QStringLiteral("OIDC_"),
        QStringLiteral("LATCHKEY_"), QStringLiteral("DATABASE_"),  QStringLiteral("OAUTH2_")};

const QStringList kKnownKeys = {
        QStringLiteral("GOOGLE_ID"),
        QStringLiteral("GOOGLE_SECRET"),
        QStringLiteral("GOOGLE_HD"),
        QStringLiteral("MICROSOFT_ID"),
        QStringLiteral("MICROSOFT_SECRET"),
        QStringLiteral("MICROSOFT_TENANT"),
        QStringLiteral("GITLAB_ID"),
        QStringLiteral("GITLAB_SECRET"),
        QStringLiteral("GITLAB_ISSUER"),
        QStringLiteral("GITHUB_ID"),
        QStringLiteral("GITHUB_SECRET"),
        QStringLiteral("GITHUB_URL"),
        QStringLiteral("GITHUB_API_URL"),
        QStringLiteral("OIDC_PROVIDERS"),
        QStringLiteral("EMAIL_SERVER"),
        QStringLiteral("EMAIL_FROM"),
        QStringLiteral("EMAIL_USERNAME"),
        QStringLiteral("EMAIL_PASSWORD"),
        QStringLiteral("EMAIL_CA_FILE"),
        QStringLiteral("EMAIL_TLS"),
        QStringLiteral("DATABASE_URL"),
        QStringLiteral("LATCHKEY_DATA_DIR"),
        QStringLiteral("LATCHKEY_SESSION_MAX_AGE"),
        QStringLiteral("LATCHKEY_SESSION_UPDATE_AGE"),
        QStringLiteral("LATCHKEY_SESSION_STRATEGY"),
        QStringLiteral("LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER"),
        QStringLiteral("LATCHKEY_KEYCHAIN_SERVICE"),
        QStringLiteral("LATCHKEY_LANGUAGE"),
        QStringLiteral("LATCHKEY_ALLOWED_EMAIL_DOMAINS"),
        QStringLiteral("LATCHKEY_AFTER_SIGN_IN"),
};

const QStringList kProviderFields = {QStringLiteral("ISSUER"),        QStringLiteral("CLIENT_ID"),
                                     QStringLiteral("CLIENT_SECRET"), QStringLiteral("SCOPES"),
                                     QStringLiteral("LABEL"),         QStringLiteral("HD")};

/// OAUTH2_<ID>_*: a plain OAuth 2.0 provider's settings.
const QStringList kOAuth2Fields = {QStringLiteral("ID"),
                                   QStringLiteral("SECRET"),
                                   QStringLiteral("NAME"),
                                   QStringLiteral("AUTHORIZATION_URL"),
                                   QStringLiteral("TOKEN_URL"),
                                   QStringLiteral("USERINFO_URL"),
                                   QStringLiteral("SCOPES"),
                                   QStringLiteral("ACCOUNT_ID"),
                                   QStringLiteral("REVOCATION_URL"),
                                   QStringLiteral("TOKEN_AUTH_METHOD")};

struct Setting
{
    QString value;
    QString origin;
};

/// The merged key/value view with the origin of every value, for messages that name both.
class Settings
{
public:
    void merge(const QHash<QString, QString> &values, const QString &origin)
    {
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            m_values.insert(it.key(), Setting{it.value(), origin});
    }
    QString value(const QString &key) const { return m_values.value(key).value.trimmed(); }
    bool has(const QString &key) const { return !value(key).isEmpty(); }
    Error error(const QString &key, const QString &problem) const
    {
        const QString origin = m_values.value(key).origin;
        const QString where =
                origin.isEmpty() ? QString() : QStringLiteral(" (from %1)").arg(origin);
        Error error = Error::make(
                ErrorKind::Config, ErrorCode::ConfigInvalid,
                QStringLiteral("Configuration error: %1%2: %3").arg(key, where, problem), key);
        error.subject = key;
        return error;
    }
    const QHash<QString, Setting> &all() const { return m_values; }

private:
    QHash<QString, Setting> m_values;
};

bool isOurKey(const QString &key)
{
    return std::any_of(kOurPrefixes.cbegin(), kOurPrefixes.cend(),
                       [&key](const QString &prefix) { return key.startsWith(prefix); });
}

QString unquote(const QString &raw, bool *ok)
{
    *ok = true;
    const QString value = raw.trimmed();
    if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'')) {
        if (value.back() != value.front()) {
            *ok = false;
            return {};
        }
        QString inner = value.mid(1, value.size() - 2);
        if (value.front() == u'"')
            inner.replace(QStringLiteral("\\n"), QStringLiteral("\n"))
                    .replace(QStringLiteral("\\\""), QStringLiteral("\""));
        return inner;
    }
    if (value.startsWith(u'"') || value.startsWith(u'\'')) {
        *ok = false;
        return {};
    }
    // An unquoted value ends at " #" (a trailing comment), as in dotenv.
    const qsizetype comment = value.indexOf(QStringLiteral(" #"));
    return comment >= 0 ? value.left(comment).trimmed() : value;
}

/// "30d", "24h", "15m", "90s" or a plain number of seconds.
std::optional<qint64> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,9})\\s*([smhd]?)$"));
    const auto match = pattern.match(text.trimmed().toLower());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == u"d" ? 86400 : unit == u"h" ? 3600 : unit == u"m" ? 60 : 1;
    return number * factor;
}

std::optional<bool> parseBool(const QString &text)
{
    const QString v = text.trimmed().toLower();
    if (v == u"1" || v == u"true" || v == u"yes" || v == u"on")
        return true;
    if (v == u"0" || v == u"false" || v == u"no" || v == u"off" || v.isEmpty())
        return false;
    return std::nullopt;
}

/// https://, or http:// on a loopback address when the development switch allows it.
Result<QUrl> requireHttps(const Settings &s, const QString &key, const QUrl &url,
                          bool allowHttpLoopback, const QString &what)
{
    if (url.scheme() == u"https")
        return url;
    if (url.scheme() == u"http" && allowHttpLoopback && isLoopbackAddress(url.host()))
        return url;
    if (url.scheme() == u"http" && isLoopbackAddress(url.host()))
        return s.error(key,
                       QStringLiteral("http:// is only allowed for a development provider on "
                                      "127.0.0.1 when LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1"));
    return s.error(key, QStringLiteral("the %1 must use https://").arg(what));
}

Result<QUrl> parseIssuer(const Settings &s, const QString &key, bool allowHttpLoopback)
{
    const QUrl issuer(s.value(key), QUrl::StrictMode);
    if (!issuer.isValid() || issuer.host().isEmpty())
        return s.error(key,
                       QStringLiteral("not a valid URL; use the provider's issuer, like "
                                      "https://accounts.example.com"));
    if (issuer.hasQuery() || issuer.hasFragment() || !issuer.userInfo().isEmpty())
        return s.error(key, QStringLiteral("an issuer URL has no query, fragment or user name"));
    return requireHttps(s, key, issuer, allowHttpLoopback, QStringLiteral("issuer"));
}

/// An OAuth 2.0 endpoint (RFC 6749 §3.1: it may have a query, never a fragment).
Result<QUrl> parseEndpoint(const Settings &s, const QString &key, bool allowHttpLoopback)
{
    const QUrl endpoint(s.value(key), QUrl::StrictMode);
    if (!endpoint.isValid() || endpoint.host().isEmpty())
        return s.error(key,
                       QStringLiteral("not a valid URL; use the address from the provider's "
                                      "documentation, like https://auth.example.com/oauth/token"));
    if (endpoint.hasFragment() || !endpoint.userInfo().isEmpty())
        return s.error(key, QStringLiteral("an endpoint URL has no fragment or user name"));
    return requireHttps(s, key, endpoint, allowHttpLoopback, QStringLiteral("endpoint"));
}

Result<QString> parseDatabasePath(const Settings &s, const QString &dataDir)
{
    const QString key = QStringLiteral("DATABASE_URL");
    if (!s.has(key))
        return QDir(dataDir).filePath(QStringLiteral("latchkey.db"));
    QString value = s.value(key);
    if (value.startsWith(QStringLiteral("sqlite://")))
        value = value.mid(9);
    else if (value.startsWith(QStringLiteral("sqlite:")) ||
             value.startsWith(QStringLiteral("file:")))
        value = value.mid(value.indexOf(u':') + 1);
    else if (value.contains(QStringLiteral("://")))
        return s.error(key,
                       QStringLiteral("Latchkey keeps its data in SQLite; give a file path, "
                                      "file:/path or sqlite:///path"));
    if (value.startsWith(QStringLiteral("//")))
        value = value.mid(1);
    if (value.isEmpty())
        return s.error(key, QStringLiteral("the path is empty"));
    return QDir::cleanPath(QDir(dataDir).absoluteFilePath(value));
}

Status parseEmail(const Settings &s, EmailConfig &email)
{
    email.username = s.value(QStringLiteral("EMAIL_USERNAME"));
    email.password = s.value(QStringLiteral("EMAIL_PASSWORD"));
    email.caFile = s.value(QStringLiteral("EMAIL_CA_FILE"));
    email.from = s.value(QStringLiteral("EMAIL_FROM"));

    const QString tls = s.value(QStringLiteral("EMAIL_TLS")).toLower();
    if (tls == u"off")
        email.requireTls = false;
    else if (!tls.isEmpty() && tls != u"required")
        return s.error(QStringLiteral("EMAIL_TLS"),
                       QStringLiteral("use \"required\" (default) or \"off\""));

    if (s.has(QStringLiteral("EMAIL_SERVER"))) {
        const QString key = QStringLiteral("EMAIL_SERVER");
        const QUrl server(s.value(key), QUrl::StrictMode);
        if (!server.isValid() || (server.scheme() != u"smtp" && server.scheme() != u"smtps") ||
            server.host().isEmpty() || server.path().size() > 1)
            return s.error(key,
                           QStringLiteral("expected smtp://user:password@host:587 or "
                                          "smtps://user:password@host:465"));
        if (server.port() == 0)
            return s.error(key, QStringLiteral("the port must be between 1 and 65535"));
        email.server = server;
        if (email.username.isEmpty())
            email.username = server.userName();
        if (email.password.isEmpty())
            email.password = server.password();
        email.server.setUserInfo({});
        if (!email.requireTls && server.scheme() == u"smtp" && !isLoopbackHost(server.host()))
            return s.error(QStringLiteral("EMAIL_TLS"),
                           QStringLiteral("\"off\" is allowed only for a mail relay on this "
                                          "computer (localhost or 127.0.0.1): sign-in links must "
                                          "not cross the network unencrypted"));
        if (email.from.isEmpty())
            return s.error(QStringLiteral("EMAIL_FROM"),
                           QStringLiteral("required with EMAIL_SERVER; the sender address, like "
                                          "\"Latchkey <no-reply@example.com>\""));
    }
    if (!email.caFile.isEmpty() && !QFileInfo(email.caFile).isReadable())
        return s.error(QStringLiteral("EMAIL_CA_FILE"), QStringLiteral("the file cannot be read"));

    if (email.from.isEmpty()) {
        email.from = QStringLiteral("Latchkey <no-reply@latchkey.invalid>");
    } else {
        if (!canonicalizeEmail(splitNamedAddress(email.from).address))
            return s.error(
                    QStringLiteral("EMAIL_FROM"),
                    QStringLiteral("not a valid sender; use an address or \"Name <address>\""));
    }
    return {};
}

/// A domain name as an email address has it after '@' (lowercase); empty stays empty.
Result<QString> parseDomain(const Settings &s, const QString &key, const QString &value)
{
    if (value.isEmpty())
        return QString();
    const auto address = canonicalizeEmail(QStringLiteral("someone@") + value);
    if (!address || value.contains(u'@'))
        return s.error(key,
                       QStringLiteral("\"%1\" is not a domain name like example.com").arg(value));
    return address->mid(address->indexOf(u'@') + 1);
}

Result<OidcProviderConfig> parseProvider(const Settings &s, const QString &id, bool allowHttp)
{
    const QString prefix = QStringLiteral("OIDC_") + id.toUpper().replace(u'-', u'_') + u'_';
    const QString issuerKey = prefix + QStringLiteral("ISSUER");
    const QString clientKey = prefix + QStringLiteral("CLIENT_ID");
    if (!s.has(issuerKey))
        return s.error(issuerKey,
                       QStringLiteral("missing; the issuer URL of provider \"%1\"").arg(id));
    if (!s.has(clientKey))
        return s.error(clientKey,
                       QStringLiteral("missing; the client ID registered for Latchkey "
                                      "at provider \"%1\"")
                               .arg(id));
    auto issuer = parseIssuer(s, issuerKey, allowHttp);
    if (!issuer)
        return issuer.error();
    OidcProviderConfig provider = presets::oidc(id, issuer.value(), s.value(clientKey),
                                                s.value(prefix + QStringLiteral("CLIENT_SECRET")));
    if (const QString label = s.value(prefix + QStringLiteral("LABEL")); !label.isEmpty())
        provider.label = label;
    if (const QString scopes = s.value(prefix + QStringLiteral("SCOPES")); !scopes.isEmpty())
        provider.scopes = splitList(scopes);
    if (!provider.scopes.contains(QStringLiteral("openid")))
        return s.error(prefix + QStringLiteral("SCOPES"),
                       QStringLiteral("must include \"openid\""));
    auto hd = parseDomain(s, prefix + QStringLiteral("HD"), s.value(prefix + QStringLiteral("HD")));
    if (!hd)
        return hd.error();
    provider.hostedDomain = hd.value();
    return provider;
}

/// OAUTH2_<ID>_*: a plain OAuth 2.0 provider.
Result<OidcProviderConfig> parseOAuth2Provider(const Settings &s, const QString &id, bool allowHttp)
{
    const QString prefix = QStringLiteral("OAUTH2_") + id.toUpper().replace(u'-', u'_') + u'_';
    const QString clientKey = prefix + QStringLiteral("ID");
    if (!s.has(clientKey))
        return s.error(clientKey,
                       QStringLiteral("missing; the client ID registered for Latchkey "
                                      "at provider \"%1\"")
                               .arg(id));
    const char16_t *endpoints[][2] = {{u"AUTHORIZATION_URL", u"authorization endpoint"},
                                      {u"TOKEN_URL", u"token endpoint"},
                                      {u"USERINFO_URL", u"user information endpoint"},
                                      {u"REVOCATION_URL", nullptr}};
    QUrl urls[4];
    for (int i = 0; i < 4; ++i) {
        const QString key = prefix + QString::fromUtf16(endpoints[i][0]);
        if (!s.has(key) && !endpoints[i][1])
            continue; // RFC 7009 revocation is optional
        if (!s.has(key))
            return s.error(key,
                           QStringLiteral("missing; the https:// address of the %1 of provider "
                                          "\"%2\"")
                                   .arg(QString::fromUtf16(endpoints[i][1]), id));
        auto url = parseEndpoint(s, key, allowHttp);
        if (!url)
            return url.error();
        urls[i] = url.value();
    }
    OidcProviderConfig provider = presets::oauth2(id, urls[0], urls[1], urls[2], s.value(clientKey),
                                                  s.value(prefix + QStringLiteral("SECRET")));
    provider.revocationUrl = urls[3];
    if (const QString name = s.value(prefix + QStringLiteral("NAME")); !name.isEmpty())
        provider.label = name;
    provider.scopes = splitList(s.value(prefix + QStringLiteral("SCOPES")));
    provider.accountIdField = s.value(prefix + QStringLiteral("ACCOUNT_ID"));
    const QString methodKey = prefix + QStringLiteral("TOKEN_AUTH_METHOD");
    provider.tokenAuthMethod = s.value(methodKey);
    if (!provider.tokenAuthMethod.isEmpty() && provider.tokenAuthMethod != u"client_secret_basic" &&
        provider.tokenAuthMethod != u"client_secret_post")
        return s.error(methodKey,
                       QStringLiteral("use client_secret_basic (default) or client_secret_post, "
                                      "as the provider's documentation says"));
    return provider;
}

/// A built-in provider configured by <NAME>_ID, <NAME>_SECRET and one setting of its own.
struct Preset
{
    const char16_t *name; ///< the key prefix: GOOGLE
    const char16_t *extraKey; ///< GOOGLE_HD, MICROSOFT_TENANT, GITLAB_ISSUER or GITHUB_URL
    const char16_t *client; ///< what the client id is called there, for messages
    const char16_t *apiKey = nullptr; ///< GITHUB_API_URL
};

const Preset kPresets[] = {
        {u"GOOGLE", u"GOOGLE_HD", u"your Google \"Desktop app\" OAuth client"},
        {u"MICROSOFT", u"MICROSOFT_TENANT", u"your Microsoft Entra app registration"},
        {u"GITHUB", u"GITHUB_URL", u"your GitHub OAuth app", u"GITHUB_API_URL"},
        {u"GITLAB", u"GITLAB_ISSUER", u"your GitLab application"},
};

/// GitHub: an OAuth app's secret is required at the token endpoint; GITHUB_URL and
/// GITHUB_API_URL (GitHub Enterprise Server, the test stand-in) follow the issuers' https rule.
Result<ProviderOptions> githubProvider(const Settings &s, bool allowHttp)
{
    const QString secretKey = QStringLiteral("GITHUB_SECRET");
    if (!s.has(secretKey))
        return s.error(secretKey,
                       QStringLiteral("missing; GitHub requires the client secret of your GitHub "
                                      "OAuth app (Settings > Developer settings > OAuth Apps) "
                                      "at its token endpoint"));
    QUrl urls[] = {QUrl(QStringLiteral("https://github.com")),
                   QUrl(QStringLiteral("https://api.github.com"))};
    const QString keys[] = {QStringLiteral("GITHUB_URL"), QStringLiteral("GITHUB_API_URL")};
    for (int i = 0; i < 2; ++i) {
        if (!s.has(keys[i]))
            continue;
        auto url = parseIssuer(s, keys[i], allowHttp);
        if (!url)
            return url.error();
        urls[i] = url.value();
    }
    return presets::github(s.value(QStringLiteral("GITHUB_ID")), s.value(secretKey), urls[0],
                           urls[1]);
}

Result<ProviderOptions> presetProvider(const Settings &s, const Preset &preset, bool allowHttp)
{
    const QString name = QString::fromUtf16(preset.name);
    const QString extraKey = QString::fromUtf16(preset.extraKey);
    const QString id = s.value(name + QStringLiteral("_ID"));
    const QString secret = s.value(name + QStringLiteral("_SECRET"));
    const QString extra = s.value(extraKey);
    if (name == u"GITHUB")
        return githubProvider(s, allowHttp);
    if (name == u"GOOGLE") {
        auto hd = parseDomain(s, extraKey, extra);
        if (!hd)
            return hd.error();
        ProviderOptions google = presets::google(id, secret);
        google.hostedDomain = hd.value();
        return google;
    }
    if (name == u"MICROSOFT") {
        const QString tenant = extra.isEmpty() ? QStringLiteral("common") : extra.toLower();
        if (!presets::isMicrosoftTenant(tenant))
            return s.error(extraKey,
                           QStringLiteral("use common, organizations, consumers or the directory "
                                          "(tenant) ID, a GUID shown in the Microsoft Entra admin "
                                          "center; a domain name is not accepted"));
        return presets::microsoft(id, tenant, secret);
    }
    QUrl issuer(QStringLiteral("https://gitlab.com"));
    if (!extra.isEmpty()) {
        auto own = parseIssuer(s, extraKey, allowHttp);
        if (!own)
            return own.error();
        issuer = own.value();
    }
    return presets::gitlab(id, issuer, secret);
}

/// The preset's provider when <NAME>_ID is set; nothing when none of its keys is.
Result<std::optional<ProviderOptions>> parsePreset(const Settings &s, const Preset &preset,
                                                   bool allowHttp)
{
    const QString name = QString::fromUtf16(preset.name);
    const QString idKey = name + QStringLiteral("_ID");
    if (s.has(idKey)) {
        auto provider = presetProvider(s, preset, allowHttp);
        if (!provider)
            return provider.error();
        return std::optional<ProviderOptions>(provider.value());
    }
    QStringList otherKeys{name + QStringLiteral("_SECRET")};
    // GitHub Actions sets GITHUB_API_URL (and GitHub's own variables) in every job: a URL alone
    // configures nothing and is no mistake.
    if (!preset.apiKey)
        otherKeys.append(QString::fromUtf16(preset.extraKey));
    for (const QString &key : otherKeys) {
        if (s.has(key))
            return s.error(key,
                           QStringLiteral("set, but %1 is not; set %1 to the client ID of %2")
                                   .arg(idKey, QString::fromUtf16(preset.client)));
    }
    return std::optional<ProviderOptions>();
}

/// OIDC_PROVIDERS or OAUTH2_PROVIDERS: the ids, and the <PREFIX><ID>_* settings of each.
struct ProviderList
{
    const char16_t *prefix; ///< OIDC_ or OAUTH2_
    const QStringList &fields; ///< what may follow <PREFIX><ID>_
    Result<OidcProviderConfig> (*parse)(const Settings &, const QString &, bool);
    const char16_t *keys; ///< the settings, for the typo message
};

const ProviderList kProviderLists[] = {
        {u"OIDC_", kProviderFields, parseProvider,
         u"OIDC_<ID>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _SCOPES, _LABEL or _HD"},
        {u"OAUTH2_", kOAuth2Fields, parseOAuth2Provider,
         u"OAUTH2_<ID>_ID, _SECRET, _NAME, _AUTHORIZATION_URL, _TOKEN_URL, _USERINFO_URL, "
         u"_SCOPES, _ACCOUNT_ID, _REVOCATION_URL or _TOKEN_AUTH_METHOD"},
};

Result<QStringList> parseProviderIds(const Settings &s, const QString &listKey,
                                     const Config &config)
{
    QStringList ids;
    for (const QString &raw : splitList(s.value(listKey))) {
        const QString id = raw.toLower();
        if (!isProviderId(id))
            return s.error(listKey,
                           QStringLiteral("\"%1\" is not a valid provider id (lowercase letters, "
                                          "digits and '-', at most 32)")
                                   .arg(raw));
        if (id == u"email" || config.provider(id) || ids.contains(id))
            return s.error(
                    listKey,
                    QStringLiteral("the provider id \"%1\" is used twice or reserved").arg(id));
        ids.append(id);
    }
    return ids;
}

Status parseProviderList(const Settings &s, const ProviderList &list, Config &config)
{
    const QString prefix = QString::fromUtf16(list.prefix);
    const QString listKey = prefix + QStringLiteral("PROVIDERS");
    const auto ids = parseProviderIds(s, listKey, config);
    if (!ids)
        return ids.error();
    for (const QString &id : ids.value()) {
        auto provider = list.parse(s, id, config.allowHttpLoopbackIssuer);
        if (!provider)
            return provider.error();
        config.providers.append(provider.value());
    }

    // A provider key for an id that the list does not name is a typo waiting to hurt.
    for (auto it = s.all().cbegin(); it != s.all().cend(); ++it) {
        const QString &key = it.key();
        if (!key.startsWith(prefix) || key == listKey || it->value.isEmpty())
            continue;
        const bool listed =
                std::any_of(ids->cbegin(), ids->cend(), [&key, &prefix, &list](const QString &id) {
                    const QString idPrefix =
                            prefix + QString(id).toUpper().replace(u'-', u'_') + u'_';
                    return key.startsWith(idPrefix) &&
                            list.fields.contains(key.mid(idPrefix.size()));
                });
        if (!listed)
            return s.error(key,
                           QStringLiteral("not a known provider setting; list the provider's id "
                                          "in %1 and use %2")
                                   .arg(listKey, QString::fromUtf16(list.keys)));
    }
    return {};
}

Status parseProviders(const Settings &s, Config &config)
{
    for (const Preset &preset : kPresets) {
        auto provider = parsePreset(s, preset, config.allowHttpLoopbackIssuer);
        if (!provider)
            return provider.error();
        if (provider->has_value())
            config.providers.append(**provider);
    }

    for (const ProviderList &list : kProviderLists) {
        if (auto status = parseProviderList(s, list, config); !status)
            return status;
    }
    return {};
}

Status checkUnknownKeys(const Settings &s)
{
    for (auto it = s.all().cbegin(); it != s.all().cend(); ++it) {
        if (it->origin == u"the environment" || !isOurKey(it.key()) ||
            it.key().startsWith(QStringLiteral("OIDC_")) ||
            it.key().startsWith(QStringLiteral("OAUTH2_")))
            continue;
        if (!kKnownKeys.contains(it.key()))
            return s.error(
                    it.key(),
                    QStringLiteral("unknown setting; see the README's configuration section"));
    }
    return {};
}

Result<QHash<QString, QString>> readKeyValueFile(const QString &path, bool required)
{
    QFile file(path);
    if (!file.exists() && !required)
        return QHash<QString, QString>{};
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("Configuration error: cannot read %1: %2")
                                   .arg(QDir::toNativeSeparators(path), file.errorString()),
                           path);
    return parseKeyValueText(QString::fromUtf8(file.readAll()), QDir::toNativeSeparators(path));
}

} // namespace

const ProviderOptions *Options::provider(const QString &id) const
{
    for (const auto &p : providers) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

QString Options::dataFolder() const
{
    if (!dataDir.isEmpty())
        return dataDir;
    if (databasePath.isEmpty() || databasePath.startsWith(u':'))
        return {};
    return QFileInfo(databasePath).absolutePath();
}

Result<QHash<QString, QString>> parseKeyValueText(const QString &text, const QString &origin)
{
    QHash<QString, QString> values;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';') ||
            (line.startsWith(u'[') && line.endsWith(u']')))
            continue;
        if (line.startsWith(QStringLiteral("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        const QString key = eq > 0 ? line.left(eq).trimmed() : QString();
        bool ok = false;
        const QString value = eq > 0 ? unquote(line.mid(eq + 1), &ok) : QString();
        if (!isSettingKey(key) || !ok)
            return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                               QStringLiteral("Configuration error: %1 line %2 is not KEY=value")
                                       .arg(origin)
                                       .arg(i + 1),
                               origin);
        values.insert(key.toUpper(), value);
    }
    return values;
}

Result<Config> loadConfig(const ConfigSources &sources)
{
    const QProcessEnvironment &env = sources.environment;
    const QString home = env.value(QStringLiteral("HOME"), QDir::homePath());
    const QString configHome =
            env.value(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    const QString dataHome =
            env.value(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));

    Settings s;
    const QString iniPath = sources.iniPath.isEmpty()
            ? configHome + QStringLiteral("/latchkey/latchkey.conf")
            : sources.iniPath;
    auto ini = readKeyValueFile(iniPath, !sources.iniPath.isEmpty());
    if (!ini)
        return ini.error();
    s.merge(ini.value(), QDir::toNativeSeparators(iniPath));
    if (!sources.envFilePath.isEmpty()) {
        auto envFile = readKeyValueFile(sources.envFilePath, true);
        if (!envFile)
            return envFile.error();
        s.merge(envFile.value(), QDir::toNativeSeparators(sources.envFilePath));
    }
    QHash<QString, QString> fromEnvironment;
    for (const QString &key : env.keys()) {
        if (isOurKey(key))
            fromEnvironment.insert(key, env.value(key));
    }
    s.merge(fromEnvironment, QStringLiteral("the environment"));

    if (auto status = checkUnknownKeys(s); !status)
        return status.error();

    Config config;
    config.dataDir = s.has(QStringLiteral("LATCHKEY_DATA_DIR"))
            ? s.value(QStringLiteral("LATCHKEY_DATA_DIR"))
            : dataHome + QStringLiteral("/latchkey");
    config.outboxDir = config.dataDir + QStringLiteral("/outbox");
    auto database = parseDatabasePath(s, config.dataDir);
    if (!database)
        return database.error();
    config.databasePath = database.value();

    const auto allowHttp =
            parseBool(s.value(QStringLiteral("LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER")));
    if (!allowHttp)
        return s.error(QStringLiteral("LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER"),
                       QStringLiteral("use 1 or 0"));
    config.allowHttpLoopbackIssuer = *allowHttp;

    if (auto status = parseProviders(s, config); !status)
        return status.error();
    if (auto status = parseEmail(s, config.email); !status)
        return status.error();

    for (const auto &[key, target] :
         {std::pair{QStringLiteral("LATCHKEY_SESSION_MAX_AGE"), &config.sessionMaxAgeSecs},
          std::pair{QStringLiteral("LATCHKEY_SESSION_UPDATE_AGE"), &config.sessionUpdateAgeSecs}}) {
        if (!s.has(key))
            continue;
        const auto seconds = parseDuration(s.value(key));
        if (!seconds || *seconds <= 0)
            return s.error(key,
                           QStringLiteral("expected a duration like 30d, 24h, 15m or seconds"));
        if (*seconds > Options::kMaxSessionAgeSecs)
            return s.error(key, QStringLiteral("must not be longer than a year (365d)"));
        *target = *seconds;
    }
    if (config.sessionUpdateAgeSecs > config.sessionMaxAgeSecs)
        return s.error(QStringLiteral("LATCHKEY_SESSION_UPDATE_AGE"),
                       QStringLiteral("must not be longer than LATCHKEY_SESSION_MAX_AGE"));

    const QString strategy = s.value(QStringLiteral("LATCHKEY_SESSION_STRATEGY")).toLower();
    if (strategy == u"jwt")
        config.sessionStrategy = SessionStrategy::Jwt;
    else if (!strategy.isEmpty() && strategy != u"database")
        return s.error(QStringLiteral("LATCHKEY_SESSION_STRATEGY"),
                       QStringLiteral("use \"database\" or \"jwt\""));

    if (s.has(QStringLiteral("LATCHKEY_KEYCHAIN_SERVICE")))
        config.keychainService = s.value(QStringLiteral("LATCHKEY_KEYCHAIN_SERVICE"));
    config.language = s.value(QStringLiteral("LATCHKEY_LANGUAGE")).toLower();
    if (!config.language.isEmpty() && config.language != u"en" && config.language != u"ko")
        return s.error(QStringLiteral("LATCHKEY_LANGUAGE"), QStringLiteral("use \"en\" or \"ko\""));

    for (const QString &raw :
         splitList(s.value(QStringLiteral("LATCHKEY_ALLOWED_EMAIL_DOMAINS")))) {
        auto domain = parseDomain(s, QStringLiteral("LATCHKEY_ALLOWED_EMAIL_DOMAINS"), raw);
        if (!domain)
            return domain.error();
        if (!config.allowedEmailDomains.contains(domain.value()))
            config.allowedEmailDomains.append(domain.value());
    }
    config.afterSignIn = s.value(QStringLiteral("LATCHKEY_AFTER_SIGN_IN")).toLower();
    if (!config.afterSignIn.isEmpty() && config.afterSignIn != u"home" &&
        config.afterSignIn != u"dashboard" && config.afterSignIn != u"profile")
        return s.error(QStringLiteral("LATCHKEY_AFTER_SIGN_IN"),
                       QStringLiteral("use \"home\", \"dashboard\" or \"profile\""));
    return config;
}

Result<Options> Options::fromConfig(const ConfigSources &sources) { return loadConfig(sources); }

} // namespace latchkey
