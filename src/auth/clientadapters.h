#pragma once

// The seam where tests replace the real adapters of a latchkey::Client (fake clock, secret store,
// mailer). Not installed: applications use Client(Options).

#include "core/clock.h"
#include "keychain/secretstore.h"
#include "mail/mailer.h"

#include <chrono>
#include <memory>

namespace latchkey {

/// What a Client talks to. Any member left empty gets the real one (system clock, the OS
/// keychain under Options::keychainService, SMTP or the developer outbox).
struct ClientAdapters
{
    std::unique_ptr<Clock> clock;
    std::unique_ptr<SecretStore> keychain;
    std::unique_ptr<Mailer> mailer;
    /// How often a signed-in client looks at the clock for an expiry (0: once a minute).
    std::chrono::milliseconds expiryCheck{0};
};

} // namespace latchkey
