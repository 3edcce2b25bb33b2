#pragma once

#include "oidcbench.h"

namespace latchkey::bench {

class RunHome;

/// The phases of an OIDC sign-in that happen inside OidcSignInFlow, measured one by one with the
/// same library classes against the same provider, right after a real sign-in:
///
///   jwks_fetch   oidc::JwksCache::findKey on a fresh cache: GET jwks_uri, parse, select the key
///   id_token     oidc::IdTokenValidator::validate of the real ID token with that (warm) cache
///   storage      AccountLinker::signInWithOidc + AccountRepository::findByProviderAccount on a
///                fresh SQLite file (a new user: user and account rows)
///   keychain     QtKeychainStore writes of the access and refresh token and the session token,
///                one after another as the flow does (same sizes as the real tokens)
///
/// Prints `latchkey-bench: oidc-phase <run> <metric> <ms>` lines.
class OidcPhases
{
public:
    /// Uses `network`, `clock` and `metadata` (which must outlive this object).
    OidcPhases(QNetworkAccessManager &network, const Clock &clock,
               const oidc::ProviderMetadata &metadata, QString clientId);

    /// Measures every phase once with `tokens` (from the sign-in just made) in `home`.
    void measure(int run, const CapturedTokens &tokens, const RunHome &home);

private:
    QNetworkAccessManager &m_network;
    const Clock &m_clock;
    const oidc::ProviderMetadata &m_metadata;
    QString m_clientId;
};

} // namespace latchkey::bench
