#pragma once

#include <QString>
#include <QStringList>

/// The names of Latchkey's keychain entries: one short ASCII key per secret (docs/architecture.md,
/// one small entry per secret; Windows caps entry size). Entries live under the store's service
/// name
/// (`latchkey` by default), so these keys only need to be unique within Latchkey.
///
/// Caller-supplied parts (provider id, account id) are percent-encoded (RFC 3986 §2.1) unless they
/// are unreserved ASCII, so every key is ASCII and two different inputs never give the same key.
namespace latchkey::secretkeys {

/// What a stored provider token is.
enum class TokenPurpose {
    Refresh, ///< the OAuth refresh token (RFC 6749 §1.5)
    Access, ///< the OAuth access token (RFC 6749 §1.4)
    Id, ///< the OpenID Connect ID token (OIDC Core §2)
};

/// The database-strategy session token of account `userId` on this device (256-bit random,
/// docs/architecture.md): "session/<userId>". Each account signed in here has its own.
QString sessionToken(qint64 userId);

/// Where versions before several accounts kept this device's one session token: "session". Read
/// once after the upgrade, moved to sessionToken(userId) and removed.
QString legacySessionToken();

/// The key that encrypts JWT-strategy sessions (docs/architecture.md): "jwt-key".
QString jwtSessionKey();

/// This installation's secret for the email code HMAC (docs/security.md, email magic link and
/// code): "install-secret".
QString installSecret();

/// The key that seals the tokens waiting in the revocation queue (docs/security.md):
/// "revocation-key". Made on the first sign-out that needs it.
QString revocationKey();
/// A provider token of one linked account: "tok/<provider>/<account>/<refresh|access|id>".
/// `providerId` is the configured provider id (e.g. "google"); `accountId` is the `accounts.id` row
/// of the link (docs/architecture.md). Precondition: neither is empty.
QString providerToken(const QString &providerId, const QString &accountId, TokenPurpose purpose);

/// Every provider-token key of one account (refresh, access, id), for erasing them all at sign-out
/// (docs/architecture.md).
QStringList providerTokens(const QString &providerId, const QString &accountId);

} // namespace latchkey::secretkeys
