#include "callbackvalidation.h"

#include "core/digest.h"

#include "oidc/tokenerror.h"

#include "core/logging.h"
#include "pendingauthorization.h"

#include <QSet>

namespace latchkey::oidc {

namespace {

Error refused(const QString &code, const QString &message)
{
    qCInfo(lcOidc) << "callback refused:" << code;
    return Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved, message, code);
}

const QString *findValue(const CallbackQuery &query, QStringView name)
{
    for (const auto &item : query) {
        if (item.first == name)
            return &item.second;
    }
    return nullptr;
}

Error authorizationError(const QString &error, const QString *description)
{
    const QString code = sanitizedOAuthText(error);
    if (code == u"access_denied") {
        return Error::make(ErrorKind::OAuthAuthorization, ErrorCode::AccessDenied,
                           QStringLiteral("You cancelled sign-in at the provider. Sign in again "
                                          "if that was a mistake."),
                           code);
    }
    QString message = QStringLiteral("The provider refused the sign-in (%1).").arg(code);
    const QString detail = description ? sanitizedOAuthText(*description) : QString();
    if (!detail.isEmpty())
        message += QStringLiteral(" It said: \"%1\".").arg(detail);
    message += QStringLiteral(" Try again, or check the provider's settings for this app.");
    return Error::make(ErrorKind::OAuthAuthorization, ErrorCode::AuthorizationRefused, message,
                       code);
}

} // namespace

Result<QString> validateCallback(const QString &path, const CallbackQuery &query,
                                 const PendingAuthorization &flow, IssuerCheck issuer)
{
    // 1. Exact path (RFC 8252 §7.3, docs/security.md: one path per provider).
    if (flow.redirectPath.isEmpty() || path != flow.redirectPath) {
        return refused(QStringLiteral("wrong_path"),
                       QStringLiteral("The sign-in response arrived at an unexpected address and "
                                      "was ignored. Start the sign-in again."));
    }

    // 2. Single values (RFC 6749 §3.1: parameters MUST NOT be included more than once).
    QSet<QString> names;
    for (const auto &item : query) {
        if (names.contains(item.first)) {
            return refused(QStringLiteral("duplicate_parameter"),
                           QStringLiteral("The sign-in response repeated the parameter \"%1\" "
                                          "and was refused. Start the sign-in again.")
                                   .arg(sanitizedOAuthText(item.first)));
        }
        names.insert(item.first);
    }

    // 3. state binds the response to this flow (RFC 6749 §10.12, RFC 9700 §4.7.1).
    const QString *state = findValue(query, u"state");
    if (!state || flow.state.isEmpty() || !constantTimeEquals(*state, flow.state)) {
        return refused(QStringLiteral("state_mismatch"),
                       QStringLiteral("The sign-in response did not belong to the sign-in you "
                                      "started, so it was refused. Start the sign-in again."));
    }

    // 4. Issuer identification against mix-up attacks (RFC 9207 §2.4).
    const QString *iss = findValue(query, u"iss");
    if (iss && issuer != IssuerCheck::Unknown && *iss != flow.issuer) {
        return refused(QStringLiteral("iss_mismatch"),
                       QStringLiteral("The sign-in response came from a different provider than "
                                      "the one you chose, so it was refused. Start the sign-in "
                                      "again."));
    }
    if (!iss && issuer == IssuerCheck::Required) {
        // RFC 9207 §2.4: a provider that advertises support MUST send iss; reject if absent.
        return refused(QStringLiteral("iss_missing"),
                       QStringLiteral("The sign-in response did not say which provider sent it, "
                                      "so it was refused. Start the sign-in again."));
    }

    // 5. An error response (RFC 6749 §4.1.2.1), or the code (§4.1.2).
    if (const QString *error = findValue(query, u"error")) {
        qCInfo(lcOidc) << "authorization error from provider" << flow.providerId;
        return authorizationError(*error, findValue(query, u"error_description"));
    }
    const QString *code = findValue(query, u"code");
    if (!code || code->isEmpty()) {
        return refused(QStringLiteral("code_missing"),
                       QStringLiteral("The provider's response had no authorization code. Start "
                                      "the sign-in again."));
    }
    return *code;
}

} // namespace latchkey::oidc
