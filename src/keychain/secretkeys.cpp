#include "secretkeys.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace latchkey::secretkeys {

namespace {

// RFC 3986 §2.1 percent-encoding leaves only unreserved ASCII (ALPHA DIGIT - . _ ~) as is, so a
// '/' inside a part cannot fake another key and the result is always ASCII.
QString part(const QString &value)
{
    Q_ASSERT(!value.isEmpty());
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString purposeName(TokenPurpose purpose)
{
    switch (purpose) {
    case TokenPurpose::Refresh:
        return u"refresh"_s;
    case TokenPurpose::Access:
        return u"access"_s;
    case TokenPurpose::Id:
        return u"id"_s;
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace

QString sessionToken(qint64 userId)
{
    Q_ASSERT(userId > 0);
    return u"session/"_s + QString::number(userId);
}

QString legacySessionToken() { return u"session"_s; }

QString jwtSessionKey() { return u"jwt-key"_s; }

QString installSecret() { return u"install-secret"_s; }

QString revocationKey() { return u"revocation-key"_s; }

QString providerToken(const QString &providerId, const QString &accountId, TokenPurpose purpose)
{
    return u"tok/"_s + part(providerId) + u"/"_s + part(accountId) + u"/"_s + purposeName(purpose);
}

QStringList providerTokens(const QString &providerId, const QString &accountId)
{
    return {providerToken(providerId, accountId, TokenPurpose::Refresh),
            providerToken(providerId, accountId, TokenPurpose::Access),
            providerToken(providerId, accountId, TokenPurpose::Id)};
}

} // namespace latchkey::secretkeys
