#include "oidcsignincompletion.h"

#include "auth/accountlinker.h"
#include "auth/oidcsigninflow.h"
#include "auth/providertokens.h"
#include "core/crashpoint.h"
#include "core/emailaddress.h"
#include "oidc/tokenresponse.h"
#include "oidc/userinfojob.h"
#include "session/sessionmanager.h"

#include <QLockFile>

namespace latchkey {

OidcSignInCompletion::OidcSignInCompletion(const OidcSignInDeps &deps,
                                           oidc::ProviderMetadata metadata, QObject *parent)
    : QObject(parent), m_deps(deps), m_metadata(std::move(metadata))
{ }

OidcSignInCompletion::~OidcSignInCompletion() = default;

void OidcSignInCompletion::setConfirmUser(qint64 userId, const QDateTime &startedAt)
{
    m_confirmUser = userId;
    m_startedAt = startedAt;
}

void OidcSignInCompletion::start(const oidc::TokenResponse &tokens,
                                 const oidc::IdTokenExpectations &expected)
{
    if (tokens.idToken.isEmpty()) {
        QTimer::singleShot(0, this, [this]() {
            finish(Error::make(ErrorKind::IdTokenInvalid, ErrorCode::NoIdToken,
                               QStringLiteral("%1 did not send an ID token. Check that the "
                                              "\"openid\" scope is configured.")
                                       .arg(m_deps.provider.label)));
        });
        return;
    }
    auto *validator = new oidc::IdTokenValidator(m_deps.jwks(m_metadata), m_deps.clock, this);
    validator->validate(tokens.idToken.toLatin1(), expected, this,
                        [this, validator, tokens](const Result<oidc::IdToken> &idToken) {
                            validator->deleteLater();
                            if (!idToken) {
                                finish(idToken.error());
                                return;
                            }
                            identify(idToken.value(), tokens);
                        });
}

void OidcSignInCompletion::identify(const oidc::IdToken &idToken, const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    // A step-up counts only if the provider signed the person in just now (max_age=0 asks for
    // it; auth_time says whether it happened), a minute of clock skew allowed.
    if (m_confirmUser &&
        (!idToken.authTime.isValid() || idToken.authTime < m_startedAt.addSecs(-60))) {
        finish(Error::make(
                ErrorKind::IdTokenInvalid, ErrorCode::IdTokenRejected,
                QStringLiteral("%1 did not ask you to sign in again.").arg(m_deps.provider.label),
                QStringLiteral("auth_time")));
        return;
    }
    OidcIdentity identity;
    identity.provider = m_deps.provider.id;
    // identity is (issuer, sub) (docs/security.md); Microsoft's is the directory's issuer
    identity.issuer = idToken.issuer;
    identity.subject = idToken.subject;
    if (auto email = canonicalizeEmail(idToken.email))
        identity.email = email.value();
    identity.emailVerified = idToken.emailVerified;
    identity.name = idToken.name;
    identity.picture = idToken.picture;
    identity.hostedDomain = idToken.hostedDomain;
    identity.scope = tokens.scope;
    if ((!identity.name.isEmpty() && !identity.picture.isEmpty()) ||
        m_metadata.userinfoEndpoint.isEmpty()) {
        complete(identity, tokens);
        return;
    }
    auto *job = new oidc::UserInfoJob(m_deps.network, m_metadata.userinfoEndpoint,
                                      tokens.accessToken, identity.subject, this);
    connect(job, &oidc::UserInfoJob::finished, this,
            [this, job, identity, tokens](const Result<oidc::UserInfo> &info) mutable {
                job->deleteLater();
                // Name and picture are a nicety: a userinfo failure is not fatal.
                if (info) {
                    if (identity.name.isEmpty())
                        identity.name = info->name;
                    if (identity.picture.isEmpty())
                        identity.picture = info->picture.toString();
                }
                complete(identity, tokens);
            });
    job->start();
}

void OidcSignInCompletion::confirm(const OidcIdentity &identity, const oidc::TokenResponse &tokens)
{
    auto account = m_deps.linker.confirmOidc(*m_confirmUser, identity);
    if (!account) {
        Error error = account.error();
        error.subject = m_deps.provider.label;
        finish(error);
        return;
    }
    // The new tokens replace the account's (a refresh token may have been rotated).
    m_deps.tokens.store(account.value(), tokens, this, [this](const Status &) {
        auto session = m_deps.sessions.markAuthenticated();
        if (session && session->user.id != *m_confirmUser)
            session = notSignedIn(); // the session changed meanwhile
        finish(session);
    });
}

void OidcSignInCompletion::startWithIdentity(const OidcIdentity &identity,
                                             const oidc::TokenResponse &tokens)
{
    QTimer::singleShot(0, this, [this, identity, tokens]() { complete(identity, tokens); });
}

void OidcSignInCompletion::complete(const OidcIdentity &identity, const oidc::TokenResponse &tokens)
{
    if (m_done)
        return;
    if (m_confirmUser) {
        confirm(identity, tokens);
        return;
    }
    auto linked = m_deps.linkToUser ? m_deps.linker.linkOidc(*m_deps.linkToUser, identity)
                                    : m_deps.linker.signInWithOidc(identity);
    if (!linked) {
        finish(linked.error());
        return;
    }
    crashPoint("oidc-account-linked");
    if (m_deps.linkToUser) {
        // Linked: the same session, one more method, usable with its tokens at once.
        m_deps.tokens.store(linked->account, tokens, this, [this](const Status &) {
            crashPoint("oidc-provider-tokens-stored");
            // Linking works without them (they just cannot be used, renewed or revoked later);
            // ProviderTokens logged why.
            finish(m_deps.sessions.validSession());
        });
        return;
    }
    // Only the session token is written before the session is announced; the provider tokens
    // follow it (docs/architecture.md, "OpenID Connect sign-in"). A crash in between leaves a
    // session whose account has no provider tokens yet, as a sign-in that could not store them.
    // Until the session exists, another process starting now must not take this account's
    // earlier tokens for leftovers (the sign-in ends its earlier session first).
    m_signInLock = m_deps.tokens.lockSignIns(kSignInLockWaitMs);
    m_deps.tokens.noteSignIn(linked->account, tokens);
    m_deps.sessions.establish(linked->user.id, m_deps.provider.id, this,
                              [this, account = linked->account, tokens](Result<Session> session) {
                                  if (session)
                                      m_deps.tokens.storeAfterSignIn(account, tokens);
                                  finish(session);
                              });
}

void OidcSignInCompletion::stop()
{
    m_done = true;
    m_signInLock.reset();
}

void OidcSignInCompletion::finish(const Result<Session> &result)
{
    if (m_done)
        return;
    stop();
    emit finished(result);
}

} // namespace latchkey
