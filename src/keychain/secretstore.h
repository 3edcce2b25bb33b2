#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace latchkey {

/// Where secrets live: the OS keychain in the app, memory in unit tests (and for the rest of a run
/// when the keychain is unavailable, so the app keeps working without persisting).
///
/// Every call is asynchronous: the callback runs exactly once, later, from the event loop (never
/// inside the call), and not at all if `context` has been destroyed by then.
/// Keys are short names per account and purpose (see keychain/secretkeys.h); one small entry per
/// secret.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadCallback = std::function<void(Result<QByteArray>)>;
    using DoneCallback = std::function<void(Status)>;

    using QObject::QObject;

    /// Reads the secret stored under `key`. An absent entry is an Error of kind NotFound.
    virtual void read(const QString &key, QObject *context, ReadCallback callback) = 0;

    /// Stores `secret` under `key`, replacing any earlier value.
    virtual void write(const QString &key, const QByteArray &secret, QObject *context,
                       DoneCallback callback) = 0;

    /// Removes the entry under `key`. Removing an absent entry succeeds.
    virtual void remove(const QString &key, QObject *context, DoneCallback callback) = 0;

    /// True when secrets written here survive the process (the OS keychain); false for memory.
    virtual bool persistent() const = 0;
    /// Whether the store is locked: a keyring that hides its entries until it is unlocked (a
    /// locked GNOME Keyring answers "not found" to every read). Stores that cannot be locked
    /// answer false.
    virtual void isLocked(QObject *context, std::function<void(bool)> callback);
    /// Asks the store to unlock (the keyring shows its own password prompt). Success once it is
    /// unlocked; Cancelled when the person dismissed the prompt. Stores that cannot be locked
    /// succeed.
    virtual void unlock(QObject *context, DoneCallback callback);
};

} // namespace latchkey
