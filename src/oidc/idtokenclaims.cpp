#include "idtokenclaims.h"

#include "idtokenvalidator.h"
#include "microsoftissuer.h"
#include "tokenerror.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace latchkey::oidc {

namespace {

const QString kGoogleIssuer = QStringLiteral("https://accounts.google.com");
const QString kGoogleSchemelessIssuer = QStringLiteral("accounts.google.com");
constexpr double kMaxEpochSecs = 253402300799.0; // 9999-12-31T23:59:59Z

QString formatTime(const QDateTime &time) { return time.toUTC().toString(Qt::ISODate); }

Error clockError(const QString &issuer, const QString &reason, const QString &code)
{
    return Error::make(ErrorKind::IdTokenInvalid, ErrorCode::IdTokenRejected,
                       QStringLiteral("The ID token from %1 was rejected: %2. Your computer's "
                                      "clock may be wrong; check its date, time and time zone, "
                                      "then sign in again.")
                               .arg(issuer, reason),
                       code);
}

/// Reads a NumericDate claim (RFC 7519 §2). Missing → invalid QDateTime; wrong type → error.
Result<QDateTime> numericDate(const QJsonObject &claims, const QString &name, const QString &issuer)
{
    const QJsonValue value = claims.value(name);
    if (value.isUndefined())
        return QDateTime{};
    const double seconds = value.toDouble(-1);
    if (!value.isDouble() || !std::isfinite(seconds) || seconds < 0 || seconds > kMaxEpochSecs) {
        return idTokenError(issuer,
                            QStringLiteral("its \"%1\" claim is not a valid date").arg(name),
                            QStringLiteral("bad_date"));
    }
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(std::floor(seconds)), Qt::UTC);
}

Result<QString> optionalString(const QJsonObject &claims, const QString &name,
                               const QString &issuer)
{
    const QJsonValue value = claims.value(name);
    if (value.isUndefined() || value.isNull())
        return QString{};
    if (!value.isString()) {
        return idTokenError(issuer, QStringLiteral("its \"%1\" claim is not a string").arg(name),
                            QStringLiteral("bad_claim_type"));
    }
    return value.toString();
}

} // namespace

Error idTokenError(const QString &issuer, const QString &reason, const QString &code)
{
    return Error::make(ErrorKind::IdTokenInvalid, ErrorCode::IdTokenRejected,
                       QStringLiteral("The ID token from %1 was rejected: %2. Sign in again; if "
                                      "this keeps happening, the provider or its configuration "
                                      "is wrong.")
                               .arg(issuer, reason),
                       code);
}

namespace {

/// The sign-in this token belongs to: the flow's nonce (returned), or for a refresh the user.
Result<QString> checkBinding(const QJsonObject &claims, const IdTokenExpectations &expected,
                             const QString &subject)
{
    const QString &issuer = expected.issuer;
    if (expected.fromRefresh) {
        if (subject != expected.subject) {
            Error error = idTokenError(issuer,
                                       QStringLiteral("the renewed token names a different user "
                                                      "than the one who signed in"),
                                       QStringLiteral("sub_changed"));
            error.code = ErrorCode::IdentityChanged;
            return error;
        }
        return QString();
    }
    if (expected.fromDeviceGrant)
        return QString(); // RFC 8628: no authorization request, so no nonce was sent
    const QJsonValue nonce = claims.value(QStringLiteral("nonce"));
    if (!nonce.isString()) {
        return idTokenError(issuer, QStringLiteral("it carries no nonce"),
                            QStringLiteral("nonce_missing"));
    }
    if (nonce.toString() != expected.nonce) {
        return idTokenError(issuer,
                            QStringLiteral("it belongs to a different sign-in attempt (nonce "
                                           "mismatch)"),
                            QStringLiteral("nonce_mismatch"));
    }
    return nonce.toString();
}

Result<QString> checkIssuer(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    const QString &issuer = expected.issuer;
    if (!expected.microsoftTenant.isEmpty()) {
        auto tenantIssuer = microsoft::checkTenantIssuer(expected.microsoftTenant, claims);
        // A refresh keeps the directory the person signed in with.
        if (tenantIssuer && expected.fromRefresh && tenantIssuer.value() != issuer)
            return idTokenError(issuer, QStringLiteral("it comes from another directory"),
                                QStringLiteral("iss_mismatch"));
        return tenantIssuer;
    }
    // rule: OIDC Core 3.1.3.7 rule 2 — `iss` exactly equals the issuer (no normalisation).
    const QJsonValue iss = claims.value(QStringLiteral("iss"));
    const bool googleQuirk = expected.googleIssuerQuirk && issuer == kGoogleIssuer &&
            iss.toString() == kGoogleSchemelessIssuer; // Google: schemeless `iss`, Google only
    if (!iss.isString() || (iss.toString() != issuer && !googleQuirk)) {
        return idTokenError(issuer,
                            QStringLiteral("it was issued by \"%1\", not by %2")
                                    .arg(sanitizedOAuthText(iss.toString()), issuer),
                            QStringLiteral("iss_mismatch"));
    }
    return issuer;
}

} // namespace

bool isValidSubject(const QString &subject)
{
    if (subject.isEmpty() || subject.size() > 255)
        return false;
    return std::all_of(subject.cbegin(), subject.cend(),
                       [](QChar c) { return c.unicode() >= 0x20 && c.unicode() <= 0x7e; });
}

Result<IdToken> checkIdTokenClaims(const QJsonObject &claims, const IdTokenExpectations &expected,
                                   const QDateTime &now)
{
    const QString &issuer = expected.issuer;
    IdToken token;

    auto checkedIssuer = checkIssuer(claims, expected);
    if (!checkedIssuer)
        return checkedIssuer.error();
    token.issuer = checkedIssuer.value();

    // rule: OIDC Core §2 — `sub` is REQUIRED, a non-empty string.
    const QJsonValue sub = claims.value(QStringLiteral("sub"));
    if (!sub.isString() || sub.toString().isEmpty()) {
        return idTokenError(issuer, QStringLiteral("it does not name the user (no \"sub\")"),
                            QStringLiteral("missing_sub"));
    }
    // rule: OIDC Core §2 — `sub` is at most 255 ASCII characters; we also refuse control and
    // format characters (a newline or U+202E would forge log lines and reorder what is shown).
    // The value is not echoed: it is what was wrong with it.
    if (!isValidSubject(sub.toString())) {
        return idTokenError(issuer,
                            QStringLiteral("its user id (\"sub\") is not 1 to 255 printable ASCII "
                                           "characters"),
                            QStringLiteral("invalid_sub"));
    }
    token.subject = sub.toString();

    // rule: OIDC Core 3.1.3.7 rule 3 — `aud` contains the client id (untrusted ones: below).
    const QJsonValue aud = claims.value(QStringLiteral("aud"));
    if (aud.isString()) {
        token.audience.append(aud.toString());
    } else if (aud.isArray()) {
        for (const QJsonValue &entry : aud.toArray()) {
            if (!entry.isString()) {
                return idTokenError(issuer, QStringLiteral("its audience list is malformed"),
                                    QStringLiteral("aud_mismatch"));
            }
            token.audience.append(entry.toString());
        }
    }
    if (!token.audience.contains(expected.clientId)) {
        return idTokenError(
                issuer,
                QStringLiteral("it was issued for another application (audience "
                               "\"%1\", expected \"%2\")")
                        .arg(sanitizedOAuthText(token.audience.join(u", ")), expected.clientId),
                QStringLiteral("aud_mismatch"));
    }
    // rule: OIDC Core 3.1.3.7 rules 4–5 — `azp` equals the client id when present, and is
    // required when `aud` has several entries.
    const QJsonValue azp = claims.value(QStringLiteral("azp"));
    if (!azp.isUndefined() && (!azp.isString() || azp.toString() != expected.clientId)) {
        return idTokenError(issuer,
                            QStringLiteral("its authorized party \"%1\" is not this application")
                                    .arg(sanitizedOAuthText(azp.toString())),
                            QStringLiteral("azp_mismatch"));
    }
    if (token.audience.size() > 1 && azp.isUndefined()) {
        return idTokenError(issuer,
                            QStringLiteral("it has several audiences but no authorized party"),
                            QStringLiteral("azp_missing"));
    }
    // rule: OIDC Core 3.1.3.7 rule 3 — no audience that this application does not trust.
    for (const QString &audience : std::as_const(token.audience)) {
        if (audience != expected.clientId) {
            return idTokenError(issuer,
                                QStringLiteral("it is also meant for an untrusted audience "
                                               "\"%1\"")
                                        .arg(sanitizedOAuthText(audience)),
                                QStringLiteral("aud_untrusted"));
        }
    }

    token.authorizedParty = azp.toString();

    const qint64 leeway =
            std::clamp<qint64>(expected.leewaySecs, 0, IdTokenValidator::kMaxLeewaySecs);
    auto exp = numericDate(claims, QStringLiteral("exp"), issuer);
    auto iat = numericDate(claims, QStringLiteral("iat"), issuer);
    auto nbf = numericDate(claims, QStringLiteral("nbf"), issuer);
    auto authTime = numericDate(claims, QStringLiteral("auth_time"), issuer);
    for (const auto *date : {&exp, &iat, &nbf, &authTime}) {
        if (!*date)
            return date->error();
    }
    // rule: OIDC Core 3.1.3.7 rule 9, RFC 7519 §4.1.4 — now must be before `exp` (+ leeway).
    if (!exp->isValid()) {
        return idTokenError(issuer, QStringLiteral("it has no expiry (\"exp\")"),
                            QStringLiteral("missing_exp"));
    }
    if (now >= exp->addSecs(leeway)) {
        return clockError(issuer,
                          QStringLiteral("it expired at %1 (it is now %2)")
                                  .arg(formatTime(*exp), formatTime(now)),
                          QStringLiteral("expired"));
    }
    // rule: OIDC Core 3.1.3.7 rule 10 — `iat` is required and not in the future (+ leeway).
    if (!iat->isValid()) {
        return idTokenError(issuer, QStringLiteral("it has no issue time (\"iat\")"),
                            QStringLiteral("missing_iat"));
    }
    if (*iat > now.addSecs(leeway)) {
        return clockError(issuer,
                          QStringLiteral("it claims to be issued in the future, at %1 (it is now "
                                         "%2)")
                                  .arg(formatTime(*iat), formatTime(now)),
                          QStringLiteral("iat_future"));
    }
    // rule: RFC 7519 §4.1.5 — not accepted before `nbf` (+ leeway).
    if (nbf->isValid() && *nbf > now.addSecs(leeway)) {
        return clockError(issuer,
                          QStringLiteral("it is not valid before %1 (it is now %2)")
                                  .arg(formatTime(*nbf), formatTime(now)),
                          QStringLiteral("nbf_future"));
    }
    token.expiresAt = *exp;
    token.issuedAt = *iat;
    token.notBefore = *nbf;
    token.authTime = *authTime;

    // rule: OIDC Core §12.2 — a refreshed ID token names the same user and has no nonce of its
    // own to check (the issuer, audience and authorized party rules above are unchanged).
    // rule: OIDC Core 3.1.3.7 rule 11 — otherwise `nonce` present and equal to the flow's nonce.
    auto nonce = checkBinding(claims, expected, token.subject);
    if (!nonce)
        return nonce.error();
    token.nonce = nonce.value();

    for (auto [target, name] :
         {std::pair{&token.email, u"email"}, std::pair{&token.name, u"name"},
          std::pair{&token.picture, u"picture"}, std::pair{&token.hostedDomain, u"hd"}}) {
        auto value = optionalString(claims, QString::fromUtf16(name), issuer);
        if (!value)
            return value.error();
        *target = value.value();
    }
    // Google has sent `email_verified` as the string "true"; anything else is false.
    const QJsonValue verified = claims.value(QStringLiteral("email_verified"));
    token.emailVerified = verified.isBool() ? verified.toBool() : verified.toString() == u"true";
    token.claims = claims;
    return token;
}

} // namespace latchkey::oidc
