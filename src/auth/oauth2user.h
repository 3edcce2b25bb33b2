#pragma once

#include "core/config.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace latchkey {

/// Who signed in at a plain OAuth 2.0 provider (the OAuth2 preset), read from its user endpoint.
/// Nothing in it is signed: it is believed because it came over TLS from the configured endpoint
/// in exchange for the access token (docs/security.md, "Other OAuth 2.0 providers").
struct OAuth2User
{
    QString accountId; ///< the stable account id: the identity, never the email
    QString email; ///< canonical, or empty
    bool emailVerified = false; ///< only for `"email_verified": true` (a JSON boolean)
    QString name; ///< `name`, or empty
    QString picture; ///< `picture`, else `avatar_url` (http or https), or empty

    /// Interprets the user endpoint's answer for `provider`:
    /// - 200 with a JSON object with unique members. The account id is the member named by
    ///   `provider.accountIdField`, else `sub`, else `id`: a non-empty string, or an integer
    ///   written in decimal. Missing, empty or of another type → Protocol ProviderAccountIdMissing
    ///   (`subject` the label, `reason` the OAUTH2_<ID>_ACCOUNT_ID key).
    /// - `email` that is not an address is dropped; `email_verified` other than the boolean
    ///   true (absent, false, the string "true") leaves it unverified.
    /// - any other status: as a UserInfo endpoint's (401/403 OAuthToken, 5xx Network, Protocol).
    static Result<OAuth2User> parse(int httpStatus, const QByteArray &contentType,
                                    const QByteArray &body, const OidcProviderConfig &provider);
};

} // namespace latchkey
