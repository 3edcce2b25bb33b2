#include "accountlinker.h"

#include "signinpolicy.h"

#include "storage/accountrepository.h"
#include "storage/database.h"
#include "storage/eventrepository.h"
#include "storage/userrepository.h"

namespace latchkey {

Status AccountLinker::allowed(const OidcIdentity &identity) const
{
    if (!m_policy)
        return {};
    SignInAttempt attempt;
    attempt.providerId = identity.provider;
    attempt.email = identity.email;
    attempt.emailVerified = identity.emailVerified;
    attempt.subject = identity.subject;
    attempt.hostedDomain = identity.hostedDomain;
    attempt.name = identity.name;
    return m_policy->allows(attempt);
}

Result<User> AccountLinker::signInWithEmail(const QString &identifier)
{
    if (m_policy) {
        if (auto status = m_policy->allows(SignInPolicy::byEmail(identifier)); !status)
            return status.error();
    }
    const QDateTime now = m_clock.now();
    return m_db.transaction([&]() -> Result<User> {
        UserRepository users(m_db);
        AccountRepository accounts(m_db);
        auto user = users.findByEmail(identifier);
        if (!user && user.error().kind != ErrorKind::NotFound)
            return user.error();
        if (!user) {
            User profile;
            profile.email = identifier;
            profile.emailVerified = now;
            user = users.create(profile, now);
            if (!user)
                return user.error();
            (void)EventRepository(m_db).append(QStringLiteral("createUser"), user->id, {}, now);
        } else if (!user->emailVerified.isValid()) {
            if (auto verified = users.setEmailVerified(user->id, now); !verified)
                return verified.error();
            user.value().emailVerified = now;
        }
        auto account = accounts.findByProviderAccount(QStringLiteral("email"), identifier);
        if (!account && account.error().kind != ErrorKind::NotFound)
            return account.error();
        if (!account) {
            Account link;
            link.userId = user->id;
            link.type = Account::Type::Email;
            link.provider = QStringLiteral("email");
            link.providerAccountId = identifier;
            if (auto created = accounts.create(link, now); !created)
                return created.error();
            (void)EventRepository(m_db).append(QStringLiteral("linkAccount"), user->id,
                                               QStringLiteral("email"), now);
        }
        return user;
    });
}

Result<LinkedIdentity> AccountLinker::signInWithOidc(const OidcIdentity &identity)
{
    if (auto status = allowed(identity); !status)
        return status.error();
    const QDateTime now = m_clock.now();
    return m_db.transaction([&]() -> Result<LinkedIdentity> {
        UserRepository users(m_db);
        AccountRepository accounts(m_db);
        auto account = accounts.findByProviderAccount(identity.provider, identity.subject);
        if (account && account->issuer != identity.issuer) {
            // The same provider id now points at another issuer: never merge identities.
            return Error::make(ErrorKind::IdTokenInvalid, ErrorCode::IdTokenRejected,
                               QStringLiteral("This sign-in comes from a different issuer than the "
                                              "account it claims. Check the provider's issuer "
                                              "setting."),
                               QStringLiteral("issuer_changed"));
        }
        if (account) {
            auto user = users.findById(account->userId);
            if (user && (user->name != identity.name || user->image != identity.picture) &&
                (!identity.name.isEmpty() || !identity.picture.isEmpty())) {
                (void)users.updateProfile(user->id, identity.name, identity.picture, now);
                user.value().name = identity.name;
                user.value().image = identity.picture;
            }
            if (!user)
                return user.error();
            return LinkedIdentity{user.value(), account.value()};
        }
        if (account.error().kind != ErrorKind::NotFound)
            return account.error();

        // An unverified address is not claimed: otherwise whoever later proves that mailbox by
        // email link would sign in to this identity's user (account pre-hijacking;
        // docs/security.md, an email is never linked automatically).
        const QString email = identity.emailVerified ? identity.email : QString();
        if (!email.isEmpty()) {
            auto owner = users.findByEmail(email);
            if (owner) {
                Error inUse = Error::make(
                        ErrorKind::InvalidInput, ErrorCode::EmailInUse,
                        QStringLiteral("%1 already belongs to an account that signs in another "
                                       "way. Sign in with that method first, then link this "
                                       "provider from your Profile.")
                                .arg(email),
                        QStringLiteral("email_in_use"));
                inUse.subject = email; // the address: the sign-in screen names its method
                return inUse;
            }
        }
        User profile;
        profile.name = identity.name;
        profile.email = email;
        profile.image = identity.picture;
        if (identity.emailVerified)
            profile.emailVerified = now;
        auto user = users.create(profile, now);
        if (!user)
            return user.error();
        Account link;
        link.userId = user->id;
        link.type = Account::Type::Oidc;
        link.provider = identity.provider;
        link.providerAccountId = identity.subject;
        link.issuer = identity.issuer;
        link.scope = identity.scope;
        auto created = accounts.create(link, now);
        if (!created)
            return created.error();
        (void)EventRepository(m_db).append(QStringLiteral("createUser"), user->id, {}, now);
        (void)EventRepository(m_db).append(QStringLiteral("linkAccount"), user->id,
                                           identity.provider, now);
        return LinkedIdentity{user.value(), created.value()};
    });
}

Result<Account> AccountLinker::confirmOidc(qint64 userId, const OidcIdentity &identity)
{
    if (auto status = allowed(identity); !status)
        return status.error();
    auto existing =
            AccountRepository(m_db).findByProviderAccount(identity.provider, identity.subject);
    if (existing && existing->userId == userId && existing->issuer == identity.issuer)
        return existing;
    if (!existing && existing.error().kind != ErrorKind::NotFound)
        return existing.error();
    return Error::make(ErrorKind::InvalidInput, ErrorCode::NotTheSamePerson,
                       QStringLiteral("The confirmation came from another %1 account.")
                               .arg(identity.provider));
}

Result<LinkedIdentity> AccountLinker::linkOidc(qint64 userId, const OidcIdentity &identity)
{
    // A method that could not sign in on its own is not linked either.
    if (auto status = allowed(identity); !status)
        return status.error();
    const QDateTime now = m_clock.now();
    return m_db.transaction([&]() -> Result<LinkedIdentity> {
        AccountRepository accounts(m_db);
        auto existing = accounts.findByProviderAccount(identity.provider, identity.subject);
        if (existing) {
            if (existing->userId != userId || existing->issuer != identity.issuer)
                return Error::make(ErrorKind::InvalidInput, ErrorCode::LinkedElsewhere,
                                   QStringLiteral("This %1 account already signs in to another "
                                                  "Latchkey user, so it cannot be linked here.")
                                           .arg(identity.provider),
                                   QStringLiteral("linked_elsewhere"));
            auto user = UserRepository(m_db).findById(userId);
            if (!user)
                return user.error();
            return LinkedIdentity{user.value(), existing.value()};
        }
        if (existing.error().kind != ErrorKind::NotFound)
            return existing.error();
        Account link;
        link.userId = userId;
        link.type = Account::Type::Oidc;
        link.provider = identity.provider;
        link.providerAccountId = identity.subject;
        link.issuer = identity.issuer;
        link.scope = identity.scope;
        auto created = accounts.create(link, now);
        if (!created)
            return created.error();
        (void)EventRepository(m_db).append(QStringLiteral("linkAccount"), userId, identity.provider,
                                           now);
        auto user = UserRepository(m_db).findById(userId);
        if (!user)
            return user.error();
        return LinkedIdentity{user.value(), created.value()};
    });
}

} // namespace latchkey
