// Plays a person using the Notes example, in process: the example's own main() runs unchanged
// (included below as notes_main), and this driver, started with the QApplication, types an email
// address, reads the code from the real SMTP sink, types it, checks that the notes editor opens
// with the user's name, signs out and checks that the editor is gone. Exit 0 when all of that
// happened, 1 with a message otherwise.

#define main notes_main
#include LATCHKEY_EXAMPLE_MAIN
#undef main

#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QTest>
#include <QTimer>

namespace {

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "notes_driver: FAIL: %s\n", qPrintable(what));
    std::fflush(stderr);
    std::_Exit(1);
}

QWidget *window()
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (qobject_cast<QMainWindow *>(widget))
            return widget;
    }
    return nullptr;
}

template<typename T = QWidget>
T *find(const char *name)
{
    QWidget *top = window();
    return top ? top->findChild<T *>(QString::fromLatin1(name)) : nullptr;
}

/// Waits (running the event loop) until `done` holds; fails with `what` after 15 s.
template<typename Fn>
void waitFor(Fn done, const char *what)
{
    if (!QTest::qWaitFor(done, 15000))
        fail(QString::fromLatin1(what));
}

QJsonObject newestMail()
{
    QProcess tool;
    tool.start(QStringLiteral("/usr/bin/python3"),
               {qEnvironmentVariable("LATCHKEY_MAILTOOL"),
                qEnvironmentVariable("LATCHKEY_TEST_MAILDIR")});
    tool.waitForFinished(10000);
    return QJsonDocument::fromJson(tool.readAllStandardOutput()).object();
}

void drive()
{
    const QString address = qEnvironmentVariable("NOTES_DRIVER_EMAIL");
    waitFor([]() { return window() && window()->isVisible() && find("emailEdit"); },
            "the Notes window with its sign-in widget never showed");
    if (find("notesEditor"))
        fail(QStringLiteral("the notes editor exists while signed out"));
    QTest::keyClicks(find("emailEdit"), address);
    QTest::mouseClick(find("emailButton"), Qt::LeftButton);
    waitFor([]() { return find("checkEmailPage") && find("checkEmailPage")->isVisible(); },
            "\"Check your email\" never showed");
    QString code;
    waitFor(
            [&code, &address]() {
                const QJsonObject mail = newestMail();
                if (!mail.value(QStringLiteral("to")).toString().contains(address))
                    return false;
                code = mail.value(QStringLiteral("code")).toString();
                return code.size() == 6;
            },
            "no email with a code reached the SMTP sink");
    auto *codeEdit = find<QLineEdit>("codeEdit");
    QTest::keyClicks(codeEdit, code);
    QTest::keyClick(codeEdit, Qt::Key_Return);
    waitFor([]() { return find("notesEditor") && find("notesEditor")->isVisible(); },
            "the notes editor did not open after the right code");
    auto *name = find<QLabel>("userName");
    if (!name || name->text() != address)
        fail(QStringLiteral("the window shows \"%1\", not the signed-in user")
                     .arg(name ? name->text() : QString()));
    QTest::mouseClick(find("signOutButton"), Qt::LeftButton);
    waitFor(
            []() {
                return !find("notesEditor") && find("emailEdit") && find("emailEdit")->isVisible();
            },
            "the notes editor did not close at sign-out");
    std::printf("notes_driver: signed in as %s, notes opened, signed out\n", qPrintable(address));
    std::fflush(stdout);
    QCoreApplication::exit(0);
}

void startDriver() { QTimer::singleShot(0, qApp, drive); }
Q_COREAPP_STARTUP_FUNCTION(startDriver)

} // namespace

int main(int argc, char *argv[]) { return notes_main(argc, argv); }
