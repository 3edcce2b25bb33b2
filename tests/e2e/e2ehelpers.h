#pragma once

// Shared helpers for the app-level end-to-end tests: they run inside tests/harness/with-services
// and talk to the real SMTP sink, keyring and OpenID providers it started.

#include "widgets/mainwindow.h"

#include <latchkey/client.h>

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
inline Options configFrom(const QProcessEnvironment &env)
{
    auto loaded = Options::fromConfig({{}, {}, env});
    if (!loaded)
        qFatal("config: %s", qPrintable(loaded.error().message));
    return loaded.value();
}

/// A client for `options`, restored (reading the keychain) as the executable does it.
inline std::unique_ptr<Client> makeClient(const Options &options)
{
    auto client = std::make_unique<Client>(options);
    if (Status opened = client->restore(); !opened)
        qFatal("client: %s", qPrintable(opened.error().message));
    return client;
}

/// The page the window shows now: one of its own, or the sign-in widget's current page.
inline QWidget *currentPage(gui::MainWindow &window)
{
    QWidget *page =
            window.findChild<QStackedWidget *>(QStringLiteral("mainStack"))->currentWidget();
    if (auto *signIn = page->findChild<QStackedWidget *>(QStringLiteral("signInStack")))
        return signIn->currentWidget();
    return page;
}

/// Calls `seen` with the page shown after every page change, the sign-in widget's included.
template<typename Fn>
inline void watchPages(gui::MainWindow &window, QObject *context, Fn seen)
{
    for (QStackedWidget *stack : window.findChildren<QStackedWidget *>())
        QObject::connect(stack, &QStackedWidget::currentChanged, context,
                         [&window, seen](int) { seen(currentPage(window)); });
}

/// One of the sign-in widget's pages: "signInPage", "checkEmailPage" or "waitingPage".
inline QWidget *signInPage(gui::MainWindow &window, const QString &name)
{
    return window.findChild<QWidget *>(name);
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

/// The session entries (`session/<user id>`) under `service` in the keyring, sorted.
inline QStringList keyringSessionEntries(const QString &service)
{
    QProcess search;
    search.start(
            QStringLiteral("secret-tool"),
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), service});
    search.waitForFinished(10000);
    // secret-tool prints the attributes on stderr and the secrets on stdout.
    const QString listing =
            QString::fromUtf8(search.readAllStandardError() + search.readAllStandardOutput());
    QStringList entries;
    for (const QString &line : listing.split(u'\n')) {
        const QString prefix = QStringLiteral("attribute.user = ");
        if (line.startsWith(prefix) && line.mid(prefix.size()).startsWith(u"session/"))
            entries.append(line.mid(prefix.size()).trimmed());
    }
    entries.sort();
    return entries;
}

/// The keyring entry of `userId`'s session.
inline QString sessionEntry(qint64 userId) { return QStringLiteral("session/%1").arg(userId); }

} // namespace latchkey::test
