#pragma once

#include "keychain/secretstore.h"

#include <QHash>

namespace latchkey {

/// A SecretStore in process memory: for unit tests, and for the rest of a run when the OS keychain
/// is unavailable (docs/security.md: the app keeps working without persisting, never a plaintext
/// file).
///
/// Each call takes effect when it is made (a read sees every earlier write); its callback runs
/// later from the event loop, in call order, and not at all if `context` is gone by then.
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT

public:
    /// An empty store.
    explicit MemorySecretStore(QObject *parent = nullptr);

    /// Reads `key`; an absent entry is an Error of kind NotFound.
    void read(const QString &key, QObject *context, ReadCallback callback) override;

    /// Stores `secret` under `key`, replacing any earlier value. Always succeeds.
    void write(const QString &key, const QByteArray &secret, QObject *context,
               DoneCallback callback) override;

    /// Removes `key`; removing an absent entry succeeds.
    void remove(const QString &key, QObject *context, DoneCallback callback) override;

    /// Always false: secrets here die with the process.
    bool persistent() const override { return false; }

private:
    QHash<QString, QByteArray> m_secrets;
};

} // namespace latchkey
