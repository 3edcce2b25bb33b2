#pragma once

#include "auth/clientadapters.h"
#include "core/clock.h"
#include "keychain/memorysecretstore.h"
#include "session/session.h"
#include <latchkey/client.h>
#include <latchkey/options.h>

#include <QPointer>

#include <memory>
#include <optional>

namespace latchkey {

class AuthService;
class AvatarCache;
class BrowserLauncher;
class Database;
class EmailSignInFlow;
class KeychainPolicy;
class Mailer;
class OidcDeviceSignInFlow;
class OidcSignInFlow;
class SecretStore;

/// The composition root: the only place that names concrete adapters. It owns them, the
/// AuthService over them, and the sign-in in progress.
class ClientPrivate
{
public:
    ClientPrivate(Client &client, Options clientOptions, std::unique_ptr<ClientAdapters> given)
        : q(client), options(std::move(clientOptions)), adapters(std::move(given))
    {
        prepareKeychain();
    }
    ~ClientPrivate();

    /// The keychain adapter, made first: its read of the session token starts before anything
    /// else (docs/architecture.md, "Start-up").
    void prepareKeychain();
    Status open();
    /// The user in `options`' restore hint (the one signed in last on this device), or 0.
    static qint64 restoreHintOf(const Options &options);
    /// Keeps the restore hint (the user whose session token start-up prefetches) in step with the
    /// session: the signed-in user, or none once nobody is.
    void rememberForRestart(SessionState session);
    void updateState();
    void track(EmailSignInFlow *flow);
    void track(OidcSignInFlow *flow, bool linking);
    void track(OidcDeviceSignInFlow *flow);
    void endFlows();
    void finishLater(const Error &error);
    void startProvider(const QString &providerId, bool link);
    void startDevice(const QString &providerId);
    /// A sign-in or link of any kind is running.
    bool flowRunning() const { return emailFlow || oidcFlow || deviceFlow; }

    Client &q;
    Options options;
    std::unique_ptr<ClientAdapters> adapters;
    SystemClock systemClock;
    const Clock *clock = &systemClock;
    std::unique_ptr<Database> db;
    std::unique_ptr<SecretStore> keychain;
    MemorySecretStore memory;
    std::unique_ptr<KeychainPolicy> secrets;
    std::unique_ptr<Mailer> mailer;
    std::unique_ptr<AuthService> auth;
    AvatarCache *avatars = nullptr; // a child of the client
    BrowserLauncher *browser = nullptr;
    QPointer<EmailSignInFlow> emailFlow;
    QPointer<OidcSignInFlow> oidcFlow;
    QPointer<OidcDeviceSignInFlow> deviceFlow;
    bool linking = false; // the provider flow links to the signed-in user
    bool restored = false;
    std::optional<Error> openProblem;
    Client::State state = Client::State::Loading;
    qint64 restoreHint = 0; // the user id in the restore hint file (0: none)
};

} // namespace latchkey
