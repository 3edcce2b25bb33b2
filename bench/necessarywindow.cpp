// bench_necessarywindow: the "necessary" floor of the start-up benchmark (bench/run-startup).
//
// The bare window (bench/barewindow.cpp) plus the work a sign-in app cannot skip before it shows
// who is signed in: it reads one QtKeychain entry from the Secret Service and opens an SQLite file
// with QtSql (and reads one row of it), and only then shows its label. The window is shown at once,
// as `latchkey` shows "Loading…" at once, so both reads overlap with mapping the window; the paint
// that shows the label is the ready paint. Same output lines as ui/widgets/paintprobe.h.
//
//   bench_necessarywindow --setup SERVICE KEY DATABASE   writes the entry and the file, exits
//   bench_necessarywindow SERVICE KEY DATABASE           the measured window
//
// The entry is written by QtKeychain itself (binary data, as Latchkey writes its tokens), so the
// measured read goes through the same backend code path as Latchkey's.

#include "widgets/paintprobe.h"

#include <QApplication>
#include <QLabel>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVBoxLayout>
#include <QWidget>

#include <qt6keychain/keychain.h>

#include <cstdio>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;

/// Opens the SQLite file and reads the one row setup wrote; creates both in setup mode.
bool openDatabase(const QString &path, bool setup)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"));
    db.setDatabaseName(path);
    if (!db.open()) {
        std::fprintf(stderr, "bench_necessarywindow: %s\n", qPrintable(db.lastError().text()));
        return false;
    }
    QSqlQuery query(db);
    if (setup) {
        return query.exec(QStringLiteral(
                       "CREATE TABLE IF NOT EXISTS device (key TEXT PRIMARY KEY, value BLOB)")) &&
                query.exec(QStringLiteral(
                        "INSERT OR REPLACE INTO device (key, value) VALUES ('floor', x'00')"));
    }
    return query.exec(QStringLiteral("SELECT value FROM device WHERE key = 'floor'")) &&
            query.next();
}

/// Setup mode: writes a 32-byte binary entry (a session token's size) and the SQLite file.
int setup(const QString &service, const QString &key, const QString &database)
{
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()),
                                          secret.size() / 4);
    auto *job = new QKeychain::WritePasswordJob(service);
    job->setKey(key);
    job->setBinaryData(secret);
    QObject::connect(job, &QKeychain::Job::finished, [](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError) {
            std::fprintf(stderr, "bench_necessarywindow: keychain write failed: %s\n",
                         qPrintable(finished->errorString()));
            QCoreApplication::exit(kExitFailed);
            return;
        }
        QCoreApplication::exit(0);
    });
    job->start();
    if (!openDatabase(database, true))
        return kExitFailed;
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const bool setupMode = !args.isEmpty() && args.first() == u"--setup";
    if (setupMode)
        args.removeFirst();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: bench_necessarywindow [--setup] SERVICE KEY DATABASE\n");
        return kExitUsage;
    }
    const QString &service = args.at(0);
    const QString &key = args.at(1);
    const QString &database = args.at(2);
    if (setupMode) {
        QCoreApplication app(argc, argv);
        return setup(service, key, database);
    }

    QApplication app(argc, argv);
    QWidget window;
    window.setWindowTitle(QStringLiteral("bench_necessarywindow"));
    window.resize(720, 560); // the size of latchkey's MainWindow
    auto *layout = new QVBoxLayout(&window);
    auto *label = new QLabel(QStringLiteral("Hello from a window that read its keychain entry and "
                                            "its database"),
                             &window);
    label->hide();
    layout->addWidget(label);
    latchkey::bench::PaintProbe probe(window);

    // The keychain read is a D-Bus round trip: start it first, open the database meanwhile.
    int pending = 2;
    const auto oneDone = [&pending, &probe, label]() {
        if (--pending > 0)
            return;
        probe.setReady();
        label->show();
    };
    auto *job = new QKeychain::ReadPasswordJob(service);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, &window, [oneDone](QKeychain::Job *finished) {
        const auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() != QKeychain::NoError || read->binaryData().isEmpty()) {
            std::fprintf(stderr, "bench_necessarywindow: keychain read failed: %s\n",
                         qPrintable(read->errorString()));
            QCoreApplication::exit(kExitFailed);
            return;
        }
        oneDone();
    });
    job->start();
    if (!openDatabase(database, false)) {
        std::fprintf(stderr, "bench_necessarywindow: %s has no row; run --setup first\n",
                     qPrintable(database));
        return kExitFailed;
    }
    oneDone();
    window.show();
    return QApplication::exec();
}
