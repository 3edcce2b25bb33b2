#include "tokenjson.h"

#include "core/josemodule.h"

#include <QJsonDocument>

namespace latchkey::oidc {

Result<QJsonObject> parseStrictJsonObject(const QByteArray &body, const QString &what)
{
    const auto jose = joseapi::api();
    if (!jose)
        return jose.error();
    // JSON_REJECT_DUPLICATES: duplicate member names are an error (docs/security.md).
    const joseapi::StrictJson strict = jose.value()->parseStrict(body);
    if (!strict.parsed) {
        const bool duplicate = strict.duplicate;
        return Error::make(
                ErrorKind::Protocol,
                duplicate ? QStringLiteral("The provider's %1 repeated a member name and "
                                           "was refused. Contact the provider's "
                                           "administrator if this persists.")
                                    .arg(what)
                          : QStringLiteral("The provider's %1 is not valid JSON. Try "
                                           "again later; contact the provider's "
                                           "administrator if this persists.")
                                    .arg(what),
                duplicate ? QStringLiteral("duplicate_member") : QStringLiteral("invalid_json"));
    }
    if (!strict.isObject) {
        return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                           QStringLiteral("The provider's %1 is not a JSON object. Try again "
                                          "later; contact the provider's administrator if this "
                                          "persists.")
                                   .arg(what),
                           QStringLiteral("invalid_json"));
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                           QStringLiteral("The provider's %1 could not be read as JSON.").arg(what),
                           QStringLiteral("invalid_json"));
    }
    return document.object();
}

Result<QString> optionalStringMember(const QJsonObject &object, const QString &name,
                                     const QString &what)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return QString(); // null is treated as absent, as several providers send it

    if (!value.isString()) {
        return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                           QStringLiteral("The provider's %1 has a \"%2\" that is not a string. "
                                          "Contact the provider's administrator.")
                                   .arg(what, name),
                           QStringLiteral("invalid_member"));
    }
    return value.toString();
}

} // namespace latchkey::oidc
