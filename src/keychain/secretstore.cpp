#include "secretstore.h"

#include <QTimer>

namespace latchkey {

void SecretStore::isLocked(QObject *context, std::function<void(bool)> callback)
{
    QTimer::singleShot(0, context, [callback = std::move(callback)]() { callback(false); });
}

void SecretStore::unlock(QObject *context, DoneCallback callback)
{
    QTimer::singleShot(0, context, [callback = std::move(callback)]() { callback(Status()); });
}

} // namespace latchkey
