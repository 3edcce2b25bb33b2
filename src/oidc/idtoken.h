#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace latchkey::oidc {

/// The claims of a validated ID token (OpenID Connect Core 1.0 §2). Only IdTokenValidator makes
/// these; an IdToken that exists has passed every check of OIDC Core 3.1.3.7.
struct IdToken
{
    /// `iss`, as configured (for Google's quirk the schemeless form maps to the configured issuer),
    /// so (issuer, subject) identifies the account.
    QString issuer;
    /// `sub`: the provider's stable, never reassigned identifier of the user.
    QString subject;
    /// `aud`: always contains the client id.
    QStringList audience;
    /// `azp`; empty when absent.
    QString authorizedParty;
    /// `exp`.
    QDateTime expiresAt;
    /// `iat`.
    QDateTime issuedAt;
    /// `nbf`; invalid when absent.
    QDateTime notBefore;
    /// `auth_time`; invalid when absent.
    QDateTime authTime;
    /// `nonce`: equal to the flow's nonce.
    QString nonce;
    /// `email`; empty when absent. Never an account identifier on its own (docs/security.md).
    QString email;
    /// `email_verified` (Google's string form "true" is accepted).
    bool emailVerified = false;
    /// `name`; empty when absent.
    QString name;
    /// `picture`; empty when absent.
    QString picture;
    /// `hd`, Google Workspace's hosted domain; empty when absent (a consumer account).
    QString hostedDomain;
    /// The JWS `alg` the token was signed with.
    QString algorithm;
    /// The JWS `kid` of the key that verified it.
    QString keyId;
    /// Every claim as sent.
    QJsonObject claims;
};

} // namespace latchkey::oidc
