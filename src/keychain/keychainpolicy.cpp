#include "keychainpolicy.h"

#include "core/logging.h"

#include <QPointer>

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
    m_keychain.read(key, this, [this, guard, callback](Result<QByteArray> secret) {
        if (!secret && keychainFailed(secret.error()))
            fallBack(secret.error());
        if (guard)
            callback(std::move(secret));
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
    m_keychain.write(key, secret, this, [this, key, secret, guard, callback](Status written) {
        if (written || !keychainFailed(written.error())) {
            if (guard)
                callback(written);
            return;
        }
        fallBack(written.error());
        m_memory.write(key, secret, this, [guard, callback](Status kept) {
            if (guard)
                callback(kept);
        });
    });
}

void KeychainPolicy::remove(const QString &key, QObject *context, DoneCallback callback)
{
    if (m_fellBack) {
        // Whatever this run kept in memory goes; an older keychain entry may still exist, so try
        // there too (the keychain may be back), but report the memory result.
        m_keychain.remove(key, this, [](Status) {});
        m_memory.remove(key, context, std::move(callback));
        return;
    }
    m_keychain.remove(key, context, std::move(callback));
}

} // namespace latchkey
