// A tiny client of QtKeychainStore for tests that need a keychain in a state the shared test
// keyring must never be put in (locked, no session bus). The test starts it in a child process
// with its own environment and reads one JSON line from stdout:
//   {"ok":bool, "kind":"...", "code":"...", "message":"...", "elapsedMs":N, "value":"<base64>"}
// Usage: latchkey_keychain_probe read|prefetched-read|write|remove <service> <key> [value]
// (prefetched-read: QtKeychainStore::prefetch(key) at start, then the read, as start-up does)
// A watchdog ends it with {"hung":true} and exit code 3 if the store never calls back.

#include "keychain/qtkeychainstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

void finish(const QJsonObject &object, int exitCode)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    QCoreApplication::exit(exitCode);
}

QJsonObject describe(const Status &status, qint64 elapsedMs)
{
    QJsonObject out{{u"ok"_s, status.ok()}, {u"elapsedMs"_s, elapsedMs}};
    if (!status.ok()) {
        out.insert(u"kind"_s, errorKindName(status.error().kind));
        out.insert(u"code"_s, status.error().reason);
        out.insert(u"message"_s, status.error().message);
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fputs(
                "usage: latchkey_keychain_probe read|prefetched-read|write|remove <service> <key> "
                "[value]\n",
                stderr);
        return 2;
    }
    const QString operation = args.at(1);
    QtKeychainStore store;
    store.setService(args.at(2));
    const QString key = args.at(3);
    QElapsedTimer elapsed;
    elapsed.start();

    QTimer::singleShot(10000, &app, [] { finish({{u"hung"_s, true}}, 3); });
    if (operation == "prefetched-read"_L1)
        store.prefetch(key);
    QTimer::singleShot(0, &app, [&] {
        if (operation == "read"_L1 || operation == "prefetched-read"_L1) {
            store.read(key, &app, [&](const Result<QByteArray> &result) {
                QJsonObject out = describe(result.ok() ? Status() : Status(result.error()),
                                           elapsed.elapsed());
                if (result.ok())
                    out.insert(u"value"_s, QString::fromLatin1(result.value().toBase64()));
                finish(out, 0);
            });
        } else if (operation == "write"_L1) {
            store.write(key, args.value(4).toUtf8(), &app, [&](const Status &status) {
                finish(describe(status, elapsed.elapsed()), 0);
            });
        } else if (operation == "remove"_L1) {
            store.remove(key, &app, [&](const Status &status) {
                finish(describe(status, elapsed.elapsed()), 0);
            });
        } else {
            finish({{u"usage"_s, true}}, 2);
        }
    });
    return QCoreApplication::exec();
}
