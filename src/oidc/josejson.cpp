#include "josejson.h"

#include "tokenerror.h"

#include <QJsonArray>
#include <QJsonValue>

#include <jansson.h>

#include <memory>

namespace latchkey::oidc::jose {

namespace {

struct JsonDeleter
{
    void operator()(json_t *value) const { json_decref(value); }
};
using JsonPtr = std::unique_ptr<json_t, JsonDeleter>;

QJsonValue toQt(const json_t *value);

QJsonObject objectToQt(const json_t *object)
{
    QJsonObject out;
    const char *key = nullptr;
    json_t *member = nullptr;
    // json_object_foreach needs a non-const object; jansson does not modify it while iterating.
    json_t *mutableObject = const_cast<json_t *>(object);
    json_object_foreach(mutableObject, key, member)
    {
        out.insert(QString::fromUtf8(key), toQt(member));
    }
    return out;
}

QJsonValue toQt(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return objectToQt(value);
    case JSON_ARRAY: {
        QJsonArray array;
        for (size_t i = 0; i < json_array_size(value); ++i)
            array.append(toQt(json_array_get(value, i)));
        return array;
    }
    case JSON_STRING:
        return QString::fromUtf8(json_string_value(value),
                                 static_cast<qsizetype>(json_string_length(value)));
    case JSON_INTEGER:
        return QJsonValue(static_cast<qint64>(json_integer_value(value)));
    case JSON_REAL:
        return json_real_value(value);
    case JSON_TRUE:
        return true;
    case JSON_FALSE:
        return false;
    case JSON_NULL:
        return QJsonValue(QJsonValue::Null);
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_';
}

} // namespace

Result<QJsonObject> parseObjectStrict(const QByteArray &json, const QString &what,
                                      ErrorKind errorKind)
{
    json_error_t error;
    // RFC 8725 §3.2 / RFC 7515 §5.2: duplicate member names are rejected, not "last one wins".
    // jansson also rejects embedded NUL characters in strings unless JSON_ALLOW_NUL is given.
    JsonPtr root(json_loadb(json.constData(), static_cast<size_t>(json.size()),
                            JSON_REJECT_DUPLICATES, &error));
    if (!root) {
        // jansson's text quotes the offending bytes, which may be controls: shown only cleaned.
        return Error::make(errorKind,
                           QStringLiteral("%1 is not valid JSON (%2 at line %3, column %4).")
                                   .arg(what, sanitizedOAuthText(QString::fromUtf8(error.text)))
                                   .arg(error.line)
                                   .arg(error.column));
    }
    if (!json_is_object(root.get()))
        return Error::make(errorKind, QStringLiteral("%1 is not a JSON object.").arg(what));
    return objectToQt(root.get());
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded)
{
    // RFC 7515 §2: base64url without padding; a length of 1 mod 4 can never be valid.
    if (encoded.size() % 4 == 1)
        return std::nullopt;
    for (const char c : encoded) {
        if (!isBase64UrlChar(c))
            return std::nullopt;
    }
    auto decoded = QByteArray::fromBase64Encoding(encoded.toByteArray(),
                                                  QByteArray::Base64UrlEncoding |
                                                          QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

} // namespace latchkey::oidc::jose
