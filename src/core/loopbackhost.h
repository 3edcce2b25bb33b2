#pragma once

#include <QString>

namespace latchkey {

/// True when `host` is an IP literal of this computer (127.0.0.0/8, ::1).
bool isLoopbackAddress(const QString &host);

/// True for a loopback IP literal or the name `localhost` (RFC 6761 §6.3): traffic to it never
/// leaves this computer. Where a name could be resolved elsewhere by a hostile network, use
/// isLoopbackAddress() instead (OpenID issuers do).
bool isLoopbackHost(const QString &host);

} // namespace latchkey
