#include "userinfo.h"

#include "tokenjson.h"

namespace latchkey::oidc {

namespace {

Error protocolError(const QString &message, const QString &code)
{
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved, message, code);
}

} // namespace

Result<UserInfo> UserInfo::parse(int httpStatus, const QByteArray &contentType,
                                 const QByteArray &body, const QString &expectedSubject)
{
    if (httpStatus == 401 || httpStatus == 403) {
        // RFC 6750 §3.1: invalid_token (401) or insufficient_scope (403).
        const bool expired = httpStatus == 401;
        return Error::make(ErrorKind::OAuthToken, ErrorCode::TokenRequestRefused,
                           expired ? QStringLiteral("The provider no longer accepts this app's "
                                                    "access token. Sign in again.")
                                   : QStringLiteral("The provider did not allow reading your "
                                                    "profile. Sign in again and allow access to "
                                                    "your profile."),
                           expired ? QStringLiteral("invalid_token")
                                   : QStringLiteral("insufficient_scope"));
    }
    if (httpStatus >= 500 || httpStatus == 429) {
        return Error::make(ErrorKind::Network, ErrorCode::NetworkUnreachable,
                           QStringLiteral("The provider's profile service is having trouble "
                                          "(HTTP %1). Try again in a few minutes.")
                                   .arg(httpStatus),
                           QString::number(httpStatus));
    }
    if (httpStatus != 200) {
        return protocolError(QStringLiteral("The provider's profile service gave an unexpected "
                                            "answer (HTTP %1).")
                                     .arg(httpStatus),
                             QString::number(httpStatus));
    }
    if (contentType.trimmed().toLower().startsWith("application/jwt")) {
        return protocolError(QStringLiteral("The provider sent a signed profile, which this app "
                                            "does not support. Configure the client to return "
                                            "plain JSON user info."),
                             QStringLiteral("unsupported_userinfo"));
    }

    const QString what = QStringLiteral("user info response");
    Result<QJsonObject> parsed = parseStrictJsonObject(body, what);
    if (!parsed)
        return parsed.error();

    UserInfo info;
    info.claims = std::move(parsed).value();
    const QJsonValue sub = info.claims.value(QStringLiteral("sub"));
    // OIDC Core 5.3.2: sub MUST exactly match the ID token's sub, else do not use the response.
    if (!sub.isString() || expectedSubject.isEmpty() || sub.toString() != expectedSubject) {
        return protocolError(QStringLiteral("The provider's profile belongs to a different "
                                            "account than the one you signed in with, so it was "
                                            "ignored. Sign in again."),
                             QStringLiteral("sub_mismatch"));
    }
    info.subject = sub.toString();

    for (auto [name, target] : {std::pair{QStringLiteral("email"), &info.email},
                                std::pair{QStringLiteral("name"), &info.name}}) {
        Result<QString> value = optionalStringMember(info.claims, name, what);
        if (!value)
            return value.error();
        *target = std::move(value).value();
    }
    const Result<QString> picture =
            optionalStringMember(info.claims, QStringLiteral("picture"), what);
    if (!picture)
        return picture.error();
    const QUrl pictureUrl(picture.value(), QUrl::StrictMode);
    if (pictureUrl.isValid() && (pictureUrl.scheme() == u"https" || pictureUrl.scheme() == u"http"))
        info.picture = pictureUrl; // anything else (javascript:, file:, data:) is dropped

    const QJsonValue verified = info.claims.value(QStringLiteral("email_verified"));
    // OIDC Core 5.1 says boolean; some providers have sent the string "true".
    info.emailVerified = verified.isBool() ? verified.toBool() : verified.toString() == u"true";
    return info;
}

} // namespace latchkey::oidc
