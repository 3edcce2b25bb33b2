// The app window's structure over a latchkey::Client on fakes: the sidebar with the account
// switcher while signed in, Back and Forward (keys and mouse buttons), the window's keys, Escape
// during a waiting sign-in, layouts that hold from the minimum size to a large one (also with a
// doubled font), accessible names and the tab order.

#include "clientoverfakes.h"
#include "widgets/mainwindow.h"
#include "widgets/navigation.h"
#include "widgets/pages.h"

#include <latchkey/client.h>

#include <QAbstractItemView>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

QString describe(const QWidget *widget)
{
    QString name = widget->objectName();
    if (name.isEmpty())
        name = QString::fromLatin1(widget->metaObject()->className());
    const QRect g = widget->geometry();
    return u"%1 (%2,%3 %4×%5)"_s.arg(name).arg(g.x()).arg(g.y()).arg(g.width()).arg(g.height());
}

/// Every visible widget a layout places below `parent`: inside its parent, not empty, clear of its
/// visible siblings. A widget without a layout keeps its insides to itself (line edits, lists).
void checkLayout(const QWidget *parent, QStringList &problems)
{
    if (!parent->layout())
        return;
    QList<const QWidget *> shown;
    for (const QObject *child : parent->children()) {
        const auto *widget = qobject_cast<const QWidget *>(child);
        if (widget && !widget->isWindow() && widget->isVisible())
            shown.append(widget);
    }
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const QWidget *widget = shown.at(i);
        if (widget->geometry().isEmpty() || !parent->rect().contains(widget->geometry()))
            problems.append(u"%1 outside %2"_s.arg(describe(widget), describe(parent)));
        for (qsizetype j = i + 1; j < shown.size(); ++j) {
            if (widget->geometry().intersects(shown.at(j)->geometry()))
                problems.append(u"%1 overlaps %2"_s.arg(describe(widget), describe(shown.at(j))));
        }
        checkLayout(widget, problems);
    }
}

/// The checks of checkLayout() on the whole window at `size`.
QStringList layoutProblems(gui::MainWindow &window, const QSize &size)
{
    window.resize(size);
    QApplication::processEvents(); // layouts run on the posted LayoutRequest
    QStringList problems;
    if (window.size() != size.expandedTo(window.minimumSize()))
        problems.append(u"window is %1×%2"_s.arg(window.width()).arg(window.height()));
    checkLayout(&window, problems);
    return problems;
}

} // namespace

class TestWindowNavigation : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void historyIsABrowsersHistory();
    void sidebarShowsOnlyWhileSignedIn();
    void sidebarOpensViewsThroughTheGate();
    void backAndForwardWithKeysAndMouseButtons();
    void historyStartsAgainAfterSignOut();
    void closeAndQuitKeys();
    void escapeCancelsAWaitingEmailSignIn();
    void layoutHoldsFromMinimumToLargeSize_data();
    void layoutHoldsFromMinimumToLargeSize();
    void sidebarIsNamedForScreenReadersAndInTabOrder();
    void everyControlHasAnAccessibleName();
    void screenshots();

private:
    std::unique_ptr<Client> makeClient();
    void signInByCode(Client &client, const QString &address);
    /// A window signed in as ada@example.com, shown and active, on Home.
    std::unique_ptr<gui::MainWindow> signedInWindow(Client &client);
    QWidget *current(gui::MainWindow &window) const;
    QToolButton *entry(gui::MainWindow &window, const char *name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    Fakes m_fakes;
};

void TestWindowNavigation::init() { m_dir = std::make_unique<QTemporaryDir>(); }

void TestWindowNavigation::cleanup() { m_dir.reset(); }

std::unique_ptr<Client> TestWindowNavigation::makeClient()
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    auto client = clientOverFakes(options, m_fakes);
    if (!client->restore().ok())
        return nullptr;
    return client;
}

void TestWindowNavigation::signInByCode(Client &client, const QString &address)
{
    QSignalSpy sent(&client, &Client::emailSent);
    QSignalSpy finished(&client, &Client::sessionChanged);
    client.signInWithEmail(address);
    QVERIFY(sent.wait(kWaitMs));
    client.submitCode(codeIn(m_fakes.mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), Client::State::SignedIn, kWaitMs);
}

std::unique_ptr<gui::MainWindow> TestWindowNavigation::signedInWindow(Client &client)
{
    auto window = std::make_unique<gui::MainWindow>(client);
    window->start(gui::View::Home);
    window->show();
    QApplication::setActiveWindow(window.get());
    if (!QTest::qWaitForWindowActive(window.get()))
        return nullptr;
    signInByCode(client, u"ada@example.com"_s);
    const bool home = QTest::qWaitFor(
            [this, &window]() { return qobject_cast<gui::HomePage *>(current(*window)); }, kWaitMs);
    return home ? std::move(window) : nullptr;
}

QWidget *TestWindowNavigation::current(gui::MainWindow &window) const
{
    return window.findChild<QStackedWidget *>(u"mainStack"_s)->currentWidget();
}

QToolButton *TestWindowNavigation::entry(gui::MainWindow &window, const char *name) const
{
    return window.findChild<QToolButton *>(QLatin1String(name));
}

void TestWindowNavigation::historyIsABrowsersHistory()
{
    gui::ViewHistory history;
    QVERIFY(!history.back());
    history.visit(gui::View::Home);
    history.visit(gui::View::Home); // rebuilt: not a step
    history.visit(gui::View::Dashboard);
    history.visit(gui::View::Profile);
    QCOMPARE(history.back(), gui::View::Dashboard);
    QCOMPARE(history.back(), gui::View::Home);
    QVERIFY(!history.back());
    QCOMPARE(history.forward(), gui::View::Dashboard);
    history.visit(gui::View::Dashboard); // what back/forward opened: not a step
    QVERIFY(history.canGoForward());
    history.visit(gui::View::Home); // another view: Profile ahead is dropped
    QVERIFY(!history.canGoForward());
    QCOMPARE(history.back(), gui::View::Dashboard);
    history.clear();
    QVERIFY(!history.canGoBack());
    QVERIFY(!history.canGoForward());
}

void TestWindowNavigation::sidebarShowsOnlyWhileSignedIn()
{
    auto client = makeClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *navigation = window.findChild<QWidget *>(u"navigation"_s);
    QVERIFY(navigation);
    QTRY_COMPARE_WITH_TIMEOUT(current(window)->objectName(), u"signInWidget"_s, kWaitMs);
    // Signed out, the sign-in page has the whole window below the banner.
    QVERIFY(!navigation->isVisible());
    QVERIFY(!window.findChild<QWidget *>(u"header"_s)->isVisible());
    QCOMPARE(window.findChild<QStackedWidget *>(u"mainStack"_s)->width(),
             window.centralWidget()->width());

    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(current(window)), kWaitMs);
    QVERIFY(navigation->isVisible());
    auto *switcher = window.findChild<QToolButton *>(u"accountSwitcher"_s);
    QVERIFY(navigation->isAncestorOf(switcher));
    QVERIFY(switcher->isVisible());
    QCOMPARE(switcher->text(), u"ada"_s);
    QVERIFY(!switcher->icon().isNull()); // the initials: no picture was downloaded
    QVERIFY(switcher->y() < entry(window, "navHome")->y()); // at the top
    QVERIFY(entry(window, "navHome")->isChecked());
    QVERIFY(!entry(window, "navDashboard")->isChecked());
    for (const char *name : {"navHome", "navDashboard", "navProfile"})
        QVERIFY2(!entry(window, name)->icon().isNull(), name);

    // Adding an account: the sign-in page, with the sidebar kept to go back to Ada.
    window.findChild<QAction *>(u"addAccount"_s)->trigger();
    QCOMPARE(current(window)->objectName(), u"signInWidget"_s);
    QVERIFY(navigation->isVisible());
    QVERIFY(!entry(window, "navHome")->isChecked());
    QVERIFY(!window.findChild<QToolButton *>(u"goBackButton"_s)->isEnabled());
    // An address typed there and then left for Home: that sign-in is given up.
    int cancelled = 0;
    connect(client.get(), &Client::signInFinished, &window,
            [&cancelled](const Result<Session> &result) {
                cancelled += !result && result.error().kind == ErrorKind::Cancelled;
            });
    QSignalSpy sent(client.get(), &Client::emailSent);
    auto *email = window.findChild<QLineEdit *>(u"emailEdit"_s);
    QTest::keyClicks(email, u"bob@example.com"_s);
    QTest::keyClick(email, Qt::Key_Return);
    QVERIFY(sent.wait(kWaitMs));
    entry(window, "navHome")->click();
    QVERIFY(qobject_cast<gui::HomePage *>(current(window)));
    QTRY_COMPARE_WITH_TIMEOUT(cancelled, 1, kWaitMs);
    QCOMPARE(client->session()->user.email, u"ada@example.com"_s);

    client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(current(window)->objectName(), u"signInWidget"_s, kWaitMs);
    QVERIFY(!navigation->isVisible());
}

void TestWindowNavigation::sidebarOpensViewsThroughTheGate()
{
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    QTest::mouseClick(entry(*window, "navDashboard"), Qt::LeftButton);
    QVERIFY(qobject_cast<gui::DashboardPage *>(current(*window)));
    QVERIFY(entry(*window, "navDashboard")->isChecked());
    QVERIFY(!entry(*window, "navHome")->isChecked());
    // The page's own "← Home" gave way to the sidebar.
    QVERIFY(!current(*window)->findChild<QPushButton *>(u"backButton"_s)->isVisible());
    entry(*window, "navProfile")->setFocus();
    QTest::keyClick(entry(*window, "navProfile"), Qt::Key_Space); // keyboard reachable
    QVERIFY(qobject_cast<gui::ProfilePage *>(current(*window)));
    QVERIFY(entry(*window, "navProfile")->isChecked());
    // Clicking the open view's entry keeps it highlighted.
    QTest::mouseClick(entry(*window, "navProfile"), Qt::LeftButton);
    QVERIFY(entry(*window, "navProfile")->isChecked());

    // The session runs out: the Dashboard entry asks for sign-in first.
    m_fakes.clock->advance(400LL * 24 * 3600);
    QTest::mouseClick(entry(*window, "navDashboard"), Qt::LeftButton);
    QCOMPARE(current(*window)->objectName(), u"signInWidget"_s);
    QVERIFY(!entry(*window, "navDashboard")->isChecked());
}

void TestWindowNavigation::backAndForwardWithKeysAndMouseButtons()
{
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    auto *back = window->findChild<QToolButton *>(u"goBackButton"_s);
    auto *forward = window->findChild<QToolButton *>(u"goForwardButton"_s);
    QVERIFY(back && forward);
    QVERIFY(!back->isEnabled());
    entry(*window, "navDashboard")->click();
    entry(*window, "navProfile")->click();
    QVERIFY(back->isEnabled());
    QVERIFY(!forward->isEnabled());

    QTest::keyClick(window.get(), Qt::Key_Left, Qt::AltModifier);
    QVERIFY(qobject_cast<gui::DashboardPage *>(current(*window)));
    QVERIFY(entry(*window, "navDashboard")->isChecked());
    QTest::keyClick(window.get(), Qt::Key_Left, Qt::AltModifier);
    QVERIFY(qobject_cast<gui::HomePage *>(current(*window)));
    QVERIFY(!back->isEnabled());
    QTest::keyClick(window.get(), Qt::Key_Right, Qt::AltModifier);
    QVERIFY(qobject_cast<gui::DashboardPage *>(current(*window)));

    // The mouse's back and forward buttons, over the page.
    QTest::mouseClick(current(*window), Qt::BackButton);
    QVERIFY(qobject_cast<gui::HomePage *>(current(*window)));
    QTest::mouseClick(current(*window), Qt::ForwardButton);
    QVERIFY(qobject_cast<gui::DashboardPage *>(current(*window)));
    // The buttons in the header.
    QTest::mouseClick(forward, Qt::LeftButton);
    QVERIFY(qobject_cast<gui::ProfilePage *>(current(*window)));
    QTest::mouseClick(back, Qt::LeftButton);
    QVERIFY(qobject_cast<gui::DashboardPage *>(current(*window)));

    // Another view opened from the middle drops what was ahead.
    entry(*window, "navHome")->click();
    QVERIFY(!forward->isEnabled());
    QTest::keyClick(window.get(), Qt::Key_Right, Qt::AltModifier);
    QVERIFY(qobject_cast<gui::HomePage *>(current(*window)));
}

void TestWindowNavigation::historyStartsAgainAfterSignOut()
{
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    entry(*window, "navDashboard")->click();
    entry(*window, "navHome")->click();
    current(*window)->findChild<QPushButton *>(u"signOutButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(current(*window)->objectName(), u"signInWidget"_s, kWaitMs);
    // Alt+Left on the sign-in page leaves it alone.
    QTest::keyClick(window.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(current(*window)->objectName(), u"signInWidget"_s);

    m_fakes.clock->advance(60);
    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(current(*window)), kWaitMs);
    QVERIFY(!window->findChild<QToolButton *>(u"goBackButton"_s)->isEnabled());
    QTest::keyClick(window.get(), Qt::Key_Left, Qt::AltModifier);
    QVERIFY(qobject_cast<gui::HomePage *>(current(*window))); // not the Dashboard of before
}

void TestWindowNavigation::closeAndQuitKeys()
{
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    QTest::keyClick(window.get(), Qt::Key_W, Qt::ControlModifier);
    QVERIFY(!window->isVisible());

    window->show();
    QApplication::setActiveWindow(window.get());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    auto *quit = window->findChild<QAction *>(u"quit"_s);
    QVERIFY(quit);
    QSignalSpy quitting(quit, &QAction::triggered);
    QTest::keyClick(window.get(), Qt::Key_Q, Qt::ControlModifier);
    QCOMPARE(quitting.size(), 1);
    QVERIFY(!window->isVisible());
}

void TestWindowNavigation::escapeCancelsAWaitingEmailSignIn()
{
    auto client = makeClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_COMPARE_WITH_TIMEOUT(current(window)->objectName(), u"signInWidget"_s, kWaitMs);
    auto *email = window.findChild<QLineEdit *>(u"emailEdit"_s);
    email->setFocus();
    QTest::keyClicks(email, u"ada@example.com"_s);
    QTest::keyClick(email, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SigningIn, kWaitMs);
    auto *code = window.findChild<QLineEdit *>(u"codeEdit"_s);
    QTRY_VERIFY_WITH_TIMEOUT(code->isVisible(), kWaitMs);
    code->setFocus();
    QTest::keyClick(code, Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(email->isVisible(), kWaitMs); // back to the address
}

void TestWindowNavigation::layoutHoldsFromMinimumToLargeSize_data()
{
    QTest::addColumn<int>("fontScale");
    QTest::newRow("1×") << 1;
    QTest::newRow("2× font") << 2; // stands in for 2× scale with large text
}

void TestWindowNavigation::layoutHoldsFromMinimumToLargeSize()
{
    QFETCH(int, fontScale);
    const QFont original = QApplication::font();
    QFont font = original;
    font.setPointSizeF(original.pointSizeF() * fontScale);
    QApplication::setFont(font);
    const auto restoreFont = qScopeGuard([&original]() { QApplication::setFont(original); });

    auto client = makeClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(current(window)->objectName(), u"signInWidget"_s, kWaitMs);
    // A minimum is set, and it fits a 1366×768 laptop at 1×.
    QVERIFY(window.minimumWidth() >= 480 && window.minimumHeight() >= 360);
    if (fontScale == 1)
        QVERIFY(window.minimumWidth() <= 1366 && window.minimumHeight() <= 700);
    const auto check = [&window](const QString &state) {
        // A new page settles its minimum on the layout requests that follow its construction
        // (Profile's content width, then the window's): as on screen before a person can act.
        for (int settle = 0; settle < 3; ++settle)
            QApplication::processEvents();
        const QSize large = QSize(1920, 1200).expandedTo(window.minimumSize());
        for (const QSize &size : {window.minimumSize(), large}) {
            const QStringList problems = layoutProblems(window, size);
            QVERIFY2(problems.isEmpty(),
                     qPrintable(u"%1 at %2×%3: %4"_s.arg(state)
                                        .arg(size.width())
                                        .arg(size.height())
                                        .arg(problems.join(u"; "_s))));
        }
    };
    check(u"signed out"_s);
    if (QTest::currentTestFailed())
        return;

    signInByCode(*client, u"ada@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<gui::HomePage *>(current(window)), kWaitMs);
    auto *navigation = window.findChild<QWidget *>(u"navigation"_s);
    auto *header = window.findChild<QWidget *>(u"header"_s);
    QVERIFY(navigation && header);
    QList<int> widths;
    QList<int> heights;
    for (const char *name : {"navHome", "navDashboard", "navProfile", "navHome"}) {
        window.resize(window.minimumSize());
        entry(window, name)->click();
        check(QString::fromLatin1(name));
        if (QTest::currentTestFailed())
            return;
        widths.append(navigation->width());
        heights.append(header->height());
    }
    // No layout jump between views.
    QCOMPARE(widths, QList<int>(widths.size(), widths.first()));
    QCOMPARE(heights, QList<int>(heights.size(), heights.first()));
}

void TestWindowNavigation::sidebarIsNamedForScreenReadersAndInTabOrder()
{
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    QList<QWidget *> named{window->findChild<QToolButton *>(u"accountSwitcher"_s)};
    for (const char *name : {"navHome", "navDashboard", "navProfile"})
        named.append(entry(*window, name));
    for (QWidget *widget : std::as_const(named)) {
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(widget);
        QVERIFY(accessible);
        QVERIFY2(!accessible->text(QAccessible::Name).isEmpty(), qPrintable(widget->objectName()));
        QVERIFY2(!accessible->text(QAccessible::Description).isEmpty(),
                 qPrintable(widget->objectName()));
    }
    QCOMPARE(QAccessible::queryAccessibleInterface(entry(*window, "navDashboard"))
                     ->text(QAccessible::Name),
             u"Dashboard"_s);

    // Tab: the switcher, the entries in order, then the page.
    named.first()->setFocus();
    for (qsizetype i = 1; i < named.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), named.at(i));
    }
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QVERIFY2(current(*window)->isAncestorOf(QApplication::focusWidget()),
             qPrintable(QApplication::focusWidget()->objectName()));
}

// What a screen reader gets for every control a person can reach, on every view and signed out:
// a name (its own, or its text), never nothing.
void TestWindowNavigation::everyControlHasAnAccessibleName()
{
    auto client = makeClient();
    QVERIFY(client);
    const auto unnamed = [](const QWidget &window) {
        QStringList found;
        for (QWidget *widget : window.findChildren<QWidget *>()) {
            const bool control = qobject_cast<QAbstractButton *>(widget) ||
                    qobject_cast<QLineEdit *>(widget) || qobject_cast<QAbstractItemView *>(widget);
            if (!control || !widget->isVisible() || widget->focusPolicy() == Qt::NoFocus)
                continue;
            QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(widget);
            if (!accessible || accessible->text(QAccessible::Name).trimmed().isEmpty())
                found.append(describe(widget));
        }
        return found;
    };
    {
        gui::MainWindow signedOut(*client);
        signedOut.show();
        signedOut.start();
        QTRY_VERIFY_WITH_TIMEOUT(client->state() == Client::State::SignedOut, kWaitMs);
        QVERIFY(QTest::qWaitForWindowExposed(&signedOut));
        const QStringList found = unnamed(signedOut);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u", "_s)));
    }
    auto window = signedInWindow(*client);
    QVERIFY(window);
    for (const gui::View view : {gui::View::Home, gui::View::Dashboard, gui::View::Profile}) {
        window->openView(view);
        QApplication::processEvents();
        const QStringList found = unnamed(*window);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u", "_s)));
    }
}

// LATCHKEY_SCREENSHOT_DIR=<dir>: every view signed in, at the minimum and a large size, in a
// light and a dark palette, for a person to look at.
void TestWindowNavigation::screenshots()
{
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("LATCHKEY_SCREENSHOT_DIR is not set");
    auto client = makeClient();
    QVERIFY(client);
    auto window = signedInWindow(*client);
    QVERIFY(window);
    const QPalette light = window->palette();
    const QList<std::pair<QString, QPalette>> palettes{
            {u"light"_s, light}, {u"dark"_s, QPalette(QColor(0x20, 0x21, 0x24))}};
    for (const auto &[paletteName, palette] : palettes) {
        window->setPalette(palette);
        for (const char *name : {"navHome", "navDashboard", "navProfile"}) {
            entry(*window, name)->click();
            for (const auto &[sizeName, size] : {std::pair{u"min"_s, window->minimumSize()},
                                                 std::pair{u"large"_s, QSize(1280, 860)}}) {
                window->resize(size);
                QTest::qWait(50);
                QVERIFY(window->grab().save(u"%1/nav-%2-%3-%4.png"_s.arg(
                        dir, QString::fromLatin1(name).mid(3).toLower(), sizeName, paletteName)));
            }
        }
    }
    // Large text: Profile at the minimum size with the font doubled.
    window->setPalette(light);
    const QFont original = QApplication::font();
    QFont font = original;
    font.setPointSizeF(original.pointSizeF() * 2);
    QApplication::setFont(font);
    entry(*window, "navProfile")->click();
    QApplication::processEvents();
    window->resize(window->minimumSize());
    QTest::qWait(50);
    const bool saved = window->grab().save(dir + u"/nav-profile-min-2x-font.png"_s);
    QApplication::setFont(original);
    QVERIFY(saved);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestWindowNavigation)
#include "tst_window_navigation.moc"
