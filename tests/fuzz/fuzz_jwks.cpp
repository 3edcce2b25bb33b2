// libFuzzer target for JWK Sets (RFC 7517 §5; docs/security.md "Fuzzing"): JwksCache::parseKeySet
// and the key selection that follows it. Any broken invariant aborts.

#include "core/josemodule.h"
#include "fuzz_support.h"
#include "oidc/jwkscache.h"

using namespace latchkey;
using latchkey::oidc::JwksCache;

namespace {

void checkSelected(const QList<JwksCache::Key> &keys, const QString &kid, const QString &alg)
{
    const std::optional<JwksCache::Key> key = JwksCache::select(keys, kid, alg);
    if (!key)
        return;
    FUZZ_CHECK(kid.isEmpty() || key->kid == kid);
    FUZZ_CHECK(key->alg.isEmpty() || key->alg == alg); // RFC 7517 §4.4
    if (alg == u"RS256") {
        FUZZ_CHECK(key->kty == u"RSA" && key->bits >= 2048);
    } else {
        FUZZ_CHECK(alg == u"ES256" && key->kty == u"EC" && key->crv == u"P-256");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A skipped key is logged; thousands of inputs a second would drown the fuzzer's output.
    static const bool quiet = [] {
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
        return true;
    }();
    Q_UNUSED(quiet);

    const auto result = JwksCache::parseKeySet(fuzz::bytes(data, size).toByteArray());
    if (!result) {
        fuzz::checkError(result.error());
        FUZZ_CHECK(result.error().kind == ErrorKind::Protocol);
        return 0;
    }
    const QList<JwksCache::Key> &keys = result.value();
    QStringList kids{QString()};
    for (const JwksCache::Key &key : keys) {
        // RFC 8725 §3.1: only asymmetric public keys, never `oct`.
        FUZZ_CHECK(key.kty == u"RSA" || key.kty == u"EC");
        FUZZ_CHECK(!key.jwk.isEmpty());
        // The key handed to signature checks is the one inspected: same type, same size.
        const joseapi::KeyInfo info = joseapi::api().value()->inspectKey(key.jwk);
        FUZZ_CHECK(info.imported && info.bits == key.bits);
        FUZZ_CHECK(key.kty == u"RSA" ? info.isRsa : info.isEc);
        FUZZ_CHECK(key.kty == u"RSA" || !key.crv.isEmpty());
        kids.append(key.kid);
    }
    for (const QString &kid : std::as_const(kids)) {
        checkSelected(keys, kid, QStringLiteral("RS256"));
        checkSelected(keys, kid, QStringLiteral("ES256"));
    }
    return 0;
}
