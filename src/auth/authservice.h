#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "mail/mailmessage.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

namespace latchkey {

class AccountLinker;
class Database;
class EmailSignInFlow;
class Mailer;
class SecretStore;
class SessionManager;
class VerificationService;

/// The library's front door for the UI and the command line: providers, sign-in flows, the
/// session and the protected data, wired over the adapters the composition root chose.
class AuthService : public QObject
{
    Q_OBJECT

public:
    /// All references must outlive the service. `keychain` is the OS keychain; `memory` holds
    /// secrets for this run when the keychain fails.
    AuthService(const Config &config, Database &db, SecretStore &keychain, SecretStore &memory,
                Mailer &mailer, const Clock &clock, QObject *parent = nullptr);
    ~AuthService() override;

    /// Restores the session and loads the install secret; `done` runs once both are known.
    void initialize(QObject *context, std::function<void()> done);

    const Config &config() const { return m_config; }
    SessionManager &sessions() { return *m_sessions; }
    Mailer &mailer() { return m_mailer; }

    /// Checks `address` (canonicaliser) and, if it is usable, returns a new email sign-in flow,
    /// not yet started, owned by `parent`. A bad address is an InvalidInput error; nothing is
    /// sent.
    Result<EmailSignInFlow *> createEmailSignIn(const QString &address, QObject *parent);

    /// The desktop twin of `/api/data`: protected data through the session gate, or an
    /// Unauthorized ("not signed in", 403) error.
    Result<QJsonObject> protectedData();

    /// Signs out on this device: the session row, the keychain entry and the cached session go.
    void signOut(QObject *context, std::function<void(Status)> done);

    /// This user's sessions, one line each ("device — last seen …"), for Profile.
    QStringList deviceSessions();

    /// The desktop twin of `GET /api/auth/session`: `{}` when signed out.
    QJsonObject sessionJson() const;

private:
    void loadInstallSecret(std::function<void()> done);

    const Config &m_config;
    Database &m_db;
    SecretStore &m_keychain;
    SecretStore &m_memory;
    Mailer &m_mailer;
    const Clock &m_clock;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<AccountLinker> m_linker;
    std::unique_ptr<VerificationService> m_verification;
    MailAddress m_from;
};

} // namespace latchkey
