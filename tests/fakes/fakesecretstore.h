#pragma once

#include "keychain/secretstore.h"

#include <QHash>
#include <QList>
#include <QMetaObject>
#include <QPointer>

#include <functional>
#include <optional>
#include <utility>

namespace latchkey::test {

/// A SecretStore for unit tests: memory-backed and asynchronous like the real stores, with
/// programmable failures and call counters.
///
/// failNextRead()/failNextWrite()/failNextRemove() make the next call of that kind fail with the
/// given Error (and leave the stored data untouched); failAll() makes every call fail until
/// cleared (a keychain that is locked or unavailable for the whole run). holdWrites() keeps write
/// answers back until releaseWrites().
///
/// No Q_OBJECT: it adds no signals or slots, and a header-only fake is not seen by AutoMoc.
class FakeSecretStore final : public SecretStore
{
public:
    /// An empty, persistent() store with no failures armed.
    explicit FakeSecretStore(QObject *parent = nullptr) : SecretStore(parent) { }

    /// Reads `key`: the armed failure if any, else the value, else NotFound.
    void read(const QString &key, QObject *context, ReadCallback callback) override
    {
        ++m_reads;
        Result<QByteArray> result =
                Error::make(ErrorKind::NotFound, QStringLiteral("No such key."));
        if (auto failure = takeFailure(m_nextReadFailure))
            result = std::move(*failure);
        else if (m_secrets.contains(key) && !m_locked) // a locked keyring hides its entries
            result = m_secrets.value(key);
        later(context,
              [callback = std::move(callback), result = std::move(result)] { callback(result); });
    }

    /// Stores `secret` under `key` unless a failure is armed.
    void write(const QString &key, const QByteArray &secret, QObject *context,
               DoneCallback callback) override
    {
        ++m_writes;
        m_writtenKeys.append(key);
        Status status;
        if (auto failure = takeFailure(m_nextWriteFailure))
            status = std::move(*failure);
        else
            m_secrets.insert(key, secret);
        auto answer = [callback = std::move(callback), status = std::move(status)] {
            callback(status);
        };
        if (m_holdWrites) {
            m_heldWrites.append({QPointer<QObject>(context), std::move(answer)});
            return;
        }
        later(context, std::move(answer));
    }

    /// Removes `key` (absent is fine) unless a failure is armed.
    void remove(const QString &key, QObject *context, DoneCallback callback) override
    {
        ++m_removes;
        Status status;
        if (auto failure = takeFailure(m_nextRemoveFailure))
            status = std::move(*failure);
        else
            m_secrets.remove(key);
        later(context,
              [callback = std::move(callback), status = std::move(status)] { callback(status); });
    }

    /// Like a GNOME Keyring: while locked, reads answer NotFound (the entries stay).
    void setLocked(bool locked) { m_locked = locked; }
    /// What unlock() does: unlocks (success), or leaves it locked and answers `error`.
    void setUnlockAnswer(std::optional<Error> error) { m_unlockError = std::move(error); }
    /// Number of unlock() calls so far.
    int unlockCount() const { return m_unlocks; }

    void isLocked(QObject *context, std::function<void(bool)> callback) override
    {
        later(context, [callback = std::move(callback), locked = m_locked] { callback(locked); });
    }

    void unlock(QObject *context, DoneCallback callback) override
    {
        ++m_unlocks;
        Status status;
        if (m_unlockError)
            status = *m_unlockError;
        else
            m_locked = false;
        later(context,
              [callback = std::move(callback), status = std::move(status)] { callback(status); });
    }

    /// What setPersistent() said; true by default (it stands in for the OS keychain).
    bool persistent() const override { return m_persistent; }
    /// Sets what persistent() answers.
    void setPersistent(bool persistent) { m_persistent = persistent; }

    /// The next read() fails with `error`.
    void failNextRead(Error error) { m_nextReadFailure = std::move(error); }
    /// The next write() fails with `error` and stores nothing.
    void failNextWrite(Error error) { m_nextWriteFailure = std::move(error); }
    /// The next remove() fails with `error` and removes nothing.
    void failNextRemove(Error error) { m_nextRemoveFailure = std::move(error); }
    /// Every call fails with `error` until clearFailures(); takes precedence over failNext*().
    void failAll(Error error) { m_allFailure = std::move(error); }
    /// Disarms every failure.
    void clearFailures()
    {
        m_nextReadFailure.reset();
        m_nextWriteFailure.reset();
        m_nextRemoveFailure.reset();
        m_allFailure.reset();
    }

    /// From now on write() stores at once but answers only at releaseWrites() (a keychain that is
    /// slow to answer, e.g. while it shows a prompt).
    void holdWrites() { m_holdWrites = true; }
    /// Answers the held writes (later, from the event loop) and stops holding.
    void releaseWrites()
    {
        m_holdWrites = false;
        for (auto &[context, answer] : std::exchange(m_heldWrites, {})) {
            if (context)
                later(context.data(), std::move(answer));
        }
    }

    /// Number of read() calls so far.
    int readCount() const { return m_reads; }
    /// Number of write() calls so far.
    int writeCount() const { return m_writes; }
    /// The key of every write() call so far (failed ones too), oldest first.
    const QStringList &writtenKeys() const { return m_writtenKeys; }
    /// Number of remove() calls so far.
    int removeCount() const { return m_removes; }

    /// True when `key` holds a value (inspect without counting a read).
    bool contains(const QString &key) const { return m_secrets.contains(key); }
    /// The value under `key`, or an empty array (inspect without counting a read).
    QByteArray value(const QString &key) const { return m_secrets.value(key); }
    /// Stores a value directly (seed without counting a write).
    void seed(const QString &key, const QByteArray &secret) { m_secrets.insert(key, secret); }
    /// Removes an entry directly, as if it was deleted outside the app.
    void erase(const QString &key) { m_secrets.remove(key); }
    /// Number of stored entries.
    qsizetype size() const { return m_secrets.size(); }
    /// The keys of the stored entries.
    QStringList keys() const { return m_secrets.keys(); }

private:
    std::optional<Error> takeFailure(std::optional<Error> &next)
    {
        if (m_allFailure)
            return m_allFailure;
        return std::exchange(next, std::nullopt);
    }

    // Like the real stores: never inside the call, never after `context` is destroyed.
    template<typename Call>
    static void later(QObject *context, Call call)
    {
        QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
    }

    QHash<QString, QByteArray> m_secrets;
    std::optional<Error> m_nextReadFailure;
    std::optional<Error> m_nextWriteFailure;
    std::optional<Error> m_nextRemoveFailure;
    std::optional<Error> m_allFailure;
    int m_reads = 0;
    int m_writes = 0;
    QStringList m_writtenKeys;
    int m_removes = 0;
    bool m_persistent = true;
    bool m_locked = false;
    std::optional<Error> m_unlockError;
    int m_unlocks = 0;
    bool m_holdWrites = false;
    QList<QPair<QPointer<QObject>, std::function<void()>>> m_heldWrites;
};

} // namespace latchkey::test
