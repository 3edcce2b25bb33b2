#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "storage/records.h"

namespace latchkey {

class Database;
class SignInPolicy;

/// What an OpenID Connect sign-in proved about a person (from a validated ID token).
struct OidcIdentity
{
    QString provider; ///< configured provider id
    QString issuer;
    QString subject; ///< `sub`
    QString email; ///< canonical, or empty
    bool emailVerified = false;
    QString name;
    QString picture;
    QString hostedDomain; ///< the ID token's `hd`, or empty
    QString scope;
};

/// The user a provider sign-in belongs to and the account (sign-in method) it came through.
struct LinkedIdentity
{
    User user;
    Account account;
};

/// Finds or creates the user behind a successful sign-in (the Auth.js adapter's job).
///
/// Identity is (issuer, sub) for OIDC and the canonical address for email. An email that already
/// belongs to another user is never linked automatically (docs/security.md): the person signs in
/// with the existing method first and links from Profile.
class AccountLinker
{
public:
    /// `policy` (may be null: anyone) is asked before any sign-in, link or confirmation; its
    /// refusal (SignInNotAllowed) changes nothing. All must outlive the linker.
    AccountLinker(Database &db, const Clock &clock, const SignInPolicy *policy = nullptr)
        : m_db(db), m_clock(clock), m_policy(policy)
    { }

    /// The user who proved access to mailbox `identifier` (canonical); created on first use,
    /// with the address marked verified and an `email` account linked.
    Result<User> signInWithEmail(const QString &identifier);

    /// The user linked to `identity` and the account row; created on first sign-in. Refused
    /// (InvalidInput, code "email_in_use") when the identity is new but its email belongs to an
    /// existing user. An email the provider does not mark verified is not stored on a new user.
    Result<LinkedIdentity> signInWithOidc(const OidcIdentity &identity);

    /// Links `identity` to the signed-in user `userId` (the person proved both: the session and
    /// this provider sign-in). Refused (InvalidInput, code "linked_elsewhere") when the identity
    /// already belongs to another user; linking an identity the user already has succeeds.
    Result<LinkedIdentity> linkOidc(qint64 userId, const OidcIdentity &identity);

    /// The account of user `userId` that `identity` signs in with (a step-up proved it is them);
    /// NotTheSamePerson when `identity` is not one of that user's sign-in methods.
    Result<Account> confirmOidc(qint64 userId, const OidcIdentity &identity);

private:
    Status allowed(const OidcIdentity &identity) const;

    Database &m_db;
    const Clock &m_clock;
    const SignInPolicy *m_policy;
};

} // namespace latchkey
