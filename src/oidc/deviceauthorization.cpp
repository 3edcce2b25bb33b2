#include "deviceauthorization.h"

#include "tokenerror.h"
#include "tokenjson.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace latchkey::oidc {

namespace {

const QString kWhat = QStringLiteral("device authorization response");

Error invalid(const QString &member)
{
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                       QStringLiteral("The provider's device authorization response has a "
                                      "missing or invalid \"%1\". Try again; contact the "
                                      "provider's administrator if this persists.")
                               .arg(member),
                       QStringLiteral("invalid_") + member);
}

/// A required string member of 1..maxChars characters.
Result<QString> requiredString(const QJsonObject &object, const QString &name, qsizetype maxChars)
{
    const QJsonValue value = object.value(name);
    if (!value.isString() || value.toString().isEmpty() || value.toString().size() > maxChars)
        return invalid(name);
    return value.toString();
}

/// An integer member within [min, max]; `fallback` when absent.
Result<qint64> integerMember(const QJsonObject &object, const QString &name, qint64 min, qint64 max,
                             std::optional<qint64> fallback)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() && fallback)
        return *fallback;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || std::floor(number) != number || number < double(min) ||
        number > double(max))
        return invalid(name);
    return qint64(number);
}

/// A verification URI: https (or loopback http when allowed), no fragment, no user info.
Result<QUrl> verificationUrl(const QString &text, const QString &name,
                             const MetadataOptions &options)
{
    const QUrl url(text, QUrl::StrictMode);
    // docs/security.md: the person is sent only to an https page of the provider.
    if (text.size() > DeviceAuthorization::kMaxUriChars ||
        !ProviderMetadata::isAcceptableEndpoint(url, options))
        return invalid(name);
    return url;
}

bool isShowableCode(const QString &code)
{
    return std::all_of(code.cbegin(), code.cend(),
                       [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

} // namespace

Result<DeviceAuthorization> DeviceAuthorization::parse(int httpStatus, const QByteArray &body,
                                                       const QDateTime &now,
                                                       const MetadataOptions &options)
{
    if (httpStatus != 200) // RFC 8628 §3.2 success; §3.3 errors as RFC 6749 §5.2
        return tokenEndpointError(httpStatus, body,
                                  QStringLiteral("device authorization endpoint"));
    if (body.size() > kMaxBodyBytes)
        return invalid(QStringLiteral("body"));
    const Result<QJsonObject> parsed = parseStrictJsonObject(body, kWhat);
    if (!parsed)
        return parsed.error();
    const QJsonObject &object = parsed.value();

    DeviceAuthorization out;
    auto deviceCode = requiredString(object, QStringLiteral("device_code"), kMaxDeviceCodeChars);
    if (!deviceCode)
        return deviceCode.error();
    out.deviceCode = deviceCode.value();
    auto userCode = requiredString(object, QStringLiteral("user_code"), kMaxUserCodeChars);
    if (!userCode || !isShowableCode(userCode.value()))
        return invalid(QStringLiteral("user_code"));
    out.userCode = userCode.value();

    // Google names it `verification_url` (its device flow predates RFC 8628).
    QString uriName = QStringLiteral("verification_uri");
    if (!object.contains(uriName) && object.contains(QStringLiteral("verification_url")))
        uriName = QStringLiteral("verification_url");
    auto uriText = requiredString(object, uriName, kMaxUriChars);
    if (!uriText)
        return uriText.error();
    auto uri = verificationUrl(uriText.value(), uriName, options);
    if (!uri)
        return uri.error();
    out.verificationUri = uri.value();

    const QString completeName = QStringLiteral("verification_uri_complete");
    if (object.contains(completeName)) {
        auto completeText = requiredString(object, completeName, kMaxUriChars);
        if (!completeText)
            return completeText.error();
        auto complete = verificationUrl(completeText.value(), completeName, options);
        if (!complete)
            return complete.error();
        out.verificationUriComplete = complete.value();
    }

    auto expiresIn = integerMember(object, QStringLiteral("expires_in"), 1, 24 * 3600, {});
    if (!expiresIn)
        return expiresIn.error();
    out.expiresAt = now.toUTC().addSecs(std::min(expiresIn.value(), kMaxLifetimeSecs));
    auto interval = integerMember(object, QStringLiteral("interval"), 1, 600,
                                  kDefaultIntervalSecs); // RFC 8628 §3.2: default 5
    if (!interval)
        return interval.error();
    out.intervalSecs = int(interval.value());
    return out;
}

} // namespace latchkey::oidc
