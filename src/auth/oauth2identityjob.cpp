#include "oauth2identityjob.h"

#include "auth/oauth2user.h"
#include "core/logging.h"
#include "oidc/clientauth.h"
#include "oidc/httpexchange.h"
#include "oidc/tokenjob.h"
#include "oidc/tokenrequest.h"

namespace latchkey {

OAuth2IdentityJob::OAuth2IdentityJob(QNetworkAccessManager &network,
                                     const OidcProviderConfig &provider,
                                     oidc::ProviderMetadata metadata, const Clock &clock,
                                     QObject *parent)
    : QObject(parent), m_network(network), m_provider(provider), m_metadata(std::move(metadata)),
      m_clock(clock)
{ }

void OAuth2IdentityJob::start(const QString &code, const QUrl &redirectUri,
                              const QString &codeVerifier)
{
    const auto request = oidc::TokenRequest::authorizationCode(m_metadata.tokenEndpoint, code,
                                                               redirectUri, codeVerifier);
    auto *job =
            new oidc::TokenJob(m_network, request,
                               oidc::ClientAuthentication::choose(
                                       m_provider.clientId, m_provider.clientSecret, m_metadata),
                               m_clock, this);
    connect(job, &oidc::TokenJob::finished, this,
            [this, job](const Result<oidc::TokenResponse> &tokens) {
                job->deleteLater();
                if (!tokens) {
                    finish(tokens.error());
                    return;
                }
                fetchUser(tokens.value());
            });
    job->start();
}

void OAuth2IdentityJob::fetchUser(const oidc::TokenResponse &tokens)
{
    oidc::HttpOptions options;
    options.authorization = QByteArrayLiteral("Bearer ") + tokens.accessToken.toUtf8(); // RFC 6750
    oidc::httpGet(
            m_network, m_metadata.userinfoEndpoint, this,
            [this, tokens](Result<oidc::HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                auto user = OAuth2User::parse(response->status, response->contentType,
                                              response->body, m_provider);
                if (!user) {
                    qCInfo(lcAuth) << "user endpoint answer refused:" << user.error().message;
                    finish(user.error());
                    return;
                }
                OAuth2SignIn signIn;
                signIn.tokens = tokens;
                // Not OpenID Connect: an ID token proves nothing here.
                signIn.tokens.idToken.clear();
                OidcIdentity &identity = signIn.identity;
                identity.provider = m_provider.id;
                identity.issuer = m_metadata.issuer;
                identity.subject = user->accountId; // never the email
                identity.email = user->email;
                identity.emailVerified = user->emailVerified;
                identity.name = user->name;
                identity.picture = user->picture;
                identity.scope = tokens.scope;
                finish(signIn);
            },
            options);
}

void OAuth2IdentityJob::finish(const Result<OAuth2SignIn> &result)
{
    if (m_done)
        return;
    m_done = true;
    emit finished(result);
}

} // namespace latchkey
