#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"

#include <memory>

namespace latchkey {

class AuthService;
class Database;
class Mailer;
class SecretStore;

namespace app {

/// The composition root: the only place that names concrete adapters (DESIGN.md §2). It opens
/// the database, picks the keychain and the mailer, and builds the AuthService for the window
/// and the command line.
class AppContext
{
public:
    /// Opens everything `config` names. A database that cannot be opened is an error (reported,
    /// never re-created).
    static Result<std::unique_ptr<AppContext>> create(Config config);
    ~AppContext();

    const Config &config() const { return m_config; }
    AuthService &auth() { return *m_auth; }
    Mailer &mailer() { return *m_mailer; }
    /// The developer outbox folder when mail is not sent over SMTP; empty otherwise.
    QString outboxDir() const;

private:
    explicit AppContext(Config config);

    Config m_config;
    SystemClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SecretStore> m_keychain;
    std::unique_ptr<SecretStore> m_memory;
    std::unique_ptr<Mailer> m_mailer;
    std::unique_ptr<AuthService> m_auth;
};

} // namespace app
} // namespace latchkey
