// bench_linkedfloor: what any command line over Latchkey's library pays before it does anything:
// the Qt libraries the library links (Core, Network, Sql, DBus, QtKeychain) loaded, a
// QCoreApplication made, and exit. bench/run-startup prints it beside `secret-tool lookup`.

#include <QCoreApplication>
#include <QDBusConnection>
#include <QNetworkAccessManager>
#include <QSqlDatabase>

#include <qt6keychain/keychain.h>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && QCoreApplication::arguments().at(1) == u"--use") {
        // Never run by the benchmark: it keeps each library a real dependency of the program.
        QNetworkAccessManager network;
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"));
        (void)QDBusConnection::sessionBus();
        QKeychain::ReadPasswordJob job(QStringLiteral("latchkey-bench"));
    }
    std::puts("linked"); // the benchmark checks that a command printed something
    return 0;
}
