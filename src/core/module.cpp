#include "module.h"

#include "core/logging.h"

#include <QDir>
#include <QHash>
#include <QMutex>

#include <dlfcn.h>

namespace latchkey::module {

namespace {

QMutex mutex;
QHash<QByteArray, void *> entries; // name → entry point, once loaded (under `mutex`)

} // namespace

QString fileName(const char *name)
{
    return QStringLiteral("liblatchkey-%1.so").arg(QLatin1StringView(name));
}

Result<void *> entry(const char *name)
{
    const QMutexLocker lock(&mutex);
    if (void *known = entries.value(name))
        return known;
    const QString file = fileName(name);
    const QString dir = qEnvironmentVariable("LATCHKEY_MODULE_DIR");
    // A bare file name makes dlopen search this object's RUNPATH (see module.h).
    const QByteArray path = QFile::encodeName(dir.isEmpty() ? file : QDir(dir).filePath(file));
    void *handle = dlopen(path.constData(), RTLD_NOW | RTLD_LOCAL);
    const QByteArray symbol = "latchkey_" + QByteArray(name) + "_module";
    void *found = handle ? dlsym(handle, symbol.constData()) : nullptr;
    if (!found) {
        const char *why = dlerror();
        qCWarning(lcCore).noquote() << "cannot load" << file + u':' << (why ? why : "unknown");
        if (handle)
            dlclose(handle);
        Error error = Error::make(ErrorKind::Config, ErrorCode::ModuleMissing,
                                  QStringLiteral("Module %1 is missing or broken.").arg(file),
                                  QString::fromLocal8Bit(why ? why : ""));
        error.subject = file;
        return error;
    }
    entries.insert(name, found);
    return found;
}

bool isLoaded(const char *name)
{
    const QByteArray file = QFile::encodeName(fileName(name));
    void *handle = dlopen(file.constData(), RTLD_NOW | RTLD_NOLOAD);
    if (handle)
        dlclose(handle); // drops only the reference RTLD_NOLOAD took
    return handle != nullptr;
}

} // namespace latchkey::module
