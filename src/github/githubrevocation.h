#pragma once

#include "core/result.h"

#include <latchkey/options.h>

#include <functional>

class QNetworkAccessManager;
class QObject;

namespace latchkey::github {

/// Revokes an OAuth app token at sign-out: DELETE <api>/applications/{client_id}/token with
/// Basic auth (client id : client secret) and the JSON body {"access_token": "..."}
/// (https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token). GitHub has no
/// RFC 7009 endpoint and no discovery document.
///
/// `done` gets success for 204 (revoked) and 404 (GitHub no longer knows the token: nothing left
/// to revoke), a Network/Timeout error when GitHub could not be reached or had trouble (5xx:
/// worth trying later), and a Protocol error for any other answer (final). It runs once, later,
/// and not at all once `context` is gone. The token is never logged.
void revokeToken(QNetworkAccessManager &network, const ProviderOptions &provider,
                 const QString &accessToken, QObject *context,
                 std::function<void(const Status &)> done);

} // namespace latchkey::github
