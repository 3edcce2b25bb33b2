#include "result.h"

namespace latchkey {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Network:
        return QStringLiteral("network");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::OAuthAuthorization:
        return QStringLiteral("oauth_authorization");
    case ErrorKind::OAuthToken:
        return QStringLiteral("oauth_token");
    case ErrorKind::IdTokenInvalid:
        return QStringLiteral("id_token_invalid");
    case ErrorKind::Storage:
        return QStringLiteral("storage");
    case ErrorKind::Keychain:
        return QStringLiteral("keychain");
    case ErrorKind::Mail:
        return QStringLiteral("mail");
    case ErrorKind::Config:
        return QStringLiteral("config");
    case ErrorKind::Protocol:
        return QStringLiteral("protocol");
    case ErrorKind::InvalidInput:
        return QStringLiteral("invalid_input");
    case ErrorKind::RateLimited:
        return QStringLiteral("rate_limited");
    case ErrorKind::NotFound:
        return QStringLiteral("not_found");
    case ErrorKind::Unauthorized:
        return QStringLiteral("unauthorized");
    }
    return QStringLiteral("unknown");
}

} // namespace latchkey
