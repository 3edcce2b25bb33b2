#include "signinpolicy.h"

namespace latchkey {

namespace {

Error notAllowed(const QString &reason, const QString &subject, const QString &message)
{
    Error error =
            Error::make(ErrorKind::Unauthorized, ErrorCode::SignInNotAllowed, message, reason);
    error.subject = subject;
    return error;
}

} // namespace

SignInAttempt SignInPolicy::byEmail(const QString &address)
{
    SignInAttempt attempt;
    attempt.providerId = QStringLiteral("email");
    attempt.email = address;
    attempt.emailVerified = true; // the person proves the mailbox by opening the message
    return attempt;
}

Status SignInPolicy::allows(const SignInAttempt &attempt) const
{
    if (const QStringList &domains = m_config.allowedEmailDomains; !domains.isEmpty()) {
        // A canonical address has one '@'; the domain is compared whole, never as a suffix. A
        // provider's unverified address proves nothing about the person's domain.
        const QString domain = attempt.email.section(u'@', 1);
        if (!attempt.emailVerified || domain.isEmpty() || !domains.contains(domain))
            return notAllowed(QStringLiteral("email_domain"), domains.join(u", "),
                              QStringLiteral("Only verified addresses at %1 may sign in to this "
                                             "app.")
                                      .arg(domains.join(u", ")));
    }
    if (const ProviderOptions *provider = m_config.provider(attempt.providerId); provider &&
        !provider->hostedDomain.isEmpty() &&
        attempt.hostedDomain.compare(provider->hostedDomain, Qt::CaseInsensitive) != 0) {
        return notAllowed(QStringLiteral("hosted_domain"), provider->hostedDomain,
                          QStringLiteral("Only %1 accounts of %2 may sign in to this app.")
                                  .arg(provider->label, provider->hostedDomain));
    }
    if (m_config.allowSignIn && !m_config.allowSignIn(attempt))
        return notAllowed(QStringLiteral("app"), attempt.providerId,
                          QStringLiteral("This account may not sign in to this app."));
    return {};
}

} // namespace latchkey
