#pragma once

// Shared helpers for the app-level end-to-end tests: they run inside tests/harness/with-services
// and talk to the real SMTP sink, keyring and OpenID providers it started.

#include "app/appcontext.h"
#include "widgets/mainwindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStackedWidget>
#include <QString>
#include <QTest>

namespace latchkey::test {

/// The value of a harness variable; fails the test when the harness did not set it.
inline QString harnessValue(const char *name)
{
    const QString value = qEnvironmentVariable(name);
    if (value.isEmpty())
        qFatal("%s is not set: run this test inside tests/harness/with-services", name);
    return value;
}

/// The configuration `env` gives; a bad one stops the test with its message.
inline Config configFrom(const QProcessEnvironment &env)
{
    auto loaded = loadConfig({{}, {}, env});
    if (!loaded)
        qFatal("config: %s", qPrintable(loaded.error().message));
    return loaded.value();
}

/// The app's composition root for `config`, as the executable builds it.
inline std::unique_ptr<app::AppContext> makeContext(const Config &config)
{
    auto created = app::AppContext::create(config);
    if (!created)
        qFatal("context: %s", qPrintable(created.error().message));
    return std::move(created).value();
}

/// The page the window shows now.
inline QWidget *currentPage(gui::MainWindow &window)
{
    return window.findChild<QStackedWidget *>()->currentWidget();
}

/// tests/e2e/mailtool.py in the source tree (CTest sets LATCHKEY_SOURCE_DIR).
inline QString mailTool()
{
    const QString source = qEnvironmentVariable("LATCHKEY_SOURCE_DIR");
    if (source.isEmpty())
        qFatal("LATCHKEY_SOURCE_DIR is not set: run this test through ctest");
    return source + QStringLiteral("/tests/e2e/mailtool.py");
}

/// The newest message at the SMTP sink, as tests/e2e/mailtool.py reads it.
inline QJsonObject newestMail()
{
    QProcess tool;
    tool.start(
            QStringLiteral("/usr/bin/python3"),
            {qEnvironmentVariable("LATCHKEY_SOURCE_DIR") + QStringLiteral("/tests/e2e/mailtool.py"),
             harnessValue("LATCHKEY_TEST_MAILDIR")});
    tool.waitForFinished(10000);
    return QJsonDocument::fromJson(tool.readAllStandardOutput()).object();
}

/// What a person sees in the message file at `path` (e.g. in the developer outbox).
inline QJsonObject mailIn(const QString &path)
{
    QProcess tool;
    tool.start(QStringLiteral("/usr/bin/python3"), {mailTool(), path});
    tool.waitForFinished(10000);
    return QJsonDocument::fromJson(tool.readAllStandardOutput()).object();
}

/// How many messages the SMTP sink accepted so far.
inline int mailCount()
{
    QProcess tool;
    tool.start(
            QStringLiteral("/usr/bin/python3"),
            {qEnvironmentVariable("LATCHKEY_SOURCE_DIR") + QStringLiteral("/tests/e2e/mailtool.py"),
             harnessValue("LATCHKEY_TEST_MAILDIR"), QStringLiteral("--count")});
    tool.waitForFinished(10000);
    return tool.readAllStandardOutput().trimmed().toInt();
}

/// True when the real keyring holds `key` under `service` (checked with secret-tool, as a user
/// or an admin would).
inline bool keyringHas(const QString &service, const QString &key)
{
    QProcess lookup;
    lookup.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("lookup"), QStringLiteral("server"), service,
                  QStringLiteral("user"), key});
    lookup.waitForFinished(10000);
    return lookup.exitCode() == 0 && !lookup.readAllStandardOutput().isEmpty();
}

} // namespace latchkey::test
