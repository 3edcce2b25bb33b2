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
