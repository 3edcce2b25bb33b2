#include "tokenjson.h"

#include <QJsonDocument>

#include <jansson.h>

#include <memory>

namespace latchkey::oidc {

namespace {

struct JsonDeleter
{
    void operator()(json_t *value) const { json_decref(value); }
};

} // namespace

Result<QJsonObject> parseStrictJsonObject(const QByteArray &body, const QString &what)
{
    json_error_t error{};
    // JSON_REJECT_DUPLICATES: duplicate member names are an error (docs/security.md).
    const std::unique_ptr<json_t, JsonDeleter> root(json_loadb(
            body.constData(), static_cast<size_t>(body.size()), JSON_REJECT_DUPLICATES, &error));
    if (!root) {
        const bool duplicate = json_error_code(&error) == json_error_duplicate_key;
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
    if (!json_is_object(root.get())) {
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
