#include "secretprefetch.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QMutex>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <thread>
#include <utility>

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
struct GHashTable;

// The calls, by name, from libsecret and the GLib it loads.
struct LibSecret
{
    unsigned long (*serviceType)() = nullptr; // secret_service_get_type
    void *(*openService)(unsigned long type, const char *busName, int flags, void *cancellable,
                         GError **) = nullptr;
    void *(*lookUp)(void *service, const Schema *, GHashTable *attributes, void *cancellable,
                    GError **) = nullptr;
    const char *(*valueBytes)(void *value, std::size_t *length) = nullptr; // secret_value_get
    void (*unrefValue)(void *value) = nullptr;
    GHashTable *(*newTable)(unsigned (*hash)(const void *),
                            int (*equal)(const void *, const void *)) = nullptr;
    int (*insert)(GHashTable *, void *key, void *value) = nullptr;
    void (*unrefTable)(GHashTable *) = nullptr;
    unsigned (*stringHash)(const void *) = nullptr;
    int (*stringEqual)(const void *, const void *) = nullptr;
    void (*unrefObject)(void *) = nullptr;
    void (*freeError)(GError *) = nullptr;
};

constexpr int kOpenSession = 1 << 1; // SECRET_SERVICE_OPEN_SESSION

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

template<typename Function>
bool resolve(void *handle, const char *name, Function &function)
{
    function = reinterpret_cast<Function>(dlsym(handle, name));
    return function != nullptr;
}

// Loaded once; never unloaded (QtKeychain loads the same library later).
const LibSecret *libSecret()
{
    static const LibSecret *loaded = []() -> const LibSecret * {
        void *handle = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
        static LibSecret library;
        // dlsym on libsecret's handle also finds what its GLib exports.
        const bool complete = handle &&
                resolve(handle, "secret_service_get_type", library.serviceType) &&
                resolve(handle, "secret_service_open_sync", library.openService) &&
                resolve(handle, "secret_service_lookup_sync", library.lookUp) &&
                resolve(handle, "secret_value_get", library.valueBytes) &&
                resolve(handle, "secret_value_unref", library.unrefValue) &&
                resolve(handle, "g_hash_table_new", library.newTable) &&
                resolve(handle, "g_hash_table_insert", library.insert) &&
                resolve(handle, "g_hash_table_unref", library.unrefTable) &&
                resolve(handle, "g_str_hash", library.stringHash) &&
                resolve(handle, "g_str_equal", library.stringEqual) &&
                resolve(handle, "g_object_unref", library.unrefObject) &&
                resolve(handle, "g_error_free", library.freeError);
        return complete ? &library : nullptr;
    }();
    return loaded;
}

/// QtKeychain's entry for (service, key): binary ("base64"), else plaintext. Through a Secret
/// Service connection of this thread's own, never libsecret's shared one, which the program's
/// thread uses through QtKeychain.
std::optional<QByteArray> lookUp(const LibSecret &secret, QByteArray service, QByteArray key)
{
    GError *error = nullptr;
    void *connection =
            secret.openService(secret.serviceType(), nullptr, kOpenSession, nullptr, &error);
    if (!connection) {
        if (error)
            secret.freeError(error);
        return std::nullopt; // no Secret Service: the usual read says so
    }
    std::optional<QByteArray> found;
    for (const char *type : {"base64", "plaintext"}) {
        GHashTable *attributes = secret.newTable(secret.stringHash, secret.stringEqual);
        secret.insert(attributes, const_cast<char *>("user"), key.data());
        secret.insert(attributes, const_cast<char *>("server"), service.data());
        secret.insert(attributes, const_cast<char *>("type"), const_cast<char *>(type));
        void *value = secret.lookUp(connection, &kQtKeychainSchema, attributes, nullptr, &error);
        secret.unrefTable(attributes);
        if (error) {
            secret.freeError(error);
            break; // locked, refused: the usual read says which
        }
        if (value) {
            std::size_t length = 0;
            const char *bytes = secret.valueBytes(value, &length);
            const QByteArray raw(bytes, qsizetype(length));
            secret.unrefValue(value);
            found = qstrcmp(type, "base64") == 0 ? QByteArray::fromBase64(raw) : raw;
            break;
        }
    }
    secret.unrefObject(connection);
    return found;
}

} // namespace

struct SecretPrefetch::State
{
    const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    QMutex mutex;
    bool done = false;
    std::optional<QByteArray> secret;
    std::function<void(std::optional<QByteArray>)> onDone; // set by take() while the lookup runs
};

namespace {

// The read startEarly() began, until start() takes it over (the main thread's only).
std::shared_ptr<SecretPrefetch> &earlyPrefetch()
{
    static std::shared_ptr<SecretPrefetch> early;
    return early;
}

} // namespace

SecretPrefetch::SecretPrefetch(QString service, QString key)
    : m_service(std::move(service)), m_key(std::move(key)), m_state(std::make_shared<State>())
{ }

std::shared_ptr<SecretPrefetch> SecretPrefetch::start(const QString &service, const QString &key)
{
    std::shared_ptr<SecretPrefetch> &early = earlyPrefetch();
    if (early && early->m_service == service && early->m_key == key)
        return std::exchange(early, nullptr);
    return launch(service, key);
}

std::shared_ptr<SecretPrefetch> SecretPrefetch::startEarly(const QString &service,
                                                           const QString &key)
{
    return earlyPrefetch() = launch(service, key);
}

std::shared_ptr<SecretPrefetch> SecretPrefetch::launch(const QString &service, const QString &key)
{
#if !defined(Q_OS_LINUX)
    return nullptr; // QtKeychain uses libsecret on Linux only
#endif
    std::shared_ptr<SecretPrefetch> prefetch(new SecretPrefetch(service, key));
    // Detached: a Secret Service stuck behind a prompt must not hold up the program's exit; the
    // thread owns only its share of the state. Its answer is queued to the application's thread
    // once take() waits for it (take() needs the QCoreApplication; the start does not).
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
    auto once =
            std::make_shared<std::function<void(std::optional<QByteArray>)>>(std::move(callback));
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
    // The wait counts from the start: the usual read after a timeout has its own.
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - m_state->started);
    QTimer::singleShot(
            std::max(timeout - waited, std::chrono::milliseconds(0)), context, [deliver]() {
                qCInfo(lcKeychain) << "the start-up keychain read did not answer in time";
                deliver(std::nullopt);
            });
}

} // namespace latchkey
