#include "tokenresponse.h"

#include "tokenerror.h"
#include "tokenjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cmath>

namespace latchkey::oidc {

namespace {

const QString kWhat = QStringLiteral("token response");

Error invalid(const QString &message, const QString &code)
{
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                       message +
                               QStringLiteral(" Try signing in again; contact the provider's "
                                              "administrator if this persists."),
                       code);
}

bool isFormEncoded(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower() ==
            "application/x-www-form-urlencoded";
}

/// The form's members as the JSON object a JSON answer would have been (WHATWG URL §5.1: '+' is
/// a space); a repeated name is an answer broken the way duplicate JSON members are.
Result<QByteArray> formAsJson(const QByteArray &body)
{
    QByteArray spaced = body;
    const QUrlQuery form(QString::fromUtf8(spaced.replace('+', "%20")));
    QJsonObject object;
    for (const auto &[name, value] : form.queryItems(QUrl::FullyDecoded)) {
        if (object.contains(name))
            return invalid(QStringLiteral("The provider's token response repeats \"%1\".")
                                   .arg(sanitizedOAuthText(name)),
                           QStringLiteral("duplicate_member"));
        bool isNumber = false;
        const qint64 number = value.toLongLong(&isNumber);
        if (name == u"expires_in" && isNumber)
            object.insert(name, static_cast<double>(number));
        else
            object.insert(name, value);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

Result<TokenResponse> TokenResponse::parse(int httpStatus, const QByteArray &contentType,
                                           const QByteArray &body, const QDateTime &now)
{
    if (!isFormEncoded(contentType))
        return parse(httpStatus, body, now);
    const Result<QByteArray> json = formAsJson(body);
    if (!json)
        return json.error();
    return parse(httpStatus, json.value(), now);
}

Result<TokenResponse> TokenResponse::parse(int httpStatus, const QByteArray &body,
                                           const QDateTime &now)
{
    if (httpStatus != 200) // RFC 6749 §5.1: success is 200 OK
        return tokenEndpointError(httpStatus, body, QStringLiteral("token endpoint"));

    const Result<QJsonObject> parsed = parseStrictJsonObject(body, kWhat);
    if (!parsed)
        return parsed.error();
    const QJsonObject &object = parsed.value();

    TokenResponse response;
    // RFC 6749 §5.1: access_token REQUIRED.
    const QJsonValue accessToken = object.value(QStringLiteral("access_token"));
    if (!accessToken.isString() || accessToken.toString().isEmpty()) {
        return invalid(QStringLiteral("The provider's token response has no access token."),
                       QStringLiteral("missing_access_token"));
    }
    response.accessToken = accessToken.toString();

    // RFC 6749 §5.1: token_type REQUIRED, case-insensitive; only Bearer (RFC 6750) is usable.
    const QJsonValue tokenType = object.value(QStringLiteral("token_type"));
    if (!tokenType.isString() ||
        tokenType.toString().compare(u"Bearer", Qt::CaseInsensitive) != 0) {
        return invalid(QStringLiteral("The provider issued a token of a type this app cannot use "
                                      "(expected Bearer)."),
                       QStringLiteral("unsupported_token_type"));
    }
    response.tokenType = QStringLiteral("Bearer");

    // RFC 6749 §5.1: expires_in RECOMMENDED, lifetime in seconds.
    const QJsonValue expiresIn = object.value(QStringLiteral("expires_in"));
    if (!expiresIn.isUndefined() && !expiresIn.isNull()) {
        const double seconds = expiresIn.toDouble(-1);
        constexpr double kMaxSeconds = 10.0 * 365 * 24 * 3600;
        if (!expiresIn.isDouble() || seconds < 0 || seconds > kMaxSeconds ||
            std::floor(seconds) != seconds) {
            return invalid(QStringLiteral("The provider's token response has an invalid "
                                          "\"expires_in\"."),
                           QStringLiteral("invalid_expires_in"));
        }
        response.expiresAt = now.toUTC().addSecs(static_cast<qint64>(seconds));
    }

    for (auto [name, target] : {std::pair{QStringLiteral("refresh_token"), &response.refreshToken},
                                std::pair{QStringLiteral("id_token"), &response.idToken},
                                std::pair{QStringLiteral("scope"), &response.scope}}) {
        Result<QString> value = optionalStringMember(object, name, kWhat);
        if (!value)
            return value.error();
        *target = std::move(value).value();
    }
    return response;
}

} // namespace latchkey::oidc
