#include "secretprefetch.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QMutex>
#include <QPointer>
#include <QTimer>

#include <thread>

#include <dlfcn.h>

namespace latchkey {

namespace {

// libsecret's types, as its header declares them (libsecret is loaded at run time, like
// QtKeychain does, so it is no build dependency).
struct SchemaAttribute
{
    const char *name;
    int type; // SECRET_SCHEMA_ATTRIBUTE_STRING = 0
};
struct Schema
{
    const char *name;
    int flags; // SECRET_SCHEMA_DONT_MATCH_NAME = 1 << 1
    SchemaAttribute attributes[32];
    int reserved;
    void *reserved1;
    void *reserved2;
    void *reserved3;
    void *reserved4;
    void *reserved5;
    void *reserved6;
    void *reserved7;
};
struct GError;

using LookupSync = char *(*)(const Schema *, void *cancellable, GError **, ...);
using PasswordFree = void (*)(char *);
using ErrorFree = void (*)(GError *);

// QtKeychain's schema: entries are matched by attributes only, whatever schema name wrote them.
const Schema kQtKeychainSchema = {"org.qt.keychain",
                                  1 << 1,
                                  {{"user", 0}, {"server", 0}, {"type", 0}, {nullptr, 0}},
                                  0,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr};

struct LibSecret
{
    LookupSync lookup = nullptr;
    PasswordFree freePassword = nullptr;
    ErrorFree freeError = nullptr;
};

// Loaded once; never unloaded (QtKeychain loads the same library later).
const LibSecret *libSecret()
{
    static const LibSecret *loaded = []() -> const LibSecret * {
        void *handle = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            return nullptr;
        static LibSecret library;
        library.lookup = reinterpret_cast<LookupSync>(dlsym(handle, "secret_password_lookup_sync"));
        library.freePassword = reinterpret_cast<PasswordFree>(dlsym(handle, "secret_password_free"));
        library.freeError = reinterpret_cast<ErrorFree>(dlsym(handle, "g_error_free"));
        if (!library.lookup || !library.freePassword || !library.freeError)
            return nullptr;
        return &library;
    }();
    return loaded;
}

/// One lookup as QtKeychain stores a binary entry ("base64"), then as a plaintext one.
std::optional<QByteArray> lookUp(const LibSecret &secret, const QByteArray &service,
                                 const QByteArray &key)
{
    for (const char *type : {"base64", "plaintext"}) {
        GError *error = nullptr;
        char *found = secret.lookup(&kQtKeychainSchema, nullptr, &error, "user", key.constData(),
                                    "server", service.constData(), "type", type, nullptr);
        if (error) {
            secret.freeError(error);
            return std::nullopt; // locked, refused, no service: the usual read says which
        }
        if (found) {
            QByteArray value(found);
            secret.freePassword(found);
            return qstrcmp(type, "base64") == 0 ? QByteArray::fromBase64(value) : value;
        }
    }
    return std::nullopt;
}

} // namespace

struct SecretPrefetch::State
{
    QMutex mutex;
    bool done = false;
    std::optional<QByteArray> secret;
    std::function<void(std::optional<QByteArray>)> onDone; // set by take() while the lookup runs
};

SecretPrefetch::SecretPrefetch(QString key)
    : m_key(std::move(key)), m_state(std::make_shared<State>())
{ }

std::shared_ptr<SecretPrefetch> SecretPrefetch::start(const QString &service, const QString &key)
{
#if !defined(Q_OS_LINUX)
    return nullptr; // QtKeychain uses libsecret on Linux only
#endif
    if (!QCoreApplication::instance())
        return nullptr;
    std::shared_ptr<SecretPrefetch> prefetch(new SecretPrefetch(key));
    // Detached: a Secret Service stuck behind a prompt must not hold up the program's exit; the
    // thread owns only its share of the state.
    std::thread([state = prefetch->m_state, service = service.toUtf8(), key = key.toUtf8()]() {
        const LibSecret *secret = libSecret();
        std::optional<QByteArray> found =
                secret ? lookUp(*secret, service, key) : std::optional<QByteArray>();
        const QMutexLocker lock(&state->mutex);
        state->secret = std::move(found);
        state->done = true;
        if (state->onDone && QCoreApplication::instance())
            QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [onDone = state->onDone, secret = state->secret]() { onDone(secret); },
                    Qt::QueuedConnection);
    }).detach();
    return prefetch;
}

void SecretPrefetch::take(QObject *context, std::chrono::milliseconds timeout,
                          std::function<void(std::optional<QByteArray>)> callback)
{
    // Whichever comes first, the answer or the timeout, calls back; the other finds it done.
    auto once = std::make_shared<std::function<void(std::optional<QByteArray>)>>(
            std::move(callback));
    QPointer<QObject> guard(context);
    auto deliver = [once, guard](std::optional<QByteArray> secret) {
        if (!*once || !guard)
            return;
        std::exchange(*once, nullptr)(std::move(secret));
    };
    const QMutexLocker lock(&m_state->mutex);
    if (m_state->done) {
        QTimer::singleShot(0, context, [deliver, secret = m_state->secret]() { deliver(secret); });
        return;
    }
    m_state->onDone = deliver; // queued to this thread by the lookup's thread
    QTimer::singleShot(timeout, context, [deliver]() {
        qCInfo(lcKeychain) << "the start-up keychain read did not answer in time";
        deliver(std::nullopt);
    });
}

} // namespace latchkey
