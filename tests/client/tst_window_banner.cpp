// The window's banner over latchkey::Client and fakes (clock, secret store; the real developer
// outbox where the mailbox is the point): one row per message with its own action, keychain
// states (locked, unavailable, first run), the in-app developer mailbox, and colours that keep
// WCAG AA contrast in light, dark and high-contrast palettes.

#include "clientoverfakes.h"
#include "keychain/secretkeys.h"
#include "widgets/banner.h"
#include "widgets/colours.h"
#include "widgets/mainwindow.h"
#include "widgets/outboxmessage.h"
#include "widgets/outboxviewer.h"

#include <latchkey/client.h>

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

/// A palette like the desktop's: window, text, and what goes with them.
QPalette desktopPalette(QColor window, QColor text, QColor base, QColor button)
{
    QPalette palette(button, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::PlaceholderText, QColor(text.red(), text.green(), text.blue(), 128));
    return palette;
}

QPalette lightPalette()
{
    return desktopPalette(QColor(0xef, 0xef, 0xef), QColor(0x10, 0x10, 0x10), Qt::white,
                          QColor(0xef, 0xef, 0xef));
}

QPalette darkPalette() // Fusion's dark colours
{
    return desktopPalette(QColor(0x20, 0x20, 0x20), QColor(0xf0, 0xf0, 0xf0),
                          QColor(0x19, 0x19, 0x19), QColor(0x3c, 0x3c, 0x3c));
}

QPalette dimPalette() // a soft dark grey, where a fixed light red no longer reads
{
    return desktopPalette(QColor(0x40, 0x40, 0x40), QColor(0xe8, 0xe8, 0xe8),
                          QColor(0x33, 0x33, 0x33), QColor(0x4a, 0x4a, 0x4a));
}

QPalette highContrastPalette() // white on black
{
    return desktopPalette(Qt::black, Qt::white, Qt::black, Qt::black);
}

QString rowText(QWidget *row)
{
    const auto labels =
            row ? row->findChildren<QLabel *>(QRegularExpression(u"Text$"_s)) : QList<QLabel *>();
    return labels.size() == 1 ? labels.first()->text() : QString();
}

QPushButton *rowButton(QWidget *row) { return row ? row->findChild<QPushButton *>() : nullptr; }

} // namespace

class TestWindowBanner : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void contrastFollowsWcag();
    void coloursReadOnEveryPalette_data();
    void coloursReadOnEveryPalette();
    void bannerFollowsTheSystemPaletteAtRunTime();
    void eachMessageIsItsOwnRowWithItsOwnAction();
    void unavailableKeychainOffersTryAgain();
    void firstRunExplainsTheKeyringUntilTheFirstSignIn();
    void firstRunNoteCanBeDismissed();
    void outboxViewerShowsTheCodeOfTheLatestEmail();
    void outboxViewerSaysWhenTheOutboxIsEmpty();
    void parsesOutboxMessages_data();
    void parsesOutboxMessages();

private:
    Options baseOptions() const;
    /// A client over fresh fakes; with `realOutbox`, the real developer outbox instead of the
    /// fake mailer.
    std::unique_ptr<Client> makeClient(bool realOutbox = false);
    std::unique_ptr<Client> restoredClient(bool realOutbox = false);
    void signInByCode(Client &client, const QString &address);
    void screenshot(QWidget &widget, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    Fakes m_fakes;
};

void TestWindowBanner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QApplication::setPalette(lightPalette());
}

void TestWindowBanner::cleanup() { m_dir.reset(); }

Options TestWindowBanner::baseOptions() const
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    return options;
}

std::unique_ptr<Client> TestWindowBanner::makeClient(bool realOutbox)
{
    return clientOverFakes(baseOptions(), m_fakes, realOutbox);
}

std::unique_ptr<Client> TestWindowBanner::restoredClient(bool realOutbox)
{
    auto client = makeClient(realOutbox);
    if (!client->restore().ok())
        return nullptr;
    if (!QTest::qWaitFor([&] { return client->state() != Client::State::Loading; }, kWaitMs))
        return nullptr;
    return client;
}

void TestWindowBanner::signInByCode(Client &client, const QString &address)
{
    QSignalSpy sent(&client, &Client::emailSent);
    QSignalSpy finished(&client, &Client::sessionChanged);
    client.signInWithEmail(address);
    QVERIFY(sent.wait(kWaitMs));
    client.submitCode(codeIn(m_fakes.mailer->messages().last()));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == Client::State::SignedIn, kWaitMs);
}

void TestWindowBanner::screenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50);
    QVERIFY(widget.grab().save(dir + u'/' + name + u".png"_s));
}

void TestWindowBanner::contrastFollowsWcag()
{
    using colours::contrastRatio;
    using colours::relativeLuminance;
    QCOMPARE(relativeLuminance(Qt::white), 1.0);
    QCOMPARE(relativeLuminance(Qt::black), 0.0);
    QCOMPARE(contrastRatio(Qt::black, Qt::white), 21.0);
    QCOMPARE(contrastRatio(Qt::white, Qt::black), 21.0);
    // #777777 on white is the classic "just fails AA" grey (4.48:1); #767676 just passes.
    QVERIFY(contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) < 4.5);
    QVERIFY(contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) >= 4.5);
    // A colour that does not read is moved until it does, keeping its hue.
    const QColor pale(0xff, 0xa0, 0xa0);
    const QColor fixed = colours::readableOn(pale, Qt::white);
    QVERIFY(contrastRatio(fixed, Qt::white) >= 4.5);
    QCOMPARE(fixed.hslHue(), pale.hslHue());
}

void TestWindowBanner::coloursReadOnEveryPalette_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("light") << lightPalette();
    QTest::newRow("dark") << darkPalette();
    QTest::newRow("dim") << dimPalette();
    QTest::newRow("high contrast") << highContrastPalette();
}

void TestWindowBanner::coloursReadOnEveryPalette()
{
    QFETCH(QPalette, palette);
    const QColor window = palette.color(QPalette::Window);
    for (const gui::Severity severity :
         {gui::Severity::Info, gui::Severity::Warning, gui::Severity::Error}) {
        const gui::BannerColours colours = gui::bannerColours(palette, severity);
        const double ratio = gui::contrastRatio(colours.text, colours.background);
        QVERIFY2(ratio >= 4.5, qPrintable(u"severity %1: %2"_s.arg(int(severity)).arg(ratio)));
    }
    QVERIFY(gui::contrastRatio(gui::errorColour(palette), window) >= 4.5);

    // What the window actually paints: the sign-in page's error text and a banner row.
    QApplication::setPalette(palette);
    auto client = restoredClient();
    QVERIFY(client);
    gui::MainWindow shown(*client);
    auto *error = shown.findChild<QWidget *>(u"signInPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    const double errorRatio =
            gui::contrastRatio(error->palette().color(QPalette::WindowText), window);
    QVERIFY2(errorRatio >= 4.5, qPrintable(QString::number(errorRatio)));
    QWidget *row = shown.findChild<gui::Banner *>()->row(u"outbox"_s);
    QVERIFY(row);
    QVERIFY(gui::contrastRatio(row->palette().color(QPalette::WindowText),
                               row->palette().color(QPalette::Window)) >= 4.5);
}

void TestWindowBanner::bannerFollowsTheSystemPaletteAtRunTime()
{
    auto client = restoredClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.resize(720, 560);
    window.show();
    auto *banner = window.findChild<gui::Banner *>();
    QWidget *outbox = banner->row(u"outbox"_s);
    QVERIFY(outbox);
    const auto background = [outbox]() { return outbox->palette().color(QPalette::Window); };
    QVERIFY(background().lightness() > 160);
    screenshot(window, u"banner-light-wide"_s);

    // The desktop switches to dark while the app runs: every row recolours and still reads.
    QApplication::setPalette(darkPalette());
    QTRY_VERIFY_WITH_TIMEOUT(background().lightness() < 96, kWaitMs);
    for (const QString &id : {u"outbox"_s, u"keyringNote"_s}) {
        QWidget *row = banner->row(id);
        QVERIFY2(row, qPrintable(id));
        QVERIFY(gui::contrastRatio(row->palette().color(QPalette::WindowText),
                                   row->palette().color(QPalette::Window)) >= 4.5);
    }
    screenshot(window, u"banner-dark-wide"_s);
    window.resize(window.minimumSizeHint().width(), 560);
    screenshot(window, u"banner-dark-narrow"_s);
}

void TestWindowBanner::eachMessageIsItsOwnRowWithItsOwnAction()
{
    // kim signs in; the next start finds the keyring locked, with the developer outbox in use.
    QString key;
    QByteArray stored;
    {
        auto first = restoredClient();
        QVERIFY(first);
        signInByCode(*first, u"kim@example.com"_s);
        key = secretkeys::sessionToken(first->session()->user.id);
        stored = m_fakes.keychain->value(key);
    }
    auto client = makeClient();
    m_fakes.keychain->seed(key, stored);
    m_fakes.keychain->setLocked(true);
    gui::MainWindow window(*client);
    auto *banner = window.findChild<gui::Banner *>();
    // The offscreen platform has no screen reader bridge (QAccessible::isActive() is false), so
    // what was sent to one is read from the banner's own signal.
    QSignalSpy announced(banner, &gui::Banner::announced);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Error, kWaitMs);
    window.start(gui::View::Home);
    window.show();
    QWidget *locked = banner->row(u"keychainLocked"_s);
    QWidget *outbox = banner->row(u"outbox"_s);
    QVERIFY(locked && outbox);
    // Two rows, two labels, two buttons: never one label with both sentences.
    QVERIFY2(rowText(locked).contains(u"keyring is locked"_s), qPrintable(rowText(locked)));
    QVERIFY(!rowText(locked).contains(u"Developer mailbox"_s));
    QVERIFY(rowText(outbox).startsWith(u"Developer mailbox"_s));
    QCOMPARE(rowButton(locked)->text(), u"Unlock"_s);
    QCOMPARE(rowButton(locked)->objectName(), u"unlockKeychain"_s);
    QCOMPARE(rowButton(outbox)->text(), u"Open latest message"_s);
    QVERIFY(!banner->hasMessage(u"keyringNote"_s)); // not a first run: a session is kept
    // Accessible: the label says how serious it is, the button what it acts on.
    const auto *label = locked->findChild<QLabel *>(u"keychainLockedText"_s);
    QVERIFY(label->accessibleName().startsWith(u"Warning: "_s));
    QCOMPARE(rowButton(locked)->accessibleName(), u"Unlock"_s);
    QCOMPARE(rowButton(locked)->accessibleDescription(), rowText(locked));
    QVERIFY(label->accessibleName().endsWith(rowText(locked)));
    QCOMPARE(announced.size(), 1); // the warning; the mailbox row is only information
    QCOMPARE(announced.first().first().toString(), label->accessibleName());
    const QColor warning = locked->palette().color(QPalette::Window);
    QVERIFY(warning != outbox->palette().color(QPalette::Window)); // severity shows
    screenshot(window, u"banner-locked-light"_s);
    QApplication::setPalette(darkPalette());
    screenshot(window, u"banner-locked-dark"_s);

    // Unlocked: the keychain row goes, the mailbox row stays.
    QTest::mouseClick(rowButton(locked), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->hasMessage(u"keychainLocked"_s), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedIn, kWaitMs);
    QVERIFY(banner->hasMessage(u"outbox"_s));
    QCOMPARE(banner->texts().size(), 1);
}

void TestWindowBanner::unavailableKeychainOffersTryAgain()
{
    auto client = makeClient();
    m_fakes.keychain->failAll(Error::make(ErrorKind::Keychain, ErrorCode::KeychainUnavailable,
                                          u"No Secret Service."_s));
    QVERIFY(client->restore().ok());
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    auto *banner = window.findChild<gui::Banner *>();
    // Nobody was signed in: a start reads nothing from the keychain, so it has met no problem.
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QVERIFY(!banner->hasMessage(u"keychainFailed"_s));
    // The sign-in meets it (the install secret that keys the code), and the row says so.
    signInByCode(*client, u"lin@example.net"_s); // kept in memory for this run
    QTRY_VERIFY_WITH_TIMEOUT(banner->hasMessage(u"keychainFailed"_s), kWaitMs);
    QVERIFY(!banner->hasMessage(u"keychainLocked"_s));
    QVERIFY(!banner->hasMessage(u"keyringNote"_s)); // no keychain in use: nothing to explain
    QWidget *failed = banner->row(u"keychainFailed"_s);
    QCOMPARE(rowButton(failed)->text(), u"Try again"_s);
    QVERIFY2(rowText(failed).contains(u"No system keychain is running"_s),
             qPrintable(rowText(failed)));
    QVERIFY(failed->findChild<QLabel *>(u"keychainFailedText"_s)
                    ->accessibleName()
                    .startsWith(u"Error: "_s));
    QVERIFY(!client->persistent());
    const QString key = secretkeys::sessionToken(client->session()->user.id);
    QVERIFY(!m_fakes.keychain->contains(key));
    screenshot(window, u"banner-keychain-unavailable"_s);

    // Still no keychain: the row stays and the outcome is reported.
    QSignalSpy retried(client.get(), &Client::keychainRetryFinished);
    QTest::mouseClick(rowButton(failed), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(retried.size(), 1, kWaitMs);
    QVERIFY(!retried.first().first().value<Status>().ok());
    QVERIFY(banner->hasMessage(u"keychainFailed"_s));
    QVERIFY(!client->persistent());

    // The keyring was started: the sign-in moves into it and the row goes.
    m_fakes.keychain->clearFailures();
    QTest::mouseClick(rowButton(banner->row(u"keychainFailed"_s)), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(retried.size(), 2, kWaitMs);
    QVERIFY(retried.last().first().value<Status>().ok());
    QTRY_VERIFY_WITH_TIMEOUT(!banner->hasMessage(u"keychainFailed"_s), kWaitMs);
    QVERIFY(!client->problem());
    QVERIFY(client->persistent());
    QVERIFY(m_fakes.keychain->contains(key));
    QCOMPARE(client->state(), Client::State::SignedIn);
}

void TestWindowBanner::firstRunExplainsTheKeyringUntilTheFirstSignIn()
{
    // As the app starts: the window comes up while the keychain is still being read.
    {
        auto client = makeClient();
        QVERIFY(client->restore().ok());
        QCOMPARE(client->state(), Client::State::Loading);
        gui::MainWindow window(*client);
        auto *banner = window.findChild<gui::Banner *>();
        QVERIFY(banner->hasMessage(u"keyringNote"_s)); // before the keychain answered anything
        QCOMPARE(client->state(), Client::State::Loading);
        window.start(gui::View::Home);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        QVERIFY(banner->hasMessage(u"keyringNote"_s));
        QWidget *note = banner->row(u"keyringNote"_s);
        QVERIFY(rowText(note).contains(u"system keyring"_s));
        QCOMPARE(rowButton(note)->text(), u"Dismiss"_s);

        signInByCode(*client, u"ada@example.com"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!banner->hasMessage(u"keyringNote"_s), kWaitMs);

        // Signed out again: the keyring has been used, no explanation.
        QSignalSpy out(client.get(), &Client::signOutFinished);
        client->signOut();
        QVERIFY(out.wait(kWaitMs));
        QVERIFY(!banner->hasMessage(u"keyringNote"_s));
    }
    // Nor at the next start.
    auto next = restoredClient();
    gui::MainWindow again(*next);
    QVERIFY(!again.findChild<gui::Banner *>()->hasMessage(u"keyringNote"_s));
}

void TestWindowBanner::firstRunNoteCanBeDismissed()
{
    {
        auto client = restoredClient();
        QVERIFY(client);
        gui::MainWindow window(*client);
        auto *banner = window.findChild<gui::Banner *>();
        QWidget *note = banner->row(u"keyringNote"_s);
        QVERIFY(note);
        QTest::mouseClick(rowButton(note), Qt::LeftButton);
        QVERIFY(!banner->hasMessage(u"keyringNote"_s));
        QVERIFY(banner->hasMessage(u"outbox"_s));
    }
    auto client = restoredClient();
    gui::MainWindow window(*client);
    QVERIFY(!window.findChild<gui::Banner *>()->hasMessage(u"keyringNote"_s));
}

void TestWindowBanner::outboxViewerShowsTheCodeOfTheLatestEmail()
{
    auto client = restoredClient(true); // the real developer outbox
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    QSignalSpy sent(client.get(), &Client::emailSent);
    client->signInWithEmail(u"grace@example.com"_s);
    QVERIFY(sent.wait(kWaitMs));

    QTest::mouseClick(window.findChild<QPushButton *>(u"openOutbox"_s), Qt::LeftButton);
    gui::OutboxViewer *viewer = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (viewer = window.findChild<gui::OutboxViewer *>()) && viewer->isVisible(), kWaitMs);
    const QString code = viewer->findChild<QLabel *>(u"outboxCode"_s)->text();
    QVERIFY2(QRegularExpression(u"^\\d{6}$"_s).match(code).hasMatch(), qPrintable(code));
    QCOMPARE(viewer->findChild<QLabel *>(u"outboxRecipient"_s)->text(), u"grace@example.com"_s);
    QCOMPARE(viewer->findChild<QLabel *>(u"outboxSubject"_s)->text(), u"Sign in to Latchkey"_s);
    QVERIFY(viewer->findChild<QPushButton *>(u"openSignInLink"_s)->isVisible());
    QVERIFY(!viewer->findChild<QLabel *>(u"outboxEmpty"_s)->isVisible());
    QTest::mouseClick(viewer->findChild<QPushButton *>(u"copyCode"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), code);
    screenshot(*viewer, u"outbox-viewer-light"_s);
    QApplication::setPalette(darkPalette());
    screenshot(*viewer, u"outbox-viewer-dark"_s);

    // The code shown is the one the email carries: it signs in.
    client->submitCode(code);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedIn, kWaitMs);
}

void TestWindowBanner::outboxViewerSaysWhenTheOutboxIsEmpty()
{
    auto client = restoredClient(true);
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.show();
    QTest::mouseClick(window.findChild<QPushButton *>(u"openOutbox"_s), Qt::LeftButton);
    gui::OutboxViewer *viewer = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (viewer = window.findChild<gui::OutboxViewer *>()) && viewer->isVisible(), kWaitMs);
    auto *empty = viewer->findChild<QLabel *>(u"outboxEmpty"_s);
    QVERIFY(empty->isVisible());
    QCOMPARE(empty->text(), u"No sign-in email yet — request one and it will appear here."_s);
    QVERIFY(!viewer->findChild<QLabel *>(u"outboxCode"_s)->isVisible());
    screenshot(*viewer, u"outbox-viewer-empty"_s);
}

void TestWindowBanner::parsesOutboxMessages_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("link");

    const QByteArray qpText = "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                              "Open https://127.0.0.1:5555/cb?token=3Dabc=\r\ndef\r\n\r\n"
                              "    482913\r\n\r\nExpires in 15 minutes.\r\n";
    QTest::newRow("quoted-printable, soft break in the link")
            << QByteArray("To: a@example.com\r\nSubject: Sign in\r\nMIME-Version: 1.0\r\n") + qpText
            << true << u"Sign in"_s << u"482913"_s << u"https://127.0.0.1:5555/cb?token=abcdef"_s;
    QTest::newRow("encoded-word subject, folded")
            << QByteArray("Subject: =?utf-8?B?66Gc6re47J24?=\r\n =?utf-8?Q?_Latchkey?=\r\n") +
                    qpText
            << true << u"로그인 Latchkey"_s << u"482913"_s
            << u"https://127.0.0.1:5555/cb?token=abcdef"_s;
    QTest::newRow("multipart, html last")
            << QByteArray("Subject: Hi\nContent-Type: multipart/alternative; boundary=\"=_b\"\n\n"
                          "--=_b\nContent-Type: text/plain; charset=utf-8\n"
                          "Content-Transfer-Encoding: base64\n\n") +
                    QByteArray("Code:\n  123456\nhttp://localhost:1/x\n").toBase64() +
                    "\n--=_b\nContent-Type: text/html\n\n<p>999999</p>\n--=_b--\n"
            << true << u"Hi"_s << u"123456"_s << u"http://localhost:1/x"_s;
    QTest::newRow("multipart without a text part")
            << QByteArray("Subject: Hi\nContent-Type: multipart/alternative; boundary=b\n\n"
                          "--b\nContent-Type: text/html\n\n<p>1</p>\n--b--\n")
            << false << QString() << QString() << QString();
    QTest::newRow("no header section")
            << QByteArray("just text, no headers") << false << QString() << QString() << QString();
    QTest::newRow("empty") << QByteArray() << false << QString() << QString() << QString();
    QTest::newRow("no code, no link")
            << QByteArray("Subject: Note\n\nNothing to see (12345, 1234567).\n") << true
            << u"Note"_s << QString() << QString();
}

void TestWindowBanner::parsesOutboxMessages()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, valid);
    const auto message = gui::parseOutboxMessage(raw);
    QCOMPARE(message.has_value(), valid);
    if (!valid)
        return;
    QFETCH(QString, subject);
    QFETCH(QString, code);
    QFETCH(QString, link);
    QCOMPARE(message->subject, subject);
    QCOMPARE(message->code, code);
    QCOMPARE(message->link.toString(), link);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestWindowBanner)
#include "tst_window_banner.moc"
