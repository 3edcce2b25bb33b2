#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace latchkey {

/// One keychain read started first thing at start-up, before the database and the window, so
/// the Secret Service answers while they are built (docs/architecture.md, "Start-up").
///
///   start() ─► a thread of its own ─► libsecret, synchronously (QtKeychain's entry: its schema,
///              │                       `server` = service, `user` = key, base64 or plaintext)
///   take()  ◄──┘ queued to the taker's thread: the secret, or nullopt
///
/// Only a found secret counts: anything else (no libsecret, no entry, a locked keyring, an error,
/// no answer within the timeout) is nullopt, and the caller asks the keychain the usual way, which
/// reports the problem as always. So the prefetch can only make a start faster, never change what
/// it finds. Linux only (elsewhere start() returns nullptr).
class SecretPrefetch
{
public:
    /// Starts reading `key` of QtKeychain's `service` on a thread of its own; nullptr where there
    /// is no libsecret. The read started by startEarly() for the same service and key is taken
    /// over instead of starting another.
    static std::shared_ptr<SecretPrefetch> start(const QString &service, const QString &key);
    /// start() before anything else of the program exists (no QCoreApplication needed), kept
    /// until a start() of the same service and key takes it over (and returned); a later call
    /// replaces it.
    static std::shared_ptr<SecretPrefetch> startEarly(const QString &service, const QString &key);

    const QString &key() const { return m_key; }

    /// Calls `callback` once, later, from `context`'s event loop (not at all once `context` is
    /// gone) with the secret, or nullopt when the prefetch found none or did not answer within
    /// `timeout` of its start.
    void take(QObject *context, std::chrono::milliseconds timeout,
              std::function<void(std::optional<QByteArray>)> callback);

    struct State;

private:
    SecretPrefetch(QString service, QString key);
    static std::shared_ptr<SecretPrefetch> launch(const QString &service, const QString &key);

    QString m_service;
    QString m_key;
    std::shared_ptr<State> m_state;
};

} // namespace latchkey
