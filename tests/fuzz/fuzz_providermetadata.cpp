// libFuzzer target for discovery documents (OpenID Connect Discovery 1.0 §3, RFC 8414;
// docs/security.md "Fuzzing"). Every input is parsed for an https issuer and, with loopback http
// allowed, for a loopback one. Any broken invariant aborts.

#include "fuzz_support.h"
#include "oidc/providermetadata.h"

#include <QHostAddress>

using namespace latchkey;
using latchkey::oidc::MetadataOptions;
using latchkey::oidc::ProviderMetadata;

namespace {

bool isLoopbackHttp(const QUrl &url)
{
    const QHostAddress host(url.host());
    return url.scheme() == u"http" && !host.isNull() && host.isLoopback();
}

void checkUrl(const QUrl &url, bool required, const MetadataOptions &options)
{
    if (url.isEmpty()) {
        FUZZ_CHECK(!required);
        return;
    }
    FUZZ_CHECK(ProviderMetadata::isAcceptableEndpoint(url, options));
    FUZZ_CHECK(url.scheme() == u"https" || (options.allowLoopbackHttp && isLoopbackHttp(url)));
    FUZZ_CHECK(!url.host().isEmpty() && !url.hasFragment() && url.userInfo().isEmpty());
}

void checkDocument(const QByteArray &json, const QString &issuer, const MetadataOptions &options)
{
    const Result<ProviderMetadata> result = ProviderMetadata::parse(json, issuer, options);
    if (!result) {
        fuzz::checkError(result.error());
        FUZZ_CHECK(result.error().kind == ErrorKind::Protocol ||
                   result.error().kind == ErrorKind::Config);
        return;
    }
    const ProviderMetadata &metadata = result.value();
    // OIDC Discovery §4.3: exactly the configured issuer.
    FUZZ_CHECK(metadata.issuer == issuer && metadata.raw.value(u"issuer").toString() == issuer);
    checkUrl(metadata.authorizationEndpoint, true, options);
    checkUrl(metadata.tokenEndpoint, true, options);
    checkUrl(metadata.jwksUri, true, options);
    checkUrl(metadata.userinfoEndpoint, false, options);
    checkUrl(metadata.revocationEndpoint, false, options);
    checkUrl(metadata.endSessionEndpoint, false, options);
    // RFC 7636 §4.2: a provider that lists its PKCE methods offers S256.
    FUZZ_CHECK(!metadata.raw.contains(u"code_challenge_methods_supported") ||
               metadata.codeChallengeMethodsSupported.contains(u"S256"));
    FUZZ_CHECK(metadata.responseTypesSupported.isEmpty() ||
               metadata.responseTypesSupported.contains(u"code"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = fuzz::bytes(data, size).toByteArray();
    MetadataOptions strict;
    MetadataOptions loopback;
    loopback.allowLoopbackHttp = true;
    checkDocument(json, QStringLiteral("https://issuer.example"), strict);
    checkDocument(json, QStringLiteral("https://issuer.example"), loopback);
    checkDocument(json, QStringLiteral("http://127.0.0.1:8080"), loopback);
    return 0;
}
