// libFuzzer target for the dotenv/INI configuration reader (docs/security.md "Fuzzing"): the text
// of a latchkey.conf or --env-file, then the settings it yields validated by loadConfig(). Any
// broken invariant aborts.

#include "core/config.h"
#include "fuzz_support.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace latchkey;

namespace {

void checkKeyValues(const QString &text, const QHash<QString, QString> &values)
{
    static const QRegularExpression key(QStringLiteral("^[A-Z_][A-Z0-9_]*$"));
    FUZZ_CHECK(values.size() <= text.count(u'\n') + 1);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        FUZZ_CHECK(key.match(it.key()).hasMatch());
}

// The same bytes as a --env-file read by loadConfig(), which validates every setting they hold.
void checkLoaded(QByteArrayView input)
{
    static QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("fuzz.env"));
    QFile file(path);
    FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    FUZZ_CHECK(file.write(input.data(), input.size()) == input.size());
    file.close();

    ConfigSources sources;
    sources.envFilePath = path;
    // No other file: HOME names a directory that does not exist.
    sources.environment = QProcessEnvironment();
    sources.environment.insert(QStringLiteral("HOME"), QStringLiteral("/nonexistent/latchkey"));
    const Result<Config> config = loadConfig(sources);
    if (!config) {
        FUZZ_CHECK(config.error().kind == ErrorKind::Config && !config.error().message.isEmpty());
        return;
    }
    FUZZ_CHECK(config->sessionMaxAgeSecs > 0);
    FUZZ_CHECK(config->sessionUpdateAgeSecs > 0 &&
               config->sessionUpdateAgeSecs <= config->sessionMaxAgeSecs);
    for (const ProviderOptions &provider : config->providers) {
        FUZZ_CHECK(!provider.id.isEmpty() && provider.issuer.isValid());
        FUZZ_CHECK(provider.issuer.scheme() == u"https" || config->allowHttpLoopbackIssuer);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);
    checkLoaded(input);
    const QString text = QString::fromUtf8(input);
    const auto parsed = parseKeyValueText(text, QStringLiteral("fuzz.env"));
    if (!parsed) {
        FUZZ_CHECK(parsed.error().kind == ErrorKind::Config);
        FUZZ_CHECK(parsed.error().message.contains(u"fuzz.env line "));
        return 0;
    }
    checkKeyValues(text, parsed.value());
    // Prefix-closed: the lines before the last newline parse too, and a trailing comment changes
    // nothing.
    const qsizetype lastNewline = text.lastIndexOf(u'\n');
    if (lastNewline >= 0)
        FUZZ_CHECK(parseKeyValueText(text.left(lastNewline), QStringLiteral("fuzz.env")).ok());
    const auto commented =
            parseKeyValueText(text + QStringLiteral("\n# end"), QStringLiteral("fuzz.env"));
    FUZZ_CHECK(commented.ok() && commented.value() == parsed.value());
    return 0;
}
