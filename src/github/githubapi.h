#pragma once

#include "core/result.h"
#include "oidc/deviceauthorization.h"
#include "oidc/httpexchange.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenresponse.h"

#include <latchkey/options.h>

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

/// GitHub as a sign-in provider: plain OAuth 2.0 (RFC 6749 + RFC 7636), no OpenID Connect, no ID
/// token. The messages of its OAuth app web flow and the two REST calls that say who signed in,
/// as pure functions (docs/security.md, "GitHub").
///
///   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
///   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
///   https://docs.github.com/en/rest/users/users#get-the-authenticated-user
///   https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
namespace latchkey::github {

/// The endpoints of `provider` (its `issuer` is the web base, `apiUrl` the REST API base): the
/// authorization, token and device code (`<web>/login/device/code`) endpoints on the web host
/// (GitHub publishes no discovery document);
/// `issuer` is the web base without a trailing slash, recorded as the accounts' issuer.
oidc::ProviderMetadata metadata(const ProviderOptions &provider);

/// `<apiUrl>/<path>` (GitHub Enterprise Server's API lives under /api/v3).
QUrl apiEndpoint(const ProviderOptions &provider, const QString &path);

/// The form POSTed to the token endpoint: client_id, client_secret, code, redirect_uri,
/// code_verifier (GitHub OAuth apps always authenticate with their secret).
oidc::FormFields tokenRequestForm(const ProviderOptions &provider, const QString &code,
                                  const QUrl &redirectUri, const QString &codeVerifier);

/// The request headers of the token endpoint (Accept: application/json).
oidc::HttpOptions tokenRequestOptions();

/// The request headers of a REST call: Authorization (`authorization`, e.g. "Bearer <t>"),
/// Accept: application/vnd.github+json, X-GitHub-Api-Version: 2022-11-28 and a User-Agent
/// (GitHub refuses requests without one).
oidc::HttpOptions apiOptions(const QByteArray &authorization);

/// Interprets the token endpoint's answer, encoded as its Content-Type says: JSON
/// (application/json) or application/x-www-form-urlencoded (GitHub's default). GitHub reports
/// errors with HTTP 200 and an `error` member:
///  - bad_verification_code → OAuthToken AuthorizationCodeExpired (sign in again)
///  - incorrect_client_credentials, redirect_uri_mismatch → Config ConfigInvalid (GITHUB_ID /
///    GITHUB_SECRET / the OAuth app's callback URL)
///  - unverified_user_email → OAuthToken ProviderEmailUnverified (`subject` = `label`)
///  - any other → OAuthToken TokenRequestRefused with the error as `reason`.
/// Success needs a non-empty access_token and token_type bearer; `scope` (comma-separated at
/// GitHub) becomes space-separated; expires_in and refresh_token are kept when present (GitHub
/// Apps with expiring tokens). 5xx/429 → Network; any other status or encoding → Protocol.
Result<oidc::TokenResponse> parseTokenResponse(int httpStatus, const QByteArray &contentType,
                                               const QByteArray &body, const QDateTime &now,
                                               const QString &label);

/// Interprets a token endpoint answer to a device-flow poll (grant_type
/// urn:ietf:params:oauth:grant-type:device_code; client_id only, no secret) as
/// parseTokenResponse() does, with the device flow's errors-in-a-200:
///  - authorization_pending, slow_down, expired_token, access_denied → OAuthToken errors with the
///    code as `reason`, as RFC 8628 §3.5's (DeviceTokenPoller acts on them); slow_down's new
///    `interval` is in `retryAfterSecs`
///  - device_flow_disabled → Config DeviceFlowDisabled (`subject` = `label`): enable Device Flow
///    in the OAuth app's settings
///  - incorrect_client_credentials → Config ConfigInvalid on GITHUB_ID
///  - incorrect_device_code → OAuthToken DeviceCodeRejected (`subject` = `label`): start again
///  - unsupported_grant_type → Config DeviceSignInUnsupported (`subject` = `label`).
Result<oidc::TokenResponse> parseDeviceTokenResponse(const oidc::HttpResponse &response,
                                                     const QDateTime &now, const QString &label);

/// Interprets POST /login/device/code's answer: a 200 carrying an `error` (JSON or form) → the
/// errors of parseDeviceTokenResponse(); anything else → oidc::DeviceAuthorization::parse().
Result<oidc::DeviceAuthorization> parseDeviceAuthorization(const oidc::HttpResponse &response,
                                                           const QDateTime &now,
                                                           const oidc::MetadataOptions &options,
                                                           const QString &label);

/// Who signed in, from GET /user and GET /user/emails.
struct Profile
{
    QString id; ///< the numeric, never reused account id, as a decimal string: the identity
    QString login; ///< the user name; can be renamed and reused: never an identity
    QString name; ///< `name`, else the login
    QString avatarUrl;
    QString email; ///< the primary address (canonical), or empty
    bool emailVerified = false; ///< true only when GitHub marks the primary address verified
};

/// Reads GET /user (200 JSON object with a positive integer `id` and a string `login`).
Result<Profile> parseUser(int httpStatus, const QByteArray &body);

/// Sets `profile`'s email from GET /user/emails: the `primary` entry; emailVerified only when
/// its `verified` is true. No primary entry (or no addresses) → no email.
Status applyEmails(Profile &profile, const QByteArray &body);

} // namespace latchkey::github
