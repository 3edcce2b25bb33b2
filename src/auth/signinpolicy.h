#pragma once

#include "core/config.h"
#include "core/result.h"

namespace latchkey {

/// Who may sign in (docs/library.md "Policies"; NextAuth's `signIn` callback), asked for every
/// sign-in, link and step-up once the identity is proved, and for an email address before a
/// message is sent. Refusals are Unauthorized / SignInNotAllowed; `reason` says which rule:
///
///   "email_domain"   Options::allowedEmailDomains is set and the address is not at one of them
///                    (or the provider did not verify it); `subject` lists the domains
///   "hosted_domain"  the provider's hostedDomain is set and the ID token's `hd` differs;
///                    `subject` is the expected domain
///   "app"            Options::allowSignIn said no
class SignInPolicy
{
public:
    /// `config` must outlive the policy.
    explicit SignInPolicy(const Config &config) : m_config(config) { }

    /// Whether `attempt` may sign in: the domain list, the provider's hosted domain, then the
    /// app's own check.
    Status allows(const SignInAttempt &attempt) const;
    /// The attempt of an email sign-in to `address` (canonical): asked before the message is
    /// sent, and again when the person comes back with the link or code.
    static SignInAttempt byEmail(const QString &address);

private:
    const Config &m_config;
};

} // namespace latchkey
