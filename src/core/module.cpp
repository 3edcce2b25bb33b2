#include "module.h"

#include "core/logging.h"

#include <QDir>
#include <QHash>
#include <QMutex>

#include <vector>

#include <dlfcn.h>
#include <link.h>

namespace latchkey::module {

namespace {

QMutex mutex;
QHash<QByteArray, void *> entries; // name → entry point, once loaded (under `mutex`)

/// The folders the dynamic linker searches for what the object holding this code needs, its
/// RUNPATH first (dlinfo's RTLD_DI_SERINFO). Asked for explicitly because dlopen() of a bare name
/// searches the RUNPATH of whoever calls it, and a sanitizer's dlopen interceptor would be that.
QStringList searchPath()
{
    Dl_info self{};
    if (dladdr(reinterpret_cast<void *>(&searchPath), &self) == 0 || !self.dli_fname)
        return {};
    void *object = dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!object)
        object = dlopen(nullptr, RTLD_LAZY); // the program itself (the tests' static archive)
    Dl_serinfo size{};
    QStringList folders;
    if (object && dlinfo(object, RTLD_DI_SERINFOSIZE, &size) == 0) {
        std::vector<char> buffer(size.dls_size);
        auto *info = reinterpret_cast<Dl_serinfo *>(buffer.data());
        if (dlinfo(object, RTLD_DI_SERINFOSIZE, info) == 0 &&
            dlinfo(object, RTLD_DI_SERINFO, info) == 0) {
            for (unsigned int i = 0; i < info->dls_cnt; ++i)
                folders.append(QFile::decodeName(info->dls_serpath[i].dls_name));
        }
    }
    if (object)
        dlclose(object);
    return folders;
}

/// The module's file: in LATCHKEY_MODULE_DIR when set, else in the first folder of the search
/// path that has it.
QByteArray locate(const QString &file)
{
    const QString dir = qEnvironmentVariable("LATCHKEY_MODULE_DIR");
    if (!dir.isEmpty())
        return QFile::encodeName(QDir(dir).filePath(file));
    const QStringList folders = searchPath();
    for (const QString &folder : folders) {
        const QString path = QDir(folder).filePath(file);
        if (QFile::exists(path))
            return QFile::encodeName(path);
    }
    return QFile::encodeName(file); // not found: dlopen() says so
}

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
    void *handle = dlopen(locate(file).constData(), RTLD_NOW | RTLD_LOCAL);
    const QByteArray symbol = "latchkey_" + QByteArray(name) + "_module";
    void *found = handle ? dlsym(handle, symbol.constData()) : nullptr;
    if (!found) {
        const char *why = dlerror();
        qCWarning(lcCore).noquote() << "cannot load" << file + u':' << (why ? why : "unknown");
        if (handle)
            dlclose(handle);
        return missing(name, QString::fromLocal8Bit(why ? why : ""));
    }
    entries.insert(name, found);
    return found;
}

Error missing(const char *name, const QString &reason)
{
    const QString file = fileName(name);
    Error error = Error::make(ErrorKind::Config, ErrorCode::ModuleMissing,
                              QStringLiteral("Module %1 is missing or broken.").arg(file), reason);
    error.subject = file;
    return error;
}

bool isLoaded(const char *name)
{
    // By the mapped objects' paths: a module is loaded by its full path and has no soname.
    const QByteArray file = '/' + QFile::encodeName(fileName(name));
    auto matches = [](dl_phdr_info *info, size_t, void *wanted) -> int {
        const QByteArrayView path(info->dlpi_name ? info->dlpi_name : "");
        return path.endsWith(*static_cast<const QByteArray *>(wanted)) ? 1 : 0;
    };
    return dl_iterate_phdr(matches, const_cast<QByteArray *>(&file)) != 0;
}

} // namespace latchkey::module
