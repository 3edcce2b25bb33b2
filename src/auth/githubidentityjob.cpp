#include "githubidentityjob.h"

#include "core/logging.h"
#include "github/githubapi.h"
#include "oidc/httpexchange.h"

namespace latchkey {

namespace {

QByteArray bearer(const oidc::TokenResponse &tokens)
{
    return QByteArrayLiteral("Bearer ") + tokens.accessToken.toUtf8();
}

} // namespace

GitHubIdentityJob::GitHubIdentityJob(QNetworkAccessManager &network,
                                     const OidcProviderConfig &provider, const Clock &clock,
                                     QObject *parent)
    : QObject(parent), m_network(network), m_provider(provider), m_clock(clock)
{ }

void GitHubIdentityJob::start(const QString &code, const QUrl &redirectUri,
                              const QString &codeVerifier)
{
    oidc::httpPostForm(
            m_network, github::metadata(m_provider).tokenEndpoint,
            github::tokenRequestForm(m_provider, code, redirectUri, codeVerifier), this,
            [this](Result<oidc::HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                auto tokens =
                        github::parseTokenResponse(response->status, response->contentType,
                                                   response->body, m_clock.now(), m_provider.label);
                if (!tokens) {
                    qCInfo(lcAuth) << "GitHub token request refused:" << tokens.error().reason;
                    finish(tokens.error());
                    return;
                }
                fetchUser(tokens.value());
            },
            github::tokenRequestOptions());
}

void GitHubIdentityJob::startWithTokens(const oidc::TokenResponse &tokens)
{
    fetchUser(tokens); // the answer comes from the event loop: never synchronous
}

void GitHubIdentityJob::fetchUser(const oidc::TokenResponse &tokens)
{
    oidc::httpGet(
            m_network, github::apiEndpoint(m_provider, QStringLiteral("/user")), this,
            [this, tokens](Result<oidc::HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                auto profile = github::parseUser(response->status, response->body);
                if (!profile) {
                    finish(profile.error());
                    return;
                }
                GitHubSignIn signIn;
                signIn.tokens = tokens;
                OidcIdentity &identity = signIn.identity;
                identity.provider = m_provider.id;
                identity.issuer = github::metadata(m_provider).issuer;
                identity.subject = profile->id; // the numeric id: never the login or the email
                identity.name = profile->name;
                identity.picture = profile->avatarUrl;
                identity.scope = tokens.scope;
                fetchEmails(signIn);
            },
            github::apiOptions(bearer(tokens)));
}

void GitHubIdentityJob::fetchEmails(const GitHubSignIn &partial)
{
    oidc::httpGet(
            m_network, github::apiEndpoint(m_provider, QStringLiteral("/user/emails")), this,
            [this, partial](Result<oidc::HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                GitHubSignIn signIn = partial;
                // 403/404: the token may not read the addresses (no user:email scope); the
                // person signs in without an email, as with a provider that gives none.
                if (response->status == 403 || response->status == 404) {
                    qCInfo(lcAuth) << "GitHub gave no email addresses, HTTP" << response->status;
                    finish(signIn);
                    return;
                }
                if (response->status != 200) {
                    finish(Error::make(ErrorKind::Network, ErrorCode::NetworkUnreachable,
                                       QStringLiteral("GitHub's API is having trouble (HTTP %1). "
                                                      "Try again in a few minutes.")
                                               .arg(response->status),
                                       QString::number(response->status)));
                    return;
                }
                github::Profile profile;
                if (auto read = github::applyEmails(profile, response->body); !read) {
                    finish(read.error());
                    return;
                }
                signIn.identity.email = profile.email;
                signIn.identity.emailVerified = profile.emailVerified;
                finish(signIn);
            },
            github::apiOptions(bearer(partial.tokens)));
}

void GitHubIdentityJob::finish(const Result<GitHubSignIn> &result)
{
    if (m_done)
        return;
    m_done = true;
    emit finished(result);
}

} // namespace latchkey
