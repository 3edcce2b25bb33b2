#include "keychainpolicy.h"

#include "core/logging.h"

#include <QPointer>
#include <QTimer>

#include <utility>

namespace latchkey {

namespace {

/// A failure of the keychain itself (locked, missing, refused, not answering), as opposed to an
/// absent entry.
bool keychainFailed(const Error &error)
{
    return error.kind == ErrorKind::Keychain || error.kind == ErrorKind::Timeout;
}

} // namespace

KeychainPolicy::KeychainPolicy(SecretStore &keychain, SecretStore &memory, QObject *parent)
    : SecretStore(parent), m_keychain(keychain), m_memory(memory)
{ }

void KeychainPolicy::fallBack(const Error &error)
{
    if (m_fellBack)
        return;
    qCWarning(lcKeychain) << "the keychain failed; secrets are kept in memory for this run:"
                          << error.message;
    m_fellBack = true;
    m_problem = error;
    emit fellBack(error);
}

void KeychainPolicy::read(const QString &key, QObject *context, ReadCallback callback)
{
    if (m_fellBack) {
        m_memory.read(key, context, std::move(callback));
        return;
    }
    QPointer<QObject> guard(context);
    begin();
    m_keychain.read(key, this, [this, guard, callback](Result<QByteArray> secret) {
        if (!secret && keychainFailed(secret.error()))
            fallBack(secret.error());
        if (guard)
            callback(std::move(secret));
        end();
    });
}

void KeychainPolicy::write(const QString &key, const QByteArray &secret, QObject *context,
                           DoneCallback callback)
{
    if (m_fellBack) {
        m_inMemory.insert(key);
        m_copied.remove(key); // a newer value to copy
        m_memory.write(key, secret, context, std::move(callback));
        return;
    }
    QPointer<QObject> guard(context);
    begin();
    m_keychain.write(key, secret, this, [this, key, secret, guard, callback](Status written) {
        if (written || !keychainFailed(written.error())) {
            if (guard)
                callback(written);
            end();
            return;
        }
        fallBack(written.error());
        m_inMemory.insert(key);
        m_copied.remove(key); // a newer value to copy
        m_memory.write(key, secret, this, [this, guard, callback](Status kept) {
            if (guard)
                callback(kept);
            end();
        });
    });
}

void KeychainPolicy::remove(const QString &key, QObject *context, DoneCallback callback)
{
    if (m_fellBack) {
        // Whatever this run kept in memory goes; an older keychain entry may still exist, so try
        // there too (the keychain may be back), but report the memory result.
        begin();
        m_keychain.remove(key, this, [this](Status) { end(); });
        m_inMemory.remove(key);
        m_memory.remove(key, context, std::move(callback));
        return;
    }
    QPointer<QObject> guard(context);
    begin();
    m_keychain.remove(key, this, [this, guard, callback](Status removed) {
        if (guard)
            callback(removed);
        end();
    });
}

void KeychainPolicy::isLocked(QObject *context, std::function<void(bool)> callback)
{
    QPointer<QObject> guard(context);
    m_keychain.isLocked(this, [this, guard, callback](bool locked) {
        // A locked keyring hides its entries: "not found" then means "cannot tell", not "none".
        if (locked && !m_fellBack) {
            m_problem = Error::make(ErrorKind::Keychain, ErrorCode::KeychainLockedAtStart,
                                    QStringLiteral("The keyring is locked, so the saved sign-in "
                                                   "cannot be read until it is unlocked."));
            emit problemChanged();
        }
        if (guard)
            callback(locked);
    });
}

void KeychainPolicy::unlock(QObject *context, DoneCallback callback)
{
    QPointer<QObject> guard(context);
    m_keychain.unlock(this, [this, guard, callback](Status unlocked) {
        if (unlocked && m_problem && m_problem->code == ErrorCode::KeychainLockedAtStart) {
            m_problem.reset();
            emit problemChanged();
        }
        if (guard)
            callback(unlocked);
    });
}

void KeychainPolicy::retry(QObject *context, DoneCallback callback)
{
    if (!m_fellBack) {
        QTimer::singleShot(0, context, [callback]() { callback(Status()); });
        return;
    }
    QStringList pending = m_inMemory.values();
    if (pending.isEmpty()) {
        // Nothing to carry over: a read tells whether the keychain answers now ("not found" is
        // an answer).
        QPointer<QObject> guard(context);
        begin();
        m_keychain.read(QStringLiteral("probe"), this,
                        [this, guard, callback](const Result<QByteArray> &probe) {
                            end();
                            if (!probe && keychainFailed(probe.error())) {
                                if (guard)
                                    callback(probe.error());
                                return;
                            }
                            moveToKeychain({}, guard, callback);
                        });
        return;
    }
    moveToKeychain(std::move(pending), context, std::move(callback));
}

void KeychainPolicy::moveToKeychain(QStringList pending, QPointer<QObject> context,
                                    DoneCallback callback)
{
    // Memory stays the place until every secret is in the keychain: a failure half-way loses
    // nothing.
    if (pending.isEmpty())
        pending = (m_inMemory - m_copied).values(); // written while the others were copied
    if (pending.isEmpty()) {
        qCInfo(lcKeychain) << "the keychain answers again; secrets are kept there from now on";
        for (const QString &key : std::exchange(m_inMemory, {}))
            m_memory.remove(key, this, [](Status) {});
        m_copied.clear();
        m_fellBack = false;
        m_problem.reset();
        emit problemChanged();
        if (context)
            callback(Status());
        return;
    }
    const QString key = pending.takeFirst();
    m_memory.read(key, this, [this, key, pending, context, callback](Result<QByteArray> secret) {
        if (!secret) { // removed meanwhile: nothing to copy
            m_copied.insert(key);
            moveToKeychain(pending, context, callback);
            return;
        }
        begin();
        m_keychain.write(key, secret.value(), this,
                         [this, key, pending, context, callback](Status written) {
                             end();
                             if (!written) {
                                 m_copied.clear();
                                 if (context)
                                     callback(written);
                                 return;
                             }
                             m_copied.insert(key);
                             moveToKeychain(pending, context, callback);
                         });
    });
}

void KeychainPolicy::whenIdle(QObject *context, std::function<void()> callback)
{
    if (m_inFlight == 0) {
        QTimer::singleShot(0, context, std::move(callback));
        return;
    }
    m_idleWaiters.append({QPointer<QObject>(context), std::move(callback)});
}

void KeychainPolicy::begin() { ++m_inFlight; }

void KeychainPolicy::end()
{
    if (--m_inFlight > 0)
        return;
    for (const auto &[context, callback] : std::exchange(m_idleWaiters, {})) {
        if (context)
            callback();
    }
}

} // namespace latchkey
