#include "qtkeychainstore.h"

#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
#include "keychain/secretservice.h"
#endif

#include "core/logging.h"
#include "keychain/secretprefetch.h"

#include <qt6keychain/keychain.h>

#include <QPointer>
#include <QTimer>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

QLatin1StringView operationName(KeychainOperation operation)
{
    switch (operation) {
    case KeychainOperation::Read:
        return "read"_L1;
    case KeychainOperation::Write:
        return "write"_L1;
    case KeychainOperation::Remove:
        return "remove"_L1;
    }
    return "call"_L1;
}

} // namespace

QtKeychainStore::QtKeychainStore(QObject *parent)
    : SecretStore(parent), m_service(QString::fromLatin1(kDefaultService)),
      m_timeout(kDefaultTimeout)
{ }

void QtKeychainStore::setService(const QString &service)
{
    Q_ASSERT(!service.isEmpty());
    m_service = service;
}

void QtKeychainStore::setTimeout(std::chrono::milliseconds timeout)
{
    Q_ASSERT(timeout.count() > 0);
    m_timeout = timeout;
}

void QtKeychainStore::prefetch(const QString &key)
{
    m_prefetch = SecretPrefetch::start(m_service, key);
}

void QtKeychainStore::read(const QString &key, QObject *context, ReadCallback callback)
{
    if (m_prefetch && m_prefetch->key() == key) {
        // A found secret is the answer; anything else asks the keychain below, which says why.
        QPointer<QObject> guard(context);
        std::exchange(m_prefetch, nullptr)
                ->take(this, m_timeout,
                       [this, key, guard, callback](std::optional<QByteArray> secret) {
                           if (!guard)
                               return;
                           if (secret)
                               callback(std::move(*secret));
                           else
                               read(key, guard, callback);
                       });
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, KeychainOperation::Read, context,
        [callback = std::move(callback)](QKeychain::Job *finished, Status status) {
            if (!status.ok()) {
                callback(status.error());
                return;
            }
            callback(static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData());
        });
}

void QtKeychainStore::write(const QString &key, const QByteArray &secret, QObject *context,
                            DoneCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setBinaryData(secret);
    run(job, KeychainOperation::Write, context,
        [callback = std::move(callback)](QKeychain::Job *, Status status) {
            callback(std::move(status));
        });
}

void QtKeychainStore::remove(const QString &key, QObject *context, DoneCallback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, KeychainOperation::Remove, context,
        [callback = std::move(callback)](QKeychain::Job *, Status status) {
            // SecretStore contract: removing an absent entry succeeds (libsecret already reports
            // success; other backends answer EntryNotFound).
            if (!status.ok() && status.error().kind == ErrorKind::NotFound) {
                callback(Status());
                return;
            }
            callback(std::move(status));
        });
}

void QtKeychainStore::run(QKeychain::Job *job, KeychainOperation operation, QObject *context,
                          JobDone done)
{
    Q_ASSERT(context);
    // The job is never ours to delete: the libsecret backend keeps a raw pointer to it until its
    // D-Bus call returns, so deleting it early would be a use-after-free. It deletes itself after
    // finished() (autoDelete); a job that never answers is leaked, which is the lesser evil.
    // Insecure fallback stays off (docs/security.md): setInsecureFallback() is never called.
    job->setAutoDelete(true);

    // The timer is the context of both connections, so nothing runs once the caller's context
    // (its parent) is gone; `settled` lets only the first of timeout and job result through, so a
    // late job result is ignored.
    auto *timer = new QTimer(context);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
    auto settled = std::make_shared<bool>(false);
    const int timeoutMs = static_cast<int>(m_timeout.count());
    const QLatin1StringView name = operationName(operation);

    connect(timer, &QTimer::timeout, timer, [timer, settled, operation, timeoutMs, name, done] {
        if (std::exchange(*settled, true))
            return;
        timer->deleteLater();
        qCWarning(lcKeychain) << "keychain" << name << "timed out after" << timeoutMs << "ms";
        done(nullptr, keychainTimeoutError(operation, timeoutMs));
    });
    connect(job, &QKeychain::Job::finished, timer,
            [timer, settled, operation, name, done](QKeychain::Job *finished) {
                if (std::exchange(*settled, true))
                    return;
                timer->stop();
                timer->deleteLater();
                Status status =
                        keychainStatus(finished->error(), finished->errorString(), operation);
                if (!status.ok() && status.error().kind != ErrorKind::NotFound) {
                    qCWarning(lcKeychain) << "keychain" << name << "failed: QtKeychain error"
                                          << status.error().reason << finished->errorString();
                }
                done(finished, std::move(status));
            });

    timer->start(m_timeout);
    job->start(); // Queued by QtKeychain: finished() never comes from inside this call.
}

#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
void QtKeychainStore::isLocked(QObject *context, std::function<void(bool)> callback)
{
    secretservice::isDefaultCollectionLocked(context, std::move(callback));
}

void QtKeychainStore::unlock(QObject *context, DoneCallback callback)
{
    secretservice::unlockDefaultCollection(context, std::move(callback));
}
#endif

} // namespace latchkey
