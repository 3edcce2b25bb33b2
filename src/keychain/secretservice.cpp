#include "secretservice.h"

#include "core/logging.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QPointer>
#include <QTimer>

namespace latchkey::secretservice {

namespace {

const QString kService = QStringLiteral("org.freedesktop.secrets");
const QString kServicePath = QStringLiteral("/org/freedesktop/secrets");
const QString kDefaultCollection = QStringLiteral("/org/freedesktop/secrets/aliases/default");
const QString kPromptInterface = QStringLiteral("org.freedesktop.Secret.Prompt");

Error keychainError(const QString &what)
{
    return Error::make(ErrorKind::Keychain, ErrorCode::KeychainFailed,
                       QStringLiteral("The keyring could not be unlocked: %1.").arg(what));
}

/// Sends `message` and hands the reply to `done` from the event loop, guarded by `context`.
void call(const QDBusMessage &message, QObject *context,
          std::function<void(const QDBusMessage &)> done)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        const QDBusMessage error = message.createErrorReply(QDBusError::Disconnected,
                                                            QStringLiteral("no D-Bus session bus"));
        QTimer::singleShot(0, context, [done, error]() { done(error); });
        return;
    }
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(message), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context,
                     [watcher, done](QDBusPendingCallWatcher *) {
                         watcher->deleteLater();
                         done(watcher->reply());
                     });
}

/// Waits for the Secret Service prompt at `path` to complete: the person typed the password or
/// dismissed the prompt. Deletes itself after reporting once.
class PromptWatcher : public QObject
{
    Q_OBJECT

public:
    PromptWatcher(const QString &path, std::function<void(Status)> done, QObject *parent)
        : QObject(parent), m_path(path), m_done(std::move(done))
    {
        QDBusConnection::sessionBus().connect(kService, m_path, kPromptInterface,
                                              QStringLiteral("Completed"), this,
                                              SLOT(completed(bool, QDBusVariant)));
    }
    ~PromptWatcher() override
    {
        QDBusConnection::sessionBus().disconnect(kService, m_path, kPromptInterface,
                                                 QStringLiteral("Completed"), this,
                                                 SLOT(completed(bool, QDBusVariant)));
    }

public Q_SLOTS:
    void completed(bool dismissed, const QDBusVariant &)
    {
        deleteLater();
        if (dismissed)
            m_done(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                               QStringLiteral("The keyring's unlock prompt was dismissed.")));
        else
            m_done(Status());
    }

private:
    QString m_path;
    std::function<void(Status)> m_done;
};

/// Asks the service to unlock `collection` and runs the prompt it returns, if any.
void unlockCollection(const QDBusObjectPath &collection, QObject *context,
                      std::function<void(Status)> callback)
{
    QDBusMessage unlock = QDBusMessage::createMethodCall(
            kService, kServicePath, QStringLiteral("org.freedesktop.Secret.Service"),
            QStringLiteral("Unlock"));
    unlock << QVariant::fromValue(QList<QDBusObjectPath>{collection});
    call(unlock, context, [context, callback](const QDBusMessage &reply) {
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().size() != 2) {
            callback(keychainError(reply.errorMessage()));
            return;
        }
        const QString prompt = reply.arguments().at(1).value<QDBusObjectPath>().path();
        if (prompt.isEmpty() || prompt == u"/") {
            callback(Status()); // unlocked without asking (e.g. already unlocked)
            return;
        }
        auto *watcher = new PromptWatcher(prompt, callback, context);
        QDBusMessage show = QDBusMessage::createMethodCall(kService, prompt, kPromptInterface,
                                                           QStringLiteral("Prompt"));
        show << QString(); // no parent window id: the service places its own dialog
        call(show, watcher, [watcher, callback](const QDBusMessage &shown) {
            if (shown.type() == QDBusMessage::ErrorMessage) {
                watcher->deleteLater();
                callback(keychainError(shown.errorMessage()));
            }
        });
    });
}

} // namespace

void isDefaultCollectionLocked(QObject *context, std::function<void(bool)> callback)
{
    QDBusMessage get = QDBusMessage::createMethodCall(kService, kDefaultCollection,
                                                      QStringLiteral("org.freedesktop.DBus."
                                                                     "Properties"),
                                                      QStringLiteral("Get"));
    get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    call(get, context, [callback](const QDBusMessage &reply) {
        const bool locked = reply.type() == QDBusMessage::ReplyMessage &&
                !reply.arguments().isEmpty() &&
                reply.arguments().first().value<QDBusVariant>().variant().toBool();
        if (reply.type() == QDBusMessage::ErrorMessage)
            qCDebug(lcKeychain) << "Secret Service lock state unknown:" << reply.errorName();
        callback(locked);
    });
}

void unlockDefaultCollection(QObject *context, std::function<void(Status)> callback)
{
    QDBusMessage alias = QDBusMessage::createMethodCall(
            kService, kServicePath, QStringLiteral("org.freedesktop.Secret.Service"),
            QStringLiteral("ReadAlias"));
    alias << QStringLiteral("default");
    call(alias, context, [context, callback](const QDBusMessage &reply) {
        const QDBusObjectPath collection =
                reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty()
                ? reply.arguments().first().value<QDBusObjectPath>()
                : QDBusObjectPath();
        if (collection.path().isEmpty() || collection.path() == u"/") {
            callback(keychainError(reply.type() == QDBusMessage::ErrorMessage
                                           ? reply.errorMessage()
                                           : QStringLiteral("there is no default keyring")));
            return;
        }
        unlockCollection(collection, context, callback);
    });
}

} // namespace latchkey::secretservice

#include "secretservice.moc"
