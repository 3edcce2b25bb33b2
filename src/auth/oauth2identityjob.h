#pragma once

#include "auth/accountlinker.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenresponse.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace latchkey {

/// What a plain OAuth 2.0 sign-in yields: who signed in and the provider tokens.
struct OAuth2SignIn
{
    OidcIdentity identity;
    oidc::TokenResponse tokens;
};

/// The part of a sign-in at a plain OAuth 2.0 provider (the OAuth2 preset) after the browser came
/// back with a valid callback. There is no ID token (one sent anyway is ignored): the identity
/// comes from the provider's user endpoint over TLS.
///
///   start() ─► POST token endpoint (code, redirect_uri, code_verifier; client auth as
///              ClientAuthentication::choose() says) ─► JSON or form-encoded answer
///     ─► GET user endpoint (Authorization: Bearer) ─► OAuth2User::parse()
///     ─► finished(identity (provider id, account id), tokens)
///   any failure ─► finished(error)
///
/// Exactly one finished(), never from inside start().
class OAuth2IdentityJob : public QObject
{
    Q_OBJECT

public:
    /// `network`, `provider` and `clock` must outlive the job.
    OAuth2IdentityJob(QNetworkAccessManager &network, const OidcProviderConfig &provider,
                      oidc::ProviderMetadata metadata, const Clock &clock,
                      QObject *parent = nullptr);

    /// Exchanges `code` (bound to `redirectUri` and PKCE `codeVerifier`).
    void start(const QString &code, const QUrl &redirectUri, const QString &codeVerifier);

signals:
    void finished(const latchkey::Result<latchkey::OAuth2SignIn> &result);

private:
    void fetchUser(const oidc::TokenResponse &tokens);
    void finish(const Result<OAuth2SignIn> &result);

    QNetworkAccessManager &m_network;
    const OidcProviderConfig &m_provider;
    oidc::ProviderMetadata m_metadata;
    const Clock &m_clock;
    bool m_done = false;
};

} // namespace latchkey
