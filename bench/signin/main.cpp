// bench_signin: how long the sign-in paths take once the user has acted, in the real window with
// the real services (run it through bench/run-signin, which starts tests/harness/with-services
// and prints the medians; see bench/README.md). Prints one line per span and run:
//
//   latchkey-bench: <scenario> <run> <metric> <milliseconds>
//
// Scenarios: `email` (EmailBench), `oidc` with its isolated phases `oidc-phase` (OidcBench,
// OidcPhases). Each scenario does one warm-up run (not printed), then --runs measured runs, each
// with a fresh data directory, SQLite file and keychain service (a first sign-in, signed out).
// Exit status: 0 measured, 2 usage error or a failed run.

#include "benchsupport.h"
#include "emailbench.h"
#include "oidcbench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

#include <cstdio>

using namespace Qt::StringLiterals;

#ifndef LATCHKEY_BENCH_SOURCE_DIR
#define LATCHKEY_BENCH_SOURCE_DIR ""
#endif

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"bench_signin"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Sign-in benchmark: email link and OIDC callback to the painted Dashboard."_s);
    parser.addHelpOption();
    const QCommandLineOption runsOption(u"runs"_s, u"Measured runs per scenario (default 7)."_s,
                                        u"n"_s, u"7"_s);
    const QCommandLineOption scenarioOption(u"scenario"_s, u"email, oidc or both (default)."_s,
                                            u"name"_s, u"both"_s);
    const QCommandLineOption sourceOption(
            u"source-dir"_s, u"The source tree (for tests/e2e/mailtool.py)."_s, u"dir"_s,
            qEnvironmentVariable("LATCHKEY_SOURCE_DIR",
                                 QString::fromUtf8(LATCHKEY_BENCH_SOURCE_DIR)));
    parser.addOptions({runsOption, scenarioOption, sourceOption});
    parser.process(app);

    bool numeric = false;
    const int runs = parser.value(runsOption).toInt(&numeric);
    const QString scenario = parser.value(scenarioOption);
    if (!numeric || runs < 1 || !QStringList{u"email"_s, u"oidc"_s, u"both"_s}.contains(scenario)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.helpText()));
        return 2;
    }
    const QString sourceDir = parser.value(sourceOption);
    if (!QDir(sourceDir).exists(u"tests/e2e/mailtool.py"_s))
        latchkey::bench::fail(u"--source-dir must be the source tree (tests/e2e/mailtool.py)"_s);

    if (scenario != u"oidc") {
        latchkey::bench::EmailBench email(sourceDir);
        for (int run = 0; run <= runs; ++run)
            email.runOnce(run);
    }
    if (scenario != u"email") {
        latchkey::bench::OidcBench oidc;
        oidc.prepare();
        for (int run = 0; run <= runs; ++run)
            oidc.runOnce(run);
    }
    return 0;
}
