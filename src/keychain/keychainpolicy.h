#pragma once

#include "core/result.h"
#include "keychain/secretstore.h"

#include <optional>

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

    /// The keychain failure that made this run fall back to memory, if any.
    const std::optional<Error> &problem() const { return m_problem; }

signals:
    /// The keychain failed with `error`; secrets are kept in memory from now on.
    void fellBack(const latchkey::Error &error);

private:
    void fallBack(const Error &error);

    SecretStore &m_keychain;
    SecretStore &m_memory;
    std::optional<Error> m_problem;
    bool m_fellBack = false;
};

} // namespace latchkey
