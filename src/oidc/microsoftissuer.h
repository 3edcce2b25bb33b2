#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QString>

namespace latchkey::oidc::microsoft {

/// Microsoft Entra ID's tenants (docs/security.md, "Microsoft tenants"). The multi-tenant
/// endpoints ("common", "organizations") publish one issuer template for every tenant:
/// https://login.microsoftonline.com/{tenantid}/v2.0. An ID token's `iss` is that template filled
/// with the token's own `tid`, so "any issuer of this shape" would accept tokens of every tenant
/// that exists; the issuer is instead rebuilt from `tid` and compared exactly.

/// The directory of personal Microsoft accounts ("consumers").
inline constexpr char16_t kConsumersTenantId[] = u"9188040d-6c67-4c5b-b112-36a304b66dad";

/// The issuer of tokens from directory `tenantId` (a GUID).
QString tenantIssuer(const QString &tenantId);

/// The `issuer` the discovery document of `tenant` names: the {tenantid} template for "common"
/// and "organizations", the consumer directory's issuer for "consumers", and the directory's
/// own issuer for a directory ID.
QString documentIssuer(const QString &tenant);

/// Checks the `iss` and `tid` claims of an ID token from a sign-in to `tenant`: `tid` is a GUID
/// that the tenant admits (a directory ID admits only itself, "consumers" only the consumer
/// directory, "organizations" every directory but that one, "common" any) and `iss` is exactly
/// tenantIssuer(tid). Returns that issuer, or an IdTokenInvalid error naming the rule
/// ("tid_missing", "tid_not_allowed", "iss_mismatch").
Result<QString> checkTenantIssuer(const QString &tenant, const QJsonObject &claims);

} // namespace latchkey::oidc::microsoft
