#include "oauth2user.h"

#include "core/emailaddress.h"
#include "oidc/tokenjson.h"
#include "oidc/userinfo.h"

#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace latchkey {

namespace {

const QString kWhat = QStringLiteral("user endpoint answer");

/// The setting that names the account id member: OAUTH2_<ID>_ACCOUNT_ID.
QString accountIdKey(const OidcProviderConfig &provider)
{
    return QStringLiteral("OAUTH2_") + QString(provider.id).toUpper().replace(u'-', u'_') +
            QStringLiteral("_ACCOUNT_ID");
}

/// A string as is; an integer (JSON number without a fraction) in decimal; anything else empty.
QString idText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    constexpr double kLargestExact = 9007199254740992.0; // 2^53: beyond it a double is not exact
    const double number = value.toDouble(NAN);
    if (!value.isDouble() || std::floor(number) != number || std::abs(number) > kLargestExact)
        return {};
    return QString::number(static_cast<qint64>(number));
}

Result<QString> readAccountId(const QJsonObject &user, const OidcProviderConfig &provider)
{
    const QStringList fields = provider.accountIdField.isEmpty()
            ? QStringList{QStringLiteral("sub"), QStringLiteral("id")}
            : QStringList{provider.accountIdField};
    for (const QString &field : fields) {
        if (user.contains(field)) {
            if (const QString id = idText(user.value(field)); !id.isEmpty())
                return id;
            break; // present but unusable: never fall back to another member
        }
    }
    Error error = Error::make(ErrorKind::Protocol, ErrorCode::ProviderAccountIdMissing,
                              QStringLiteral("%1's user endpoint answer has no usable account id "
                                             "(%2).")
                                      .arg(provider.label, fields.join(QStringLiteral(", "))),
                              accountIdKey(provider));
    error.subject = provider.label;
    return error;
}

QString webUrl(const QJsonValue &value)
{
    const QUrl url(value.toString(), QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") ? url.toString()
                                                                                  : QString();
}

} // namespace

Result<OAuth2User> OAuth2User::parse(int httpStatus, const QByteArray &contentType,
                                     const QByteArray &body, const OidcProviderConfig &provider)
{
    if (httpStatus != 200) // the same answers as a UserInfo endpoint's (RFC 6750 §3.1)
        return oidc::UserInfo::parse(httpStatus, contentType, body, {}).error();
    const auto object = oidc::parseStrictJsonObject(body, kWhat);
    if (!object)
        return object.error();
    const auto id = readAccountId(object.value(), provider);
    if (!id)
        return id.error();
    OAuth2User user;
    user.accountId = id.value();
    if (const auto email = canonicalizeEmail(object->value(QStringLiteral("email")).toString())) {
        user.email = email.value();
        // Only the boolean true: a provider that does not say, or says it as a string, is not
        // vouching for the address.
        const QJsonValue verified = object->value(QStringLiteral("email_verified"));
        user.emailVerified = verified.isBool() && verified.toBool();
    }
    user.name = object->value(QStringLiteral("name")).toString();
    user.picture = webUrl(object->value(QStringLiteral("picture")));
    if (user.picture.isEmpty())
        user.picture = webUrl(object->value(QStringLiteral("avatar_url")));
    return user;
}

} // namespace latchkey
