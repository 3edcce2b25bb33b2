#pragma once

#include "core/result.h"
#include "keychain/secretstore.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace latchkey {

/// Where this run keeps secrets: the OS keychain, or — once the keychain has failed — memory until
/// the program quits. Never a file (the keychain is the only place a secret is persisted).
///
///     write ─► keychain ─┬─ ok ─────────────────────────────► ok
///                        └─ Keychain/Timeout error ─► memory ─► ok, persistent() false,
///                                                                problem() set, fellBack()
///     read  ─► keychain (memory after a fall-back); a Keychain/Timeout error is returned as is
///              (the caller tells the user) and also switches to memory
///
/// Every user of secrets (the session, the install secret, provider tokens) goes through one
/// policy object, so they all agree on where the secrets of this run are.
class KeychainPolicy final : public SecretStore
{
    Q_OBJECT

public:
    /// `keychain` and `memory` must outlive the policy.
    KeychainPolicy(SecretStore &keychain, SecretStore &memory, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QByteArray &secret, QObject *context,
               DoneCallback callback) override;
    void remove(const QString &key, QObject *context, DoneCallback callback) override;
    /// False once the keychain has failed: secrets written from then on die with the process.
    bool persistent() const override { return !m_fellBack; }
    /// Asks the keychain; a locked keyring becomes the problem (KeychainLockedAtStart).
    void isLocked(QObject *context, std::function<void(bool)> callback) override;
    /// Asks the keychain to unlock; success clears the KeychainLockedAtStart problem.
    void unlock(QObject *context, DoneCallback callback) override;
    /// After a fall-back: asks the keychain again. When it answers now, every secret this run
    /// kept in memory is written to it, keeping secrets there from then on: persistent() is true
    /// again, problem() clears and problemChanged() follows. Otherwise `callback` gets the
    /// keychain's error and the run stays in memory. Without a fall-back, succeeds at once.
    void retry(QObject *context, DoneCallback callback);

    /// The keychain failure that made this run fall back to memory, or the locked keyring found
    /// by isLocked(), if any.
    const std::optional<Error> &problem() const { return m_problem; }

    /// Calls `callback` (later, from the event loop, not once `context` is gone) when no keychain
    /// read, write or removal started through this policy is still running: a program waits for
    /// this before it exits, so a removal is never cut off.
    void whenIdle(QObject *context, std::function<void()> callback);

signals:
    /// The keychain failed with `error`; secrets are kept in memory from now on.
    void fellBack(const latchkey::Error &error);
    /// problem() changed without a fall-back (the keyring was found locked, or was unlocked).
    void problemChanged();

private:
    void fallBack(const Error &error);
    /// Copies the keys in `pending` from memory to the keychain, one after the other, then
    /// returns to the keychain (or stays in memory on the first failure).
    void moveToKeychain(QStringList pending, QPointer<QObject> context, DoneCallback callback);
    void begin();
    void end();

    SecretStore &m_keychain;
    SecretStore &m_memory;
    std::optional<Error> m_problem;
    bool m_fellBack = false;
    QSet<QString> m_inMemory; // keys written to memory since the fall-back
    QSet<QString> m_copied; // keys retry() has copied to the keychain so far
    int m_inFlight = 0; // keychain calls whose callback has not run yet
    QList<std::pair<QPointer<QObject>, std::function<void()>>> m_idleWaiters;
};

} // namespace latchkey
