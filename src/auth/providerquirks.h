#pragma once

#include "core/config.h"
#include "core/result.h"
#include "oidc/callbackvalidation.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/providermetadata.h"

#include <QUrl>

#include <functional>

namespace latchkey {

namespace oidc {
class DiscoveryCache;
struct PendingAuthorization;
} // namespace oidc

/// What each provider preset (ProviderPreset) changes in the protocol, in one place, so the
/// sign-in, the refresh and the revocation agree (docs/library.md, "Providers").
namespace providerquirks {

/// Why the browser is sent to the provider.
enum class Purpose {
    SignIn, ///< a sign-in or the linking of a provider
    StepUp, ///< "confirm it's you": the person must sign in at the provider again, now
};

/// True for the presets that speak plain OAuth 2.0 (GitHub, OAuth2): no nonce, no "openid", no ID
/// token (any sent is ignored); who signed in comes from the provider's API, and a step-up is
/// refused (no prompt=login, max_age or auth_time to prove a fresh sign-in).
bool isPlainOAuth(const OidcProviderConfig &provider);

/// The discovery rules for `provider` (Microsoft's multi-tenant document names a template).
oidc::MetadataOptions metadataOptions(const OidcProviderConfig &provider, bool allowHttpLoopback);

/// The provider's metadata, handed to `callback` from the event loop (never synchronously):
/// its discovery document through `discovery`; for GitHub, which publishes none, its documented
/// endpoints; for OAuth2, the configured ones.
void metadata(oidc::DiscoveryCache &discovery, const OidcProviderConfig &provider,
              bool allowHttpLoopback, QObject *context,
              std::function<void(const Result<oidc::ProviderMetadata> &)> callback);

/// The parameters sent after the standard ones (prompt, access_type, max_age, hd), in order.
QList<QPair<QString, QString>> authorizationParameters(const OidcProviderConfig &provider,
                                                       Purpose purpose);

/// The authorization URL the browser opens for `flow` at `authorizationEndpoint`.
Result<QUrl> authorizationUrl(const OidcProviderConfig &provider, const QUrl &authorizationEndpoint,
                              const oidc::PendingAuthorization &flow, Purpose purpose);

/// How the callback's `iss` is checked: a generic OAuth2 provider has no known issuer (its
/// accounts are recorded under its authorization endpoint's origin), so its `iss` is not compared.
oidc::IssuerCheck callbackIssuerCheck(const OidcProviderConfig &provider,
                                      const oidc::ProviderMetadata &metadata);

/// Adds the provider's ID token rules (Google's schemeless `iss`, Microsoft's `tid`).
void applyIdTokenRules(oidc::IdTokenExpectations &expected, const OidcProviderConfig &provider);

} // namespace providerquirks

} // namespace latchkey
