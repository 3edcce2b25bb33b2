#include "idtokenvalidator.h"

#include "core/josemodule.h"
#include "core/logging.h"
#include "idtokenclaims.h"
#include "josejson.h"

#include <QTimer>

namespace latchkey::oidc {

namespace {

const QStringList kSupportedAlgorithms{QStringLiteral("RS256"), QStringLiteral("ES256")};

/// The parts of a compact JWS that are known before any key is looked up.
struct ParsedJws
{
    QString alg;
    QString kid;
};

Result<ParsedJws> parseCompact(const QByteArray &compact, const IdTokenExpectations &expected)
{
    const QString &issuer = expected.issuer;
    if (compact.size() > IdTokenValidator::kMaxTokenBytes) {
        return idTokenError(issuer, QStringLiteral("it is too large"), QStringLiteral("malformed"));
    }
    const QList<QByteArray> parts = compact.split('.');
    // rule: RFC 7516 §9 — five parts is a JWE; ID tokens are accepted signed only, never encrypted.
    if (parts.size() == 5) {
        return idTokenError(issuer, QStringLiteral("it is encrypted (JWE), which is not supported"),
                            QStringLiteral("jwe"));
    }
    // rule: RFC 7515 §7.1 — a compact JWS has exactly three parts.
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        return idTokenError(issuer, QStringLiteral("it is not a signed JWT (wrong shape)"),
                            QStringLiteral("malformed"));
    }
    // rule: RFC 7515 §2 — every part is unpadded base64url.
    const auto headerBytes = jose::decodeBase64Url(parts[0]);
    if (!headerBytes || !jose::decodeBase64Url(parts[1]) || !jose::decodeBase64Url(parts[2])) {
        return idTokenError(issuer, QStringLiteral("it is not valid base64url"),
                            QStringLiteral("malformed"));
    }
    // rule: RFC 8725 §3.2, RFC 7515 §5.2 — header parsed strictly, duplicate names rejected.
    auto header = jose::parseObjectStrict(*headerBytes, QStringLiteral("The ID token header"),
                                          ErrorKind::IdTokenInvalid);
    if (!header)
        return idTokenError(issuer, header.error().message, QStringLiteral("bad_header"));

    const QJsonValue alg = header->value(QStringLiteral("alg"));
    const QString algName = alg.toString();
    // rule: RFC 8725 §3.1/§2.1 — never `none`, never HMAC (a public key used as an HMAC secret).
    if (!alg.isString() || algName.compare(u"none", Qt::CaseInsensitive) == 0 ||
        algName.startsWith(u"HS", Qt::CaseInsensitive)) {
        return idTokenError(issuer,
                            QStringLiteral("it uses the forbidden algorithm \"%1\"").arg(algName),
                            QStringLiteral("alg_forbidden"));
    }
    // rule: RFC 8725 §3.1 — `alg` from the configured allowlist (only RS256/ES256 are honoured).
    if (!expected.allowedAlgorithms.contains(algName) || !kSupportedAlgorithms.contains(algName)) {
        return idTokenError(issuer,
                            QStringLiteral("its algorithm \"%1\" is not allowed").arg(algName),
                            QStringLiteral("alg_not_allowed"));
    }
    // rule: RFC 7515 §4.1.11 — critical extensions we do not understand make the JWS invalid.
    if (header->contains(QStringLiteral("crit"))) {
        return idTokenError(issuer, QStringLiteral("it has critical header extensions"),
                            QStringLiteral("crit"));
    }
    // rule: RFC 8725 §3.11 — an explicit type other than JWT means another kind of token.
    const QString typ = header->value(QStringLiteral("typ")).toString(QStringLiteral("JWT"));
    if (typ.compare(u"JWT", Qt::CaseInsensitive) != 0 &&
        typ.compare(u"application/jwt", Qt::CaseInsensitive) != 0) {
        return idTokenError(issuer, QStringLiteral("it is a \"%1\", not an ID token").arg(typ),
                            QStringLiteral("typ"));
    }
    const QJsonValue kid = header->value(QStringLiteral("kid"));
    if (!kid.isUndefined() && !kid.isString()) {
        return idTokenError(issuer, QStringLiteral("its key id is malformed"),
                            QStringLiteral("bad_header"));
    }
    // rule: RFC 7515 §5.2 — a JWS with an allowed algorithm carries a signature.
    if (parts[2].isEmpty()) {
        return idTokenError(issuer, QStringLiteral("it is not signed"),
                            QStringLiteral("malformed"));
    }
    // rule: RFC 8725 §3.10 — `jku`, `x5u`, `jwk` and `x5c` are never read: the key comes only from
    // the issuer's jwks_uri, selected by `kid` and the algorithm's key type.
    return ParsedJws{algName, kid.toString()};
}

Result<QJsonObject> verifySignature(const QByteArray &compact, const ParsedJws &parsed,
                                    const JwksCache::Key &key, const QString &issuer)
{
    const auto jose = joseapi::api(); // cjose, in the `jose` module
    if (!jose)
        return jose.error();
    const joseapi::JwsCheck jws = jose.value()->verifyJws(compact, key.jwk);
    if (!jws.imported) {
        return idTokenError(issuer, QStringLiteral("it is not a well-formed JWS"),
                            QStringLiteral("malformed"));
    }
    // cjose picks the verification algorithm from its own parse of the header: it must agree.
    if (jws.alg.isEmpty() || jws.alg != parsed.alg) {
        return idTokenError(issuer, QStringLiteral("its header is ambiguous"),
                            QStringLiteral("bad_header"));
    }
    // rule: OIDC Core 3.1.3.7 rule 6, RFC 7515 §5.2 — the signature verifies with the JWKS key.
    if (!jws.verified) {
        return idTokenError(issuer,
                            QStringLiteral("its signature does not match the provider's key "
                                           "\"%1\"")
                                    .arg(parsed.kid),
                            QStringLiteral("bad_signature"));
    }
    if (!jws.hasPayload) {
        return idTokenError(issuer, QStringLiteral("its payload cannot be read"),
                            QStringLiteral("malformed"));
    }
    // rule: RFC 8725 §3.2 — claims parsed strictly, duplicate claim names rejected.
    auto claims = jose::parseObjectStrict(jws.payload, QStringLiteral("The ID token payload"),
                                          ErrorKind::IdTokenInvalid);
    if (!claims)
        return idTokenError(issuer, claims.error().message, QStringLiteral("bad_payload"));
    return claims;
}

/// Looks up the key, checks the signature and the claims. With `mayRefresh`, a bad signature by a
/// key kept from an earlier run refreshes the set once and checks again.
void checkWithKey(QObject *owner, JwksCache &jwks, const Clock &clock, const QByteArray &compact,
                  const IdTokenExpectations &expected, const ParsedJws &jws, bool mayRefresh,
                  QObject *context, IdTokenValidator::Callback callback)
{
    jwks.findKey(
            jws.kid, jws.alg, owner,
            [owner, &jwks, &clock, compact, expected, jws, mayRefresh, context = QPointer(context),
             callback = std::move(callback)](Result<JwksCache::Key> key) {
                if (!context)
                    return;
                if (!key) {
                    if (key.error().kind != ErrorKind::NotFound) {
                        callback(key.error()); // a network problem is not a forged token
                        return;
                    }
                    // rule: OIDC Core §10.1 — the key must be in the issuer's JWKS.
                    qCInfo(lcOidc) << "ID token rejected: \"unknown_key\"";
                    callback(idTokenError(expected.issuer,
                                          QStringLiteral("it was signed with a key (\"%1\") that "
                                                         "the provider does not publish")
                                                  .arg(jws.kid),
                                          QStringLiteral("unknown_key")));
                    return;
                }
                auto claims = verifySignature(compact, jws, key.value(), expected.issuer);
                if (!claims && claims.error().reason == u"bad_signature" && mayRefresh &&
                    jwks.heldFromStore()) {
                    // A key kept from an earlier run may have been replaced under the same kid:
                    // fetch the set once and check again; a second mismatch is the verdict.
                    jwks.refresh(owner,
                                 [owner, &jwks, &clock, compact, expected, jws, context, callback,
                                  error = claims.error()](Status refreshed) {
                                     if (!context)
                                         return;
                                     if (!refreshed) {
                                         callback(error);
                                         return;
                                     }
                                     checkWithKey(owner, jwks, clock, compact, expected, jws, false,
                                                  context, callback);
                                 });
                    return;
                }
                if (!claims) {
                    qCInfo(lcOidc) << "ID token rejected:" << claims.error().reason;
                    callback(claims.error());
                    return;
                }
                auto token = checkIdTokenClaims(claims.value(), expected, clock.now());
                if (token) {
                    token.value().algorithm = jws.alg;
                    token.value().keyId = key->kid;
                } else {
                    qCInfo(lcOidc) << "ID token rejected:" << token.error().reason;
                }
                callback(std::move(token));
            });
}

} // namespace

IdTokenValidator::IdTokenValidator(JwksCache &jwks, const Clock &clock, QObject *parent)
    : QObject(parent), m_jwks(jwks), m_clock(clock)
{ }

void IdTokenValidator::validate(const QByteArray &compact, const IdTokenExpectations &expected,
                                QObject *context, Callback callback)
{
    auto fail = [this, context, &callback](Error error) {
        qCInfo(lcOidc) << "ID token rejected:" << error.reason; // never the token itself
        QTimer::singleShot(0, context, [guard = QPointer(this), callback, error]() {
            if (guard)
                callback(error);
        });
    };
    const bool bound = expected.fromRefresh ? !expected.subject.isEmpty()
            : expected.fromDeviceGrant      ? expected.nonce.isEmpty()
                                            : !expected.nonce.isEmpty();
    if (!bound || expected.clientId.isEmpty() || expected.issuer.isEmpty()) {
        fail(Error::make(ErrorKind::InvalidInput,
                         QStringLiteral("ID token validation needs the issuer, the client id "
                                        "and the nonce of the sign-in attempt (the user's "
                                        "subject for a refresh)."),
                         QStringLiteral("bad_expectations")));
        return;
    }
    // Without the module nothing can be checked: a ModuleMissing error, never a verdict on the
    // token (once loaded it stays, so the steps below cannot meet it).
    if (auto jose = joseapi::api(); !jose) {
        fail(jose.error());
        return;
    }
    auto parsed = parseCompact(compact, expected);
    if (!parsed) {
        fail(parsed.error());
        return;
    }
    checkWithKey(this, m_jwks, m_clock, compact, expected, parsed.value(), true, context,
                 std::move(callback));
}

} // namespace latchkey::oidc
