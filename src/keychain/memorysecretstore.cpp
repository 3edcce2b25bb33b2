#include "memorysecretstore.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

// Runs `call` from the event loop. A queued call to a destroyed context is dropped by Qt, which
// gives the SecretStore guarantee "never inside the call, never after the context is gone".
template<typename Call>
void deliverLater(QObject *context, Call call)
{
    Q_ASSERT(context);
    QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
}

} // namespace

MemorySecretStore::MemorySecretStore(QObject *parent) : SecretStore(parent) { }

void MemorySecretStore::read(const QString &key, QObject *context, ReadCallback callback)
{
    const auto it = m_secrets.constFind(key);
    Result<QByteArray> result = it == m_secrets.cend()
            ? Result<QByteArray>(Error::make(ErrorKind::NotFound, ErrorCode::NotFound,
                                             u"Nothing is stored under this name in memory."_s))
            : Result<QByteArray>(it.value());
    deliverLater(context, [callback = std::move(callback), result = std::move(result)] {
        callback(result);
    });
}

void MemorySecretStore::write(const QString &key, const QByteArray &secret, QObject *context,
                              DoneCallback callback)
{
    m_secrets.insert(key, secret);
    deliverLater(context, [callback = std::move(callback)] { callback(Status()); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, DoneCallback callback)
{
    m_secrets.remove(key); // SecretStore contract: removing an absent entry succeeds.
    deliverLater(context, [callback = std::move(callback)] { callback(Status()); });
}

} // namespace latchkey
