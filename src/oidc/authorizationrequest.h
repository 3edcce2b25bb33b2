#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace latchkey::oidc {

struct PendingAuthorization;

/// The OpenID Connect authentication request (OIDC Core 3.1.2.1, RFC 6749 §4.1.1, RFC 7636 §4.3)
/// sent through the system browser. A value type: build() turns it into the URL to open.
///
/// Always sends response_type=code, client_id, redirect_uri, scope, state, nonce, code_challenge
/// and code_challenge_method=S256, then the extra parameters in order (e.g. Google's
/// `access_type=offline`, `prompt=select_account` or `prompt=consent`).
struct AuthorizationRequest
{
    QUrl authorizationEndpoint; ///< from the provider's discovery document
    QString clientId;
    QUrl redirectUri; ///< the exact loopback URI, e.g. http://127.0.0.1:49152/callback/google
    QStringList scopes; ///< must contain "openid"; sent space-separated in this order
    QString state;
    QString nonce;
    QString codeChallenge; ///< S256 challenge of the flow's verifier
    /// Provider-specific parameters appended after the standard ones.
    QList<QPair<QString, QString>> extraParameters;
    /// A plain OAuth 2.0 request (RFC 6749 §4.1.1 + RFC 7636), for a provider without OpenID
    /// Connect (GitHub): no `nonce` is sent and "openid" is not required; PKCE and `state` carry
    /// the binding to this flow. Set explicitly, never inferred from the scopes.
    bool plainOAuth = false;

    /// A request for `flow` (its client id, redirect URI, state, nonce and challenge).
    static AuthorizationRequest forFlow(const QUrl &authorizationEndpoint,
                                        const PendingAuthorization &flow, const QStringList &scopes,
                                        const QList<QPair<QString, QString>> &extraParameters = {});

    /// The URL to open in the browser. Every name and value is percent-encoded per RFC 3986
    /// (only unreserved characters left as is); a query already on the endpoint is kept in front
    /// (RFC 6749 §3.1). Fails with a Config error when the endpoint is not an absolute http(s)
    /// URL with a host, a required value is empty, "openid" is not among the scopes, or a
    /// parameter would appear twice (RFC 6749 §3.1). With plainOAuth the nonce and the "openid"
    /// rule are left out; everything else is checked the same way.
    Result<QUrl> build() const;
};

} // namespace latchkey::oidc
