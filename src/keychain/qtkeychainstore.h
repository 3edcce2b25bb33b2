#pragma once

#include "keychain/keychainerror.h"
#include "keychain/secretstore.h"

#include <memory>

#include <QString>

#include <chrono>

namespace QKeychain {
class Job;
}

namespace latchkey {

class SecretPrefetch;

/// The OS keychain through QtKeychain: libsecret / Secret Service (GNOME Keyring, KWallet) on
/// Linux, Keychain on macOS, Credential Manager on Windows.
///
///   read/write/remove ──► one QKeychain job ──► finished ──► keychainStatus() ──► callback
///                     └─► QTimer (3 s) ────────► timeout ──► Timeout error ──► callback
///                                                (a job that answers later is ignored)
///
/// Secrets are stored as binary data under (service, key). The insecure plaintext fallback is
/// never enabled (docs/security.md, keychain). Every call has its own timeout
/// (docs/architecture.md: 3 s), so a keychain stuck behind a password prompt nobody sees cannot
/// hang the caller. QtKeychain runs its jobs one at a time, so calls made behind a stuck job time
/// out as well.
///
/// On Linux (QtKeychain 0.13, libsecret) an entry has the attributes `server` = service, `user` =
/// key, `type` = `base64` (the value base64-encoded); a `type` = `plaintext` entry, e.g. seeded
/// with `secret-tool store`, is read back as its raw bytes.
class QtKeychainStore final : public SecretStore
{
    Q_OBJECT

public:
    /// The service name entries are stored under unless setService() says otherwise.
    static constexpr auto kDefaultService = "latchkey";
    /// How long each call may take before it fails with a Timeout error (docs/architecture.md).
    static constexpr std::chrono::milliseconds kDefaultTimeout{3000};

    /// A store for service kDefaultService with timeout kDefaultTimeout.
    explicit QtKeychainStore(QObject *parent = nullptr);

    /// The service (namespace) under which keys are stored; on Linux the `server` attribute.
    QString service() const { return m_service; }
    /// Sets the service for calls made from now on. Precondition: not empty.
    void setService(const QString &service);

    /// The per-call timeout.
    std::chrono::milliseconds timeout() const { return m_timeout; }
    /// Sets the per-call timeout for calls made from now on. Precondition: positive.
    void setTimeout(std::chrono::milliseconds timeout);

    /// Starts reading `key` now, on a thread of its own (SecretPrefetch), for the first read() of
    /// that key: start-up reads the session token while the database and the window are built.
    void prefetch(const QString &key);

    /// Reads `key`. An absent entry is NotFound; a locked, unavailable or silent keychain is a
    /// Keychain or Timeout error whose message tells the user what to do.
    void read(const QString &key, QObject *context, ReadCallback callback) override;

    /// Stores `secret` (any bytes) under `key`, replacing any earlier value.
    void write(const QString &key, const QByteArray &secret, QObject *context,
               DoneCallback callback) override;

    /// Deletes `key`. Deleting an absent entry succeeds.
    void remove(const QString &key, QObject *context, DoneCallback callback) override;

    /// Always true: entries survive the process.
    bool persistent() const override { return true; }
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    /// The Secret Service's default collection (keychain/secretservice.h).
    void isLocked(QObject *context, std::function<void(bool)> callback) override;
    void unlock(QObject *context, DoneCallback callback) override;
#endif

private:
    using JobDone = std::function<void(QKeychain::Job *job, Status status)>;
    void run(QKeychain::Job *job, KeychainOperation operation, QObject *context, JobDone done);

    QString m_service;
    std::chrono::milliseconds m_timeout;
    std::shared_ptr<SecretPrefetch> m_prefetch; // until the first read() of its key
};

} // namespace latchkey
