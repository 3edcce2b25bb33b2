#include "microsoftissuer.h"

#include "idtokenclaims.h"
#include "tokenerror.h"

#include <latchkey/options.h>

namespace latchkey::oidc::microsoft {

namespace {

const QString kTemplate = QStringLiteral("https://login.microsoftonline.com/%1/v2.0");

bool isDirectoryId(const QString &text)
{
    return text.size() == 36 && presets::isMicrosoftTenant(text); // a GUID, no alias
}

bool admits(const QString &tenant, const QString &tid)
{
    const QString consumers = QString::fromUtf16(kConsumersTenantId);
    if (tenant == u"common")
        return true;
    if (tenant == u"organizations")
        return tid != consumers;
    if (tenant == u"consumers")
        return tid == consumers;
    return tid == tenant;
}

} // namespace

QString tenantIssuer(const QString &tenantId) { return kTemplate.arg(tenantId); }

QString documentIssuer(const QString &tenant)
{
    if (tenant == u"common" || tenant == u"organizations")
        return kTemplate.arg(QStringLiteral("{tenantid}"));
    if (tenant == u"consumers")
        return tenantIssuer(QString::fromUtf16(kConsumersTenantId));
    return tenantIssuer(tenant);
}

Result<QString> checkTenantIssuer(const QString &tenant, const QJsonObject &claims)
{
    const QString shown = kTemplate.arg(tenant);
    // rule: Entra ID multi-tenant validation — the tenant comes from `tid`, never from `iss`.
    const QJsonValue tid = claims.value(QStringLiteral("tid"));
    if (!tid.isString() || !isDirectoryId(tid.toString()))
        return idTokenError(shown,
                            QStringLiteral("it does not name its directory (no valid \"tid\")"),
                            QStringLiteral("tid_missing"));
    if (!admits(tenant, tid.toString()))
        return idTokenError(shown,
                            QStringLiteral("its account's directory is not one this app admits"),
                            QStringLiteral("tid_not_allowed"));
    const QString issuer = tenantIssuer(tid.toString());
    const QJsonValue iss = claims.value(QStringLiteral("iss"));
    if (!iss.isString() || iss.toString() != issuer)
        return idTokenError(shown,
                            QStringLiteral("it was issued by \"%1\", not by its directory %2")
                                    .arg(sanitizedOAuthText(iss.toString()), issuer),
                            QStringLiteral("iss_mismatch"));
    return issuer;
}

} // namespace latchkey::oidc::microsoft
