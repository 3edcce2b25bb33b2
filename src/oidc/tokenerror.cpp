#include "tokenerror.h"

#include "tokenjson.h"

namespace latchkey::oidc {

// RFC 6749 §4.1.2.1 and §5.2: error and error_description are limited to %x20-21 / %x23-5B /
// %x5D-7E; other characters are dropped and the text is capped before it can reach a dialog.
QString sanitizedOAuthText(const QString &text)
{
    constexpr qsizetype kMaxLength = 200;
    QString out;
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c >= 0x20 && c <= 0x7e && c != u'"' && c != u'\\')
            out.append(ch);
        if (out.size() >= kMaxLength)
            break;
    }
    return out.trimmed();
}

Error TokenError::toError() const
{
    QString message;
    if (isInvalidGrant()) {
        message = QStringLiteral("Your sign-in with the provider is no longer valid (it expired "
                                 "or was revoked). Sign in again.");
    } else if (error == u"invalid_client" || error == u"unauthorized_client") {
        message = QStringLiteral("The provider did not accept this app's client credentials "
                                 "(%1). Check the provider's client id and secret in the "
                                 "configuration.")
                          .arg(error);
    } else {
        message = QStringLiteral("The provider refused the token request (%1).").arg(error);
        if (!errorDescription.isEmpty())
            message += QStringLiteral(" It said: \"%1\".").arg(errorDescription);
        message += QStringLiteral(" Try signing in again.");
    }
    return Error::make(ErrorKind::OAuthToken,
                       isInvalidGrant() ? ErrorCode::InvalidGrant : ErrorCode::TokenRequestRefused,
                       message, error);
}

bool isInvalidGrant(const Error &error) { return error.code == ErrorCode::InvalidGrant; }

Error tokenEndpointError(int httpStatus, const QByteArray &body, const QString &what)
{
    if (httpStatus >= 500 || httpStatus == 429) {
        return Error::make(ErrorKind::Network, ErrorCode::NetworkUnreachable,
                           QStringLiteral("The provider's %1 is having trouble (HTTP %2). Try "
                                          "again in a few minutes.")
                                   .arg(what)
                                   .arg(httpStatus),
                           QString::number(httpStatus));
    }
    if (httpStatus == 400 || httpStatus == 401) {
        // RFC 6749 §5.2: 400 (or 401 for invalid_client) with a JSON error object.
        const Result<QJsonObject> object = parseStrictJsonObject(body, what + u" error");
        if (object.ok()) {
            const QJsonValue errorValue = object->value(QStringLiteral("error"));
            const QJsonValue description = object->value(QStringLiteral("error_description"));
            const QString code = sanitizedOAuthText(errorValue.toString());
            if (errorValue.isString() && !code.isEmpty()) {
                TokenError tokenError;
                tokenError.error = code;
                tokenError.errorDescription = sanitizedOAuthText(description.toString());
                tokenError.httpStatus = httpStatus;
                return tokenError.toError();
            }
        }
    }
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                       QStringLiteral("The provider's %1 gave an unexpected answer (HTTP %2). Try "
                                      "again later; contact the provider's administrator if this "
                                      "persists.")
                               .arg(what)
                               .arg(httpStatus),
                       QString::number(httpStatus));
}

} // namespace latchkey::oidc
