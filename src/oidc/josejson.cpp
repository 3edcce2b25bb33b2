#include "josejson.h"

#include "tokenerror.h"

#include "core/josemodule.h"

namespace latchkey::oidc::jose {

namespace {

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_';
}

} // namespace

Result<QJsonObject> parseObjectStrict(const QByteArray &json, const QString &what,
                                      ErrorKind errorKind)
{
    const auto jose = joseapi::api();
    if (!jose)
        return jose.error();
    // RFC 8725 §3.2 / RFC 7515 §5.2: duplicate member names are rejected, not "last one wins".
    joseapi::StrictJson parsed = jose.value()->parseStrict(json);
    if (!parsed.parsed) {
        // jansson's text quotes the offending bytes, which may be controls: shown only cleaned.
        return Error::make(errorKind,
                           QStringLiteral("%1 is not valid JSON (%2 at line %3, column %4).")
                                   .arg(what, sanitizedOAuthText(parsed.errorText))
                                   .arg(parsed.line)
                                   .arg(parsed.column));
    }
    if (!parsed.isObject)
        return Error::make(errorKind, QStringLiteral("%1 is not a JSON object.").arg(what));
    return std::move(parsed.object);
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
