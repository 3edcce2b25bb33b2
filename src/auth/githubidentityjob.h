#pragma once

#include "auth/accountlinker.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "oidc/tokenresponse.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace latchkey {

/// What a GitHub sign-in yields: who signed in and the provider tokens.
struct GitHubSignIn
{
    OidcIdentity identity;
    oidc::TokenResponse tokens;
};

/// The part of a GitHub sign-in after the browser came back with a valid callback (GitHub is
/// plain OAuth 2.0: there is no ID token, the identity comes from the REST API over TLS).
///
///   start() ─► POST <web>/login/oauth/access_token (client id + secret, code, redirect_uri,
///              code_verifier; Accept: application/json) ─► JSON or form answer, errors in a 200
///     ─► GET <api>/user (Bearer) ─► numeric id, login, name, avatar_url
///     ─► GET <api>/user/emails ─► the primary address, verified or not
///     ─► finished(identity (provider, web base, id), tokens)
///   startWithTokens(tokens) (device sign-in) joins at GET /user.
///   any failure ─► finished(error)
///
/// The identity is (provider id, the account's numeric id): never the login (renamable,
/// reusable) nor the email. Exactly one finished(), never from inside start().
class GitHubIdentityJob : public QObject
{
    Q_OBJECT

public:
    /// `network`, `provider` and `clock` must outlive the job.
    GitHubIdentityJob(QNetworkAccessManager &network, const OidcProviderConfig &provider,
                      const Clock &clock, QObject *parent = nullptr);

    /// Exchanges `code` (bound to `redirectUri` and PKCE `codeVerifier`).
    void start(const QString &code, const QUrl &redirectUri, const QString &codeVerifier);
    /// Starts from tokens already obtained (the device flow): only the two API calls. Never
    /// finishes synchronously.
    void startWithTokens(const oidc::TokenResponse &tokens);

signals:
    void finished(const latchkey::Result<latchkey::GitHubSignIn> &result);

private:
    void fetchUser(const oidc::TokenResponse &tokens);
    void fetchEmails(const GitHubSignIn &partial);
    void finish(const Result<GitHubSignIn> &result);

    QNetworkAccessManager &m_network;
    const OidcProviderConfig &m_provider;
    const Clock &m_clock;
    bool m_done = false;
};

} // namespace latchkey
