#include "githubapi.h"

#include "core/emailaddress.h"
#include "oidc/tokenerror.h"
#include "oidc/tokenjson.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <optional>

namespace latchkey::github {

namespace {

using Fields = QHash<QString, QString>;

/// Which of GitHub's two OAuth app flows a token answer belongs to.
enum class Flow { Web, Device };

const QString kWhat = QStringLiteral("GitHub token response");

Error misbehaved(const QString &message, const QString &reason)
{
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                       message + QStringLiteral(" Try signing in again."), reason);
}

/// An error about `subject` (the provider's label, or a configuration key), which the message
/// names.
Error providerError(ErrorKind kind, ErrorCode code, const QString &message, const QString &reason,
                    const QString &subject)
{
    Error error = Error::make(kind, code, message, reason);
    error.subject = subject;
    return error;
}

Error configError(const QString &key, const QString &message, const QString &reason)
{
    return providerError(ErrorKind::Config, ErrorCode::ConfigInvalid, message, reason, key);
}

QString withoutTrailingSlash(QString path)
{
    while (path.endsWith(u'/'))
        path.chop(1);
    return path;
}

QUrl onHost(const QUrl &base, const QString &path)
{
    QUrl url = base;
    url.setPath(withoutTrailingSlash(base.path()) + path);
    return url;
}

/// The media type of a Content-Type value, lower case, without parameters.
QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

/// application/x-www-form-urlencoded (WHATWG URL §5.1: '+' is a space), names unique.
Result<Fields> parseForm(const QByteArray &body)
{
    Fields fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        auto decode = [](QByteArray raw) {
            return QString::fromUtf8(QByteArray::fromPercentEncoding(raw.replace('+', ' ')));
        };
        const QString name = decode(eq < 0 ? pair : pair.left(eq));
        if (fields.contains(name))
            return misbehaved(QStringLiteral("GitHub's token response repeats \"%1\".")
                                      .arg(oidc::sanitizedOAuthText(name)),
                              QStringLiteral("duplicate_member"));
        fields.insert(name, eq < 0 ? QString() : decode(pair.mid(eq + 1)));
    }
    return fields;
}

/// A JSON object with unique names whose members used here are strings (expires_in: a number).
Result<Fields> parseJson(const QByteArray &body)
{
    const auto object = oidc::parseStrictJsonObject(body, kWhat);
    if (!object)
        return object.error();
    Fields fields;
    for (auto it = object->constBegin(); it != object->constEnd(); ++it) {
        if (it.value().isString())
            fields.insert(it.key(), it.value().toString());
        else if ((it.key() == u"expires_in" || it.key() == u"interval") && it.value().isDouble())
            fields.insert(it.key(), QString::number(it.value().toDouble(), 'f', 0));
        else if (!it.value().isNull() && (it.key() == u"error" || it.key() == u"access_token"))
            return misbehaved(
                    QStringLiteral("GitHub's token response has a malformed \"%1\".").arg(it.key()),
                    QStringLiteral("invalid_member"));
    }
    return fields;
}

/// The device flow's own errors ("Error codes for the device flow"); nullopt for the others.
/// authorization_pending, slow_down, expired_token and access_denied are RFC 8628's and go on to
/// the poller as OAuthToken errors with the code as `reason`.
std::optional<Error> deviceError(const QString &error, const QString &label)
{
    if (error == u"device_flow_disabled") {
        return providerError(ErrorKind::Config, ErrorCode::DeviceFlowDisabled,
                             QStringLiteral("%1 has device sign-in turned off for this "
                                            "app (device_flow_disabled). Enable Device "
                                            "Flow in the GitHub app's settings.")
                                     .arg(label),
                             error, label);
    }
    if (error == u"incorrect_client_credentials") // the device flow sends no secret
        return configError(QStringLiteral("GITHUB_ID"),
                           QStringLiteral("%1 did not accept the client ID "
                                          "(incorrect_client_credentials). Check GITHUB_ID "
                                          "against your OAuth app.")
                                   .arg(label),
                           error);
    if (error == u"incorrect_device_code") {
        return providerError(ErrorKind::OAuthToken, ErrorCode::DeviceCodeRejected,
                             QStringLiteral("%1 no longer accepts this sign-in's code "
                                            "(incorrect_device_code). Start again.")
                                     .arg(label),
                             error, label);
    }
    if (error == u"unsupported_grant_type") {
        return providerError(ErrorKind::Config, ErrorCode::DeviceSignInUnsupported,
                             QStringLiteral("%1 does not accept the device grant "
                                            "(unsupported_grant_type).")
                                     .arg(label),
                             error, label);
    }
    return std::nullopt;
}

/// GitHub's errors-in-a-200 (troubleshooting OAuth app access token request errors).
Error tokenError(const Fields &fields, const QString &label, Flow flow)
{
    const QString error = oidc::sanitizedOAuthText(fields.value(QStringLiteral("error")));
    if (flow == Flow::Device) {
        if (auto known = deviceError(error, label))
            return *known;
    }
    if (error == u"bad_verification_code")
        return Error::make(ErrorKind::OAuthToken, ErrorCode::AuthorizationCodeExpired,
                           QStringLiteral("The sign-in at %1 expired or was already used. Sign "
                                          "in again.")
                                   .arg(label),
                           error);
    if (error == u"incorrect_client_credentials")
        return configError(QStringLiteral("GITHUB_SECRET"),
                           QStringLiteral("%1 did not accept the client ID and secret "
                                          "(incorrect_client_credentials). Check GITHUB_ID and "
                                          "GITHUB_SECRET against your OAuth app.")
                                   .arg(label),
                           error);
    if (error == u"redirect_uri_mismatch")
        return configError(QStringLiteral("GITHUB_ID"),
                           QStringLiteral("%1 refused the redirect URI (redirect_uri_mismatch). "
                                          "Set your OAuth app's callback URL to "
                                          "http://127.0.0.1/callback.")
                                   .arg(label),
                           error);
    if (error == u"unverified_user_email") {
        return providerError(
                ErrorKind::OAuthToken, ErrorCode::ProviderEmailUnverified,
                QStringLiteral("%1 refused the sign-in: the account's primary email address is "
                               "not verified.")
                        .arg(label),
                error, label);
    }
    oidc::TokenError refused;
    refused.error = error;
    refused.errorDescription =
            oidc::sanitizedOAuthText(fields.value(QStringLiteral("error_description")));
    refused.httpStatus = 200;
    Error out = refused.toError();
    // "The slow_down error response adds 5 seconds to the last interval" and carries it.
    if (error == u"slow_down") {
        bool ok = false;
        const int interval = fields.value(QStringLiteral("interval")).toInt(&ok);
        if (ok && interval > 0)
            out.retryAfterSecs = interval;
    }
    return out;
}

Result<oidc::TokenResponse> tokensFrom(const Fields &fields, const QDateTime &now)
{
    oidc::TokenResponse tokens;
    tokens.accessToken = fields.value(QStringLiteral("access_token"));
    if (tokens.accessToken.isEmpty())
        return misbehaved(QStringLiteral("GitHub's token response has no access token."),
                          QStringLiteral("missing_access_token"));
    // RFC 6749 §5.1: token_type is case-insensitive; GitHub sends "bearer".
    if (fields.value(QStringLiteral("token_type")).compare(u"bearer", Qt::CaseInsensitive) != 0)
        return misbehaved(QStringLiteral("GitHub issued a token of a type this app cannot use "
                                         "(expected bearer)."),
                          QStringLiteral("unsupported_token_type"));
    tokens.tokenType = QStringLiteral("Bearer");
    // GitHub lists the granted scopes comma-separated (RFC 6749 §3.3 says space-separated).
    tokens.scope = fields.value(QStringLiteral("scope"))
                           .split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts)
                           .join(u' ');
    tokens.refreshToken = fields.value(QStringLiteral("refresh_token"));
    if (const QString expiresIn = fields.value(QStringLiteral("expires_in"));
        !expiresIn.isEmpty()) {
        bool ok = false;
        const qint64 seconds = expiresIn.toLongLong(&ok);
        if (!ok || seconds < 0 || seconds > 10LL * 365 * 24 * 3600)
            return misbehaved(QStringLiteral("GitHub's token response has an invalid "
                                             "\"expires_in\"."),
                              QStringLiteral("invalid_expires_in"));
        tokens.expiresAt = now.toUTC().addSecs(seconds);
    }
    return tokens;
}

/// The fields of a 200 answer of the token or device code endpoint, as its Content-Type says.
Result<Fields> answerFields(const QByteArray &contentType, const QByteArray &body)
{
    const QByteArray type = mediaType(contentType);
    if (type == "application/json")
        return parseJson(body);
    if (type == "application/x-www-form-urlencoded")
        return parseForm(body);
    return misbehaved(QStringLiteral("GitHub's token response is neither JSON nor form-encoded."),
                      QStringLiteral("unsupported_content_type"));
}

Result<oidc::TokenResponse> parseTokens(int httpStatus, const QByteArray &contentType,
                                        const QByteArray &body, const QDateTime &now,
                                        const QString &label, Flow flow)
{
    if (httpStatus != 200)
        return oidc::tokenEndpointError(httpStatus, body, QStringLiteral("token endpoint"));
    Result<Fields> fields = answerFields(contentType, body);
    if (!fields)
        return fields.error();
    if (fields->contains(QStringLiteral("error")))
        return tokenError(fields.value(), label, flow);
    return tokensFrom(fields.value(), now);
}

} // namespace

oidc::ProviderMetadata metadata(const ProviderOptions &provider)
{
    oidc::ProviderMetadata metadata;
    QUrl web = provider.issuer;
    web.setPath(withoutTrailingSlash(web.path()));
    metadata.issuer = web.toString();
    metadata.authorizationEndpoint = onHost(web, QStringLiteral("/login/oauth/authorize"));
    metadata.tokenEndpoint = onHost(web, QStringLiteral("/login/oauth/access_token"));
    // The device flow (RFC 8628 as GitHub implements it), for OAuth apps with it enabled.
    metadata.deviceAuthorizationEndpoint = onHost(web, QStringLiteral("/login/device/code"));
    metadata.codeChallengeMethodsSupported = {QStringLiteral("S256")};
    return metadata;
}

QUrl apiEndpoint(const ProviderOptions &provider, const QString &path)
{
    return onHost(provider.apiUrl, path);
}

oidc::FormFields tokenRequestForm(const ProviderOptions &provider, const QString &code,
                                  const QUrl &redirectUri, const QString &codeVerifier)
{
    return {{QStringLiteral("client_id"), provider.clientId},
            {QStringLiteral("client_secret"), provider.clientSecret},
            {QStringLiteral("code"), code},
            {QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)},
            {QStringLiteral("code_verifier"), codeVerifier}}; // RFC 7636 §4.5
}

oidc::HttpOptions tokenRequestOptions()
{
    oidc::HttpOptions options;
    options.headers = {{"Accept", "application/json"}};
    return options;
}

oidc::HttpOptions apiOptions(const QByteArray &authorization)
{
    oidc::HttpOptions options;
    options.authorization = authorization;
    options.headers = {{"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", "2022-11-28"},
                       {"User-Agent", QByteArrayLiteral("Latchkey/") + LATCHKEY_VERSION}};
    return options;
}

Result<oidc::TokenResponse> parseTokenResponse(int httpStatus, const QByteArray &contentType,
                                               const QByteArray &body, const QDateTime &now,
                                               const QString &label)
{
    return parseTokens(httpStatus, contentType, body, now, label, Flow::Web);
}

Result<oidc::TokenResponse> parseDeviceTokenResponse(const oidc::HttpResponse &response,
                                                     const QDateTime &now, const QString &label)
{
    return parseTokens(response.status, response.contentType, response.body, now, label,
                       Flow::Device);
}

Result<oidc::DeviceAuthorization> parseDeviceAuthorization(const oidc::HttpResponse &response,
                                                           const QDateTime &now,
                                                           const oidc::MetadataOptions &options,
                                                           const QString &label)
{
    // Errors come in a 200 too (device_flow_disabled, incorrect_client_credentials).
    if (response.status == 200 &&
        response.body.size() <= oidc::DeviceAuthorization::kMaxBodyBytes) {
        const Result<Fields> fields = answerFields(response.contentType, response.body);
        if (fields && fields->contains(QStringLiteral("error")))
            return tokenError(fields.value(), label, Flow::Device);
    }
    return oidc::DeviceAuthorization::parse(response.status, response.body, now, options);
}

Result<Profile> parseUser(int httpStatus, const QByteArray &body)
{
    if (httpStatus != 200)
        return httpStatus >= 500 || httpStatus == 429
                ? oidc::tokenEndpointError(httpStatus, body, QStringLiteral("API"))
                : misbehaved(QStringLiteral("GitHub did not tell who signed in (HTTP %1).")
                                     .arg(httpStatus),
                             QStringLiteral("user_%1").arg(httpStatus));
    const auto object = oidc::parseStrictJsonObject(body, QStringLiteral("GitHub user"));
    if (!object)
        return object.error();
    const QJsonValue id = object->value(QStringLiteral("id"));
    const double number = id.toDouble(-1);
    // A JSON number; GitHub's ids are positive integers well below 2^53.
    if (!id.isDouble() || number < 1 || number > 9007199254740991.0 || std::floor(number) != number)
        return misbehaved(QStringLiteral("GitHub's user has no valid id."),
                          QStringLiteral("invalid_user_id"));
    Profile profile;
    profile.id = QString::number(static_cast<qint64>(number));
    for (auto [name, target] : {std::pair{QStringLiteral("login"), &profile.login},
                                std::pair{QStringLiteral("name"), &profile.name},
                                std::pair{QStringLiteral("avatar_url"), &profile.avatarUrl}}) {
        auto value =
                oidc::optionalStringMember(object.value(), name, QStringLiteral("GitHub user"));
        if (!value)
            return value.error();
        *target = value.value();
    }
    if (profile.login.isEmpty())
        return misbehaved(QStringLiteral("GitHub's user has no login."),
                          QStringLiteral("missing_login"));
    if (profile.name.trimmed().isEmpty())
        profile.name = profile.login;
    return profile;
}

Status applyEmails(Profile &profile, const QByteArray &body)
{
    profile.email.clear();
    profile.emailVerified = false;
    // Wrapped in an object so the strict parser also rejects a duplicated member in an entry.
    const auto wrapped = oidc::parseStrictJsonObject(QByteArrayLiteral("{\"emails\":") + body + '}',
                                                     QStringLiteral("GitHub email list"));
    if (!wrapped)
        return wrapped.error();
    const QJsonValue list = wrapped->value(QStringLiteral("emails"));
    if (!list.isArray())
        return misbehaved(QStringLiteral("GitHub's email list is not a list."),
                          QStringLiteral("invalid_emails"));
    for (const QJsonValue &entry : list.toArray()) {
        const QJsonObject address = entry.toObject();
        if (!address.value(QStringLiteral("primary")).toBool(false))
            continue;
        auto canonical = canonicalizeEmail(address.value(QStringLiteral("email")).toString());
        if (!canonical)
            return {}; // an address this app cannot use is no address
        profile.email = canonical.value();
        // docs/security.md: an address is trusted only when GitHub says it was verified.
        profile.emailVerified = address.value(QStringLiteral("verified")).toBool(false);
        return {};
    }
    return {};
}

} // namespace latchkey::github
