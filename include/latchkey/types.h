#pragma once

// The values the library hands out: who is signed in, how, on which devices, and what the session
// gate released. Plain copyable structs; times are UTC.

#include <latchkey/error.h>
#include <latchkey/global.h>

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace latchkey {

/// A person. `email` is unique (absent for providers that give none) and canonical.
struct User
{
    qint64 id = 0; ///< assigned by the database; never reused after a removal
    QString name; ///< display name, e.g. from the ID token `name` claim
    QString email; ///< canonical address; empty when unknown
    QDateTime emailVerified; ///< when the address was proven; invalid = not verified
    QString image; ///< avatar URL
    QDateTime createdAt; ///< when the user first signed in
    QDateTime updatedAt; ///< when the profile last changed
};

/// One way a user signs in: a linked provider identity or an email address.
struct Account
{
    /// What kind of provider this identity comes from.
    enum class Type { Oidc, Email };

    qint64 id = 0; ///< assigned by the database
    qint64 userId = 0; ///< the user this identity signs in
    Type type = Type::Oidc;
    QString provider; ///< configured provider id, e.g. "google", or "email"
    QString providerAccountId; ///< `sub` for OpenID Connect, the canonical address for email
    QString issuer; ///< the OpenID Connect issuer; empty for email
    QString scope; ///< the scopes granted, space-separated (RFC 6749 §3.3)
    QDateTime
            expiresAt; ///< when the access token expires, when known (tokens live in the keychain)
    QDateTime createdAt; ///< when the identity was linked
    /// When the provider last sent fresh tokens for it (sign-in, link, confirmation or token
    /// refresh): how current its name, picture and access are. Invalid for email and before any.
    QDateTime refreshedAt;
};

/// A signed-in session (the desktop twin of Auth.js `useSession().data`).
struct Session
{
    qint64 sessionId = 0; ///< this device's session row
    User user;
    QList<Account> accounts; ///< the user's sign-in methods
    QDateTime expires; ///< renewed on use (Options::sessionUpdateAgeSecs)
    QString method; ///< how it signed in: a provider id ("google") or "email"
    QDateTime authenticatedAt; ///< when the person last proved it (sign-in or confirmIdentity())
};

/// An account signed in on this device (the account switcher's entries). Each has its own session
/// and keychain entries; one at a time is active.
struct SignedInAccount
{
    User user;
    QStringList methods; ///< its sign-in methods' provider ids ("google", "email"), oldest first
    bool active = false; ///< the account Client::session() is for
    QDateTime lastUsedAt; ///< when it was last signed in to or switched to
    QDateTime expires; ///< when its session on this device runs out unless used
};

/// A configured sign-in provider, as a sign-in screen lists it.
/// Which provider this is, beyond the OpenID Connect it speaks: the preset decides its quirks
/// (docs/library.md, "Providers").
enum class ProviderPreset {
    Oidc, ///< any OpenID Connect provider, no quirks
    Google, ///< schemeless `iss` accepted; access_type=offline, prompt=select_account; `hd`
    Microsoft, ///< Entra ID: a multi-tenant issuer checked against the ID token's `tid`
    GitLab, ///< gitlab.com or a self-hosted GitLab
    GitHub, ///< plain OAuth 2.0, no OpenID Connect: the identity comes from GitHub's REST API
    OAuth2, ///< any plain OAuth 2.0 provider: the identity comes from its user endpoint
};

struct Provider
{
    QString id; ///< what signIn() takes
    QString label; ///< "Google": the button says "Sign in with Google"
    ProviderPreset preset = ProviderPreset::Oidc; ///< picks the button's brand mark
};

/// What a person needs to approve a sign-in on another device (Client::signInOnAnotherDevice(),
/// RFC 8628): show the user code and the address; the complete address (for a QR code) carries
/// the code already. Holds no secret.
struct DeviceCode
{
    QString providerId;
    QString userCode; ///< typed at verificationUri; meant to be shown
    QUrl verificationUri; ///< where to go on the other device (https)
    QUrl verificationUriComplete; ///< the same with the code filled in; empty when not offered
    QDateTime expiresAt; ///< after this the code no longer works: start again
};

/// One session of the signed-in user in this database (Profile's "this device's sessions").
struct DeviceSession
{
    qint64 id = 0;
    QString deviceName; ///< the host name at sign-in; may be empty
    QDateTime createdAt;
    QDateTime lastSeenAt;
    QDateTime expires;
    bool current = false; ///< the session this program is signed in with
};

/// One entry of the account activity (NextAuth's events), as recorded in the `events` table and
/// announced by Client::activityRecorded(). `event` is one of:
///
///   signIn          `providerId` says how ("email" or a provider id)
///   signOut         `detail`: empty (this device), "session:<id>" (one of the user's sessions
///                   ended from Profile) or "others" (every other session)
///   createUser      the person signed in for the first time
///   linkAccount     `providerId` was linked as a sign-in method
///   unlinkAccount   `providerId` was unlinked
///   sessionExpired  a session ran out
///   signInFailed    a sign-in with `providerId` ended with `error` (not when cancelled); `userId`
///                   is set only when the person was signed in (linking, confirming)
struct ActivityEntry
{
    QDateTime at;
    QString event;
    qint64 userId = 0; ///< 0 when the event concerns no user
    QString providerId; ///< for signIn, linkAccount, unlinkAccount and signInFailed
    ErrorCode error = ErrorCode::Unspecified; ///< for signInFailed
    QString detail; ///< as stored; never a secret
};

/// What the session gate releases: the desktop twin of a protected `/api/data` route.
struct ProtectedData
{
    User user;
    int activeSessions = 0;
    QList<ActivityEntry> recentActivity; ///< newest first, at most 20
};

/// A provider access token handed out by Client::withFreshAccessToken(). Never log `token`.
struct AccessToken
{
    QString providerId;
    QString token;
    QString tokenType; ///< "Bearer"
    QDateTime expiresAt; ///< invalid when the provider did not say
    QString scope;
};

} // namespace latchkey

Q_DECLARE_METATYPE(latchkey::Session)
Q_DECLARE_METATYPE(latchkey::ActivityEntry)
Q_DECLARE_METATYPE(latchkey::DeviceCode)
