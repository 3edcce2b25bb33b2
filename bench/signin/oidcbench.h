#pragma once

#include "core/clock.h"
#include "oidc/providermetadata.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QString>

namespace latchkey::bench {

/// What the provider's token response said, read (never consumed, never printed) from the app's
/// own QNetworkAccessManager so the isolated phases can reuse the real ID token.
struct CapturedTokens
{
    QByteArray idToken;
    qsizetype accessTokenSize = 0;
    qsizetype refreshTokenSize = 0;
};

/// The OpenID Connect scenario of bench_signin: the real MainWindow and OidcSignInFlow against
/// the harness's oidc-provider (public client, PKCE), the browser reached through
/// QDesktopServices::openUrl, the real keyring and a fresh SQLite file per run.
///
///   click "Sign in with Test ID" ─► browser logs in and consents (not measured)
///     ─► callback request at the listener ─► callbackReceived()
///     ─► token reply ─► JWKS reply ─► (ID token validated) ─► userinfo reply
///     ─► (user/account rows, token writes, session row + write) ─► SignedIn
///     ─► Dashboard current ─► Dashboard painted
///
/// The replies are observed on the app's QNetworkAccessManager::finished signal, which fires
/// before the library's own handlers; what happens between them is measured again, in isolation,
/// by OidcPhases with the same library classes.
class OidcBench
{
public:
    OidcBench();

    /// Fetches the provider metadata once (endpoints to recognise the replies). Exits on failure.
    void prepare();
    /// One sign-in; prints its spans when `run` > 0 (0 is the warm-up, not printed).
    void runOnce(int run);

private:
    QString m_issuer;
    SystemClock m_clock;
    QNetworkAccessManager m_network;
    oidc::ProviderMetadata m_metadata;
};

} // namespace latchkey::bench
