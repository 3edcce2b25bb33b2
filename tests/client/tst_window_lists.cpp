// Profile's and Dashboard's lists as item views (sign-in methods, this device's sessions, the
// activity): provider labels and marks, "This session", events and relative times in words with
// the full local time in a tooltip, plurals, empty states; the pages' layouts from the window's
// minimum size with normal and doubled text; no style sheets; accessible names. The pages over
// plain values and a fixed "now"; the window over latchkey::Client on fakes.

#include "clientoverfakes.h"
#include "storage/database.h"
#include "widgets/itemlistmodels.h"
#include "widgets/itemlistview.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"
#include "widgets/relativetime.h"

#include <latchkey/client.h>
#include <latchkey/options.h>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

/// 15:00 local time on a Tuesday: "same day" and "yesterday" are unambiguous.
QDateTime fixedNow() { return QDateTime(QDate(2026, 3, 10), QTime(15, 0)).toUTC(); }

QList<Provider> providers()
{
    return {{u"g1"_s, u"Google"_s, ProviderPreset::Google},
            {u"gh"_s, u"GitHub"_s, ProviderPreset::GitHub},
            {u"acme"_s, u"Acme ID"_s, ProviderPreset::Oidc}};
}

Account account(qint64 id, const QString &provider, Account::Type type, const QString &subject)
{
    Account made;
    made.id = id;
    made.type = type;
    made.provider = provider;
    made.providerAccountId = subject;
    made.issuer =
            type == Account::Type::Email ? QString() : u"https://issuer.example/"_s + provider;
    made.createdAt = fixedNow().addDays(-3);
    return made;
}

Session session(int methods)
{
    Session made;
    made.sessionId = 7;
    made.user.id = 1;
    made.user.name = u"Ada Lovelace"_s;
    made.user.email = u"ada@example.com"_s;
    made.accounts = {account(11, u"email"_s, Account::Type::Email, u"ada@example.com"_s),
                     account(12, u"g1"_s, Account::Type::Oidc, u"1234567890"_s),
                     account(13, u"gh"_s, Account::Type::Oidc, u"583231"_s)};
    made.accounts = made.accounts.mid(0, methods);
    made.accounts.last().refreshedAt = fixedNow().addSecs(-2 * 3600);
    return made;
}

gui::ProfileContents contents()
{
    gui::ProfileContents made;
    made.providers = providers();
    made.linkable = {providers().at(2)};
    made.now = fixedNow();
    DeviceSession laptop{7,
                         u"laptop"_s,
                         fixedNow().addDays(-1),
                         fixedNow().addSecs(-300),
                         fixedNow().addDays(29),
                         true};
    DeviceSession tablet{8,
                         u"tablet"_s,
                         fixedNow().addDays(-5),
                         fixedNow().addDays(-2),
                         fixedNow().addDays(1),
                         false};
    made.deviceSessions = {tablet, laptop}; // the list puts this session first
    made.activity = {
            {fixedNow().addSecs(-2 * 3600), u"signIn"_s, 1, u"g1"_s, {}, {}},
            {fixedNow().addSecs(-3 * 86400), u"linkAccount"_s, 1, u"gh"_s, {}, {}},
            {fixedNow().addSecs(-40), u"signInFailed"_s, 1, u"gh"_s, ErrorCode::CodeWrong, {}}};
    return made;
}

QAbstractItemView *view(QWidget *page, const QString &name)
{
    return page->findChild<QAbstractItemView *>(name);
}

QString text(QAbstractItemView *list, int row, int role = Qt::DisplayRole)
{
    return list->model()->index(row, 0).data(role).toString();
}

/// Every visible widget laid out by `layout` (and its nested layouts).
QList<QWidget *> laidOut(QLayout *layout)
{
    QList<QWidget *> widgets;
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem *item = layout->itemAt(i);
        if (item->widget() && item->widget()->isVisible())
            widgets.append(item->widget());
        else if (item->layout())
            widgets += laidOut(item->layout());
    }
    return widgets;
}

/// Siblings in a layout never overlap, each lies inside its parent, no button or label is
/// squeezed below the size its text needs, and what scrolls only up and down is not wider than
/// its view.
void checkLayouts(QWidget *root)
{
    for (QScrollArea *area : root->findChildren<QScrollArea *>()) {
        if (area->horizontalScrollBarPolicy() != Qt::ScrollBarAlwaysOff || !area->widget())
            continue;
        const QString widths = QString::number(area->widget()->width()) + u" > "_s +
                QString::number(area->viewport()->width());
        QVERIFY2(area->widget()->width() <= area->viewport()->width(),
                 qPrintable(area->objectName() + u" is cut off on the right: "_s + widths));
    }
    QList<QLayout *> layouts = root->findChildren<QLayout *>();
    for (QLayout *layout : std::as_const(layouts)) {
        if (layout->parent() && qobject_cast<QLayout *>(layout->parent()))
            continue; // checked with its top layout, whose widgets share its parent
        QWidget *parent = layout->parentWidget();
        if (!parent || !parent->isVisible())
            continue;
        const QList<QWidget *> widgets = laidOut(layout);
        for (qsizetype i = 0; i < widgets.size(); ++i) {
            const QRect box = widgets[i]->geometry();
            QVERIFY2(parent->rect().contains(box),
                     qPrintable(widgets[i]->objectName() + u" leaves "_s + parent->objectName()));
            if (qobject_cast<QAbstractButton *>(widgets[i]) ||
                (qobject_cast<QLabel *>(widgets[i]) &&
                 !static_cast<QLabel *>(widgets[i])->wordWrap()))
                QVERIFY2(box.width() >= widgets[i]->minimumSizeHint().width(),
                         qPrintable(widgets[i]->objectName() + u" is cut off"_s));
            for (qsizetype j = i + 1; j < widgets.size(); ++j)
                QVERIFY2(!box.intersects(widgets[j]->geometry()),
                         qPrintable(widgets[i]->objectName() + u" overlaps "_s +
                                    widgets[j]->objectName()));
        }
    }
}

} // namespace

class TestWindowLists : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void relativeTimesInWords_data();
    void relativeTimesInWords();
    void fullTimeNamesTheZone();
    void methodsShowLabelsAndMarks();
    void githubMarkFollowsADarkPalette();
    void sessionsMarkThisSession();
    void activityInWordsWithFullTimes();
    void emptyListsSayWhatWillAppear();
    void unlinkFollowsTheSelection();
    void anotherSessionIsSignedOutFromTheList();
    void noStyleSheetsAndTitlesInTheirFont();
    void everyControlHasAnAccessibleName();
    void layoutsHoldFromTheMinimumSize_data();
    void layoutsHoldFromTheMinimumSize();

private:
    std::unique_ptr<Client> signedInClient();
    QWidget *openPage(gui::MainWindow &window, gui::View view);

    std::unique_ptr<QTemporaryDir> m_dir;
    Fakes m_fakes;
    QFont m_font;
    QPalette m_palette;
};

void TestWindowLists::initTestCase()
{
    m_font = QApplication::font();
    m_palette = QApplication::palette();
    // English with its plural forms ("1 minute ago", "5 minutes ago").
    QVERIFY(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestWindowLists::init() { m_dir = std::make_unique<QTemporaryDir>(); }

void TestWindowLists::cleanup()
{
    QApplication::setFont(m_font);
    QApplication::setPalette(m_palette);
    m_dir.reset();
}

void TestWindowLists::relativeTimesInWords_data()
{
    QTest::addColumn<qint64>("offset"); // seconds from now; negative: in the past
    QTest::addColumn<QString>("expected");
    QTest::newRow("seconds") << qint64(-20) << u"just now"_s;
    QTest::newRow("one minute") << qint64(-60) << u"1 minute ago"_s;
    QTest::newRow("minutes") << qint64(-5 * 60 - 10) << u"5 minutes ago"_s;
    QTest::newRow("one hour") << qint64(-3600) << u"1 hour ago"_s;
    QTest::newRow("hours") << qint64(-2 * 3600 - 59) << u"2 hours ago"_s;
    QTest::newRow("last night") << qint64(-16 * 3600) << u"yesterday"_s;
    QTest::newRow("days") << qint64(-3 * 86400) << u"3 days ago"_s;
    QTest::newRow("soon") << qint64(30) << u"in less than a minute"_s;
    QTest::newRow("in an hour") << qint64(3600) << u"in 1 hour"_s;
    QTest::newRow("tomorrow") << qint64(86400) << u"tomorrow"_s;
    QTest::newRow("in days") << qint64(29 * 86400) << u"in 29 days"_s;
    QTest::newRow("long ago") << qint64(-40 * 86400)
                              << QLocale().toString(fixedNow().toLocalTime().date().addDays(-40),
                                                    QLocale::ShortFormat);
}

void TestWindowLists::relativeTimesInWords()
{
    QFETCH(qint64, offset);
    QFETCH(QString, expected);
    QCOMPARE(gui::RelativeTime::between(fixedNow().addSecs(offset), fixedNow()), expected);
}

void TestWindowLists::fullTimeNamesTheZone()
{
    const QDateTime when = fixedNow().addSecs(-7200);
    const QString full = gui::RelativeTime::full(when);
    const QDateTime local = when.toLocalTime();
    QVERIFY2(full.contains(QLocale().toString(local.date(), QLocale::LongFormat)),
             qPrintable(full));
    QVERIFY2(full.contains(QLocale().toString(local.time(), QLocale::ShortFormat)),
             qPrintable(full));
    QVERIFY2(full.endsWith(local.timeZoneAbbreviation()), qPrintable(full));
}

void TestWindowLists::methodsShowLabelsAndMarks()
{
    gui::ProfilePage page(session(3), contents());
    auto *methods = view(&page, u"methods"_s);
    QVERIFY(methods);
    QCOMPARE(methods->model()->rowCount(), 3);
    QCOMPARE(text(methods, 0), u"Email"_s);
    QCOMPARE(text(methods, 0, gui::SecondaryTextRole), u"ada@example.com · added 3 days ago"_s);
    QCOMPARE(text(methods, 1), u"Google"_s);
    QCOMPARE(text(methods, 2), u"GitHub"_s);
    QCOMPARE(text(methods, 2, gui::SecondaryTextRole), u"added 3 days ago · updated 2 hours ago"_s);
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = methods->model()->index(row, 0);
        // Labels, never provider ids, issuer URLs or subjects.
        const QString shown = index.data(Qt::AccessibleTextRole).toString();
        QVERIFY2(!shown.contains(u"https://"_s) && !shown.contains(u"g1"_s) &&
                         !shown.contains(u"1234567890"_s),
                 qPrintable(shown));
        QVERIFY(shown.startsWith(index.data().toString()));
        QVERIFY(!index.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(index.data(Qt::ToolTipRole).toString().contains(u"Added: "_s));
    }
}

void TestWindowLists::githubMarkFollowsADarkPalette()
{
    const auto mark = [](const QString &file) {
        return QIcon(u":/latchkey/providers/"_s + file).pixmap(32).toImage();
    };
    const auto shown = [](QWidget &page) {
        const QModelIndex github = view(&page, u"methods"_s)->model()->index(2, 0);
        return github.data(Qt::DecorationRole).value<QIcon>().pixmap(32).toImage();
    };
    QVERIFY(mark(u"github.svg"_s) != mark(u"github-dark.svg"_s));
    gui::ProfilePage page(session(3), contents());
    page.setPalette(m_palette);
    QCOMPARE(shown(page), mark(u"github.svg"_s));
    page.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
    QCOMPARE(shown(page), mark(u"github-dark.svg"_s));
}

void TestWindowLists::sessionsMarkThisSession()
{
    gui::ProfilePage page(session(1), contents());
    auto *sessions = view(&page, u"sessions"_s);
    QCOMPARE(sessions->model()->rowCount(), 2);
    QCOMPARE(text(sessions, 0), u"laptop"_s);
    QCOMPARE(text(sessions, 0, gui::BadgeRole), u"This session"_s);
    QCOMPARE(text(sessions, 1, gui::BadgeRole), QString());
    QCOMPARE(text(sessions, 0, gui::SecondaryTextRole),
             u"Last active 5 minutes ago · expires in 29 days"_s);
    QCOMPARE(text(sessions, 1, gui::SecondaryTextRole),
             u"Last active 2 days ago · expires tomorrow"_s);
    QCOMPARE(text(sessions, 0, Qt::AccessibleTextRole),
             u"laptop, This session, Last active 5 minutes ago · expires in 29 days"_s);
    QVERIFY(text(sessions, 0, Qt::ToolTipRole)
                    .contains(gui::RelativeTime::full(fixedNow().addDays(29))));
}

void TestWindowLists::activityInWordsWithFullTimes()
{
    gui::ProfilePage page(session(1), contents());
    ProtectedData released;
    released.user = session(1).user;
    released.activeSessions = 2;
    released.recentActivity = contents().activity;
    gui::DashboardPage dashboard(released, providers(), nullptr, fixedNow());
    for (QWidget *shown : {static_cast<QWidget *>(&page), static_cast<QWidget *>(&dashboard)}) {
        auto *activity = view(shown, u"activity"_s);
        QCOMPARE(activity->model()->rowCount(), 3);
        QCOMPARE(text(activity, 0), u"Signed in with Google"_s);
        QCOMPARE(text(activity, 0, gui::SecondaryTextRole), u"2 hours ago"_s);
        QCOMPARE(text(activity, 0, Qt::ToolTipRole),
                 gui::RelativeTime::full(fixedNow().addSecs(-2 * 3600)));
        QCOMPARE(text(activity, 1), u"GitHub linked"_s);
        QCOMPARE(text(activity, 1, gui::SecondaryTextRole), u"3 days ago"_s);
        QCOMPARE(text(activity, 2), u"Sign-in with GitHub failed"_s);
        QCOMPARE(text(activity, 2, gui::SecondaryTextRole), u"just now"_s);
        QVERIFY2(text(activity, 2, Qt::ToolTipRole).contains(u"code is not right"_s),
                 qPrintable(text(activity, 2, Qt::ToolTipRole)));
        QCOMPARE(text(activity, 0, Qt::AccessibleTextRole),
                 u"Signed in with Google, 2 hours ago"_s);
    }
    QVERIFY2(dashboard.findChild<QLabel *>(u"status"_s)->text().contains(u"2 active sessions"_s),
             qPrintable(dashboard.findChild<QLabel *>(u"status"_s)->text()));
}

void TestWindowLists::emptyListsSayWhatWillAppear()
{
    gui::ProfileContents nothing;
    nothing.now = fixedNow();
    gui::ProfilePage page(session(1), nothing);
    gui::DashboardPage dashboard(ProtectedData{}, providers(), nullptr, fixedNow());
    const QList<QPair<QWidget *, QString>> lists{
            {&page, u"sessions"_s}, {&page, u"activity"_s}, {&dashboard, u"activity"_s}};
    for (const auto &[shown, name] : lists) {
        auto *list = shown->findChild<gui::ItemListView *>(name);
        QCOMPARE(list->model()->rowCount(), 0);
        QVERIFY2(list->placeholderText().endsWith(u"will appear here."_s),
                 qPrintable(list->placeholderText()));
        QCOMPARE(list->accessibleDescription(), list->placeholderText());
    }
    QCOMPARE(page.findChild<gui::ItemListView *>(u"activity"_s)->placeholderText(),
             u"Sign-ins, sign-outs and changes to your sign-in methods will appear here."_s);
    if (const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        for (const bool dark : {false, true}) {
            const QString tag = dark ? u"-dark"_s : QString();
            if (dark) {
                page.setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
                dashboard.setPalette(page.palette());
            }
            page.resize(560, 640);
            dashboard.resize(560, 420);
            QVERIFY(page.grab().save(dir + u"/lists-profile-empty"_s + tag + u".png"_s));
            QVERIFY(dashboard.grab().save(dir + u"/lists-dashboard-empty"_s + tag + u".png"_s));
        }
    }
    // A list with rows says nothing of the kind.
    gui::ProfilePage full(session(1), contents());
    QCOMPARE(full.findChild<gui::ItemListView *>(u"activity"_s)->accessibleDescription(),
             QString());
}

void TestWindowLists::unlinkFollowsTheSelection()
{
    gui::ProfilePage page(session(3), contents());
    auto *unlink = page.findChild<QPushButton *>(u"unlinkButton"_s);
    auto *methods = view(&page, u"methods"_s);
    QSignalSpy asked(&page, &gui::ProfilePage::unlinkRequested);
    QVERIFY(!unlink->isEnabled());
    methods->setCurrentIndex(methods->model()->index(1, 0));
    QVERIFY(unlink->isEnabled());
    unlink->click();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toLongLong(), 12);

    // The only way to sign in is never offered for unlinking.
    gui::ProfilePage only(session(1), contents());
    auto *onlyMethods = view(&only, u"methods"_s);
    onlyMethods->setCurrentIndex(onlyMethods->model()->index(0, 0));
    QVERIFY(!only.findChild<QPushButton *>(u"unlinkButton"_s)->isEnabled());
    // Linking still asks for the provider by id.
    QSignalSpy link(&only, &gui::ProfilePage::linkRequested);
    only.findChild<QPushButton *>(u"link_acme"_s)->click();
    QCOMPARE(link.first().first().toString(), u"acme"_s);
}

void TestWindowLists::anotherSessionIsSignedOutFromTheList()
{
    gui::ProfilePage page(session(1), contents());
    auto *sessions = view(&page, u"sessions"_s);
    auto *revoke = page.findChild<QPushButton *>(u"revokeSessionButton"_s);
    QSignalSpy asked(&page, &gui::ProfilePage::revokeSessionRequested);
    QVERIFY(!revoke->isEnabled());
    sessions->setCurrentIndex(sessions->model()->index(0, 0)); // this session: Sign out does that
    QVERIFY(!revoke->isEnabled());
    sessions->setCurrentIndex(sessions->model()->index(1, 0));
    QVERIFY(revoke->isEnabled());
    revoke->click();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toLongLong(), 8);

    // In the window: the other session ends and the list shows what is left.
    auto client = signedInClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    QWidget *profile = openPage(window, gui::View::Profile);
    QVERIFY(profile);
    QCOMPARE(view(profile, u"sessions"_s)->model()->rowCount(), 2);
    QCOMPARE(text(view(profile, u"sessions"_s), 1), u"tablet"_s);
    view(profile, u"sessions"_s)
            ->setCurrentIndex(view(profile, u"sessions"_s)->model()->index(1, 0));
    profile->findChild<QPushButton *>(u"revokeSessionButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(client->deviceSessions()->size(), 1, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<gui::ProfilePage *>() &&
                                     view(window.findChild<gui::ProfilePage *>(), u"sessions"_s)
                                                     ->model()
                                                     ->rowCount() == 1,
                             kWaitMs);
    QCOMPARE(client->state(), Client::State::SignedIn);
}

void TestWindowLists::noStyleSheetsAndTitlesInTheirFont()
{
    gui::ProfilePage page(session(2), contents());
    gui::DashboardPage dashboard(ProtectedData{}, providers(), nullptr, fixedNow());
    gui::HomePage home;
    gui::LoadingPage loading;
    for (QWidget *root : QList<QWidget *>{&page, &dashboard, &home, &loading}) {
        QList<QWidget *> widgets = root->findChildren<QWidget *>();
        widgets.append(root);
        for (QWidget *widget : std::as_const(widgets))
            QVERIFY2(widget->styleSheet().isEmpty(), qPrintable(widget->objectName()));
    }
    for (QWidget *root : QList<QWidget *>{&page, &dashboard}) {
        auto *title = root->findChild<QLabel *>(u"title"_s);
        QVERIFY(title->font().bold());
        QVERIFY(title->font().pointSizeF() > root->font().pointSizeF());
        QVERIFY(root->findChild<QLabel *>(u"activityTitle"_s)->font().bold());
    }
}

void TestWindowLists::everyControlHasAnAccessibleName()
{
    gui::ProfilePage page(session(2), contents());
    gui::DashboardPage dashboard(ProtectedData{}, providers(), nullptr, fixedNow());
    gui::HomePage home;
    for (QWidget *root : QList<QWidget *>{&page, &dashboard, &home}) {
        root->resize(800, 900);
        root->show();
        QVERIFY(QTest::qWaitForWindowExposed(root));
        QList<QWidget *> controls;
        for (auto *button : root->findChildren<QAbstractButton *>())
            controls.append(button);
        for (auto *list : root->findChildren<QAbstractItemView *>())
            controls.append(list);
        QVERIFY(controls.size() >= 2);
        for (QWidget *control : std::as_const(controls)) {
            if (control->isVisible())
                QVERIFY2(!control->accessibleName().isEmpty(), qPrintable(control->objectName()));
        }
        root->hide();
    }
    for (const QString &name : {u"methods"_s, u"sessions"_s, u"activity"_s}) {
        auto *list = view(&page, name);
        for (int row = 0; row < list->model()->rowCount(); ++row)
            QVERIFY(!text(list, row, Qt::AccessibleTextRole).isEmpty());
    }
}

std::unique_ptr<Client> TestWindowLists::signedInClient()
{
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    options.providers = {presets::google(u"cid"_s), presets::microsoft(u"cid"_s)};
    auto client = clientOverFakes(options, m_fakes);
    if (!client->restore().ok())
        return nullptr;
    QSignalSpy sent(client.get(), &Client::emailSent);
    QSignalSpy finished(client.get(), &Client::signInFinished);
    client->signInWithEmail(u"grace.hopper@example.com"_s);
    if (!sent.wait(kWaitMs))
        return nullptr;
    static const QRegularExpression kCode(u"\\b(\\d{6})\\b"_s);
    client->submitCode(kCode.match(m_fakes.mailer->messages().last().textBody).captured(1));
    if (!finished.wait(kWaitMs) || client->state() != Client::State::SignedIn)
        return nullptr;
    // A second session of Grace's (another device), so both session rows and actions show.
    auto db = Database::open(options.databasePath);
    const qint64 now = m_fakes.clock->now().toSecsSinceEpoch();
    if (!db.ok() ||
        !db.value()->run(
                u"INSERT INTO sessions (token_hash, user_id, expires, created_at, "
                u"last_seen_at, device_name) VALUES (?, ?, ?, ?, ?, 'tablet')"_s,
                {QByteArray("other"), client->session()->user.id, now + 86400 * 30, now, now},
                u"add a session"_s))
        return nullptr;
    return client;
}

QWidget *TestWindowLists::openPage(gui::MainWindow &window, gui::View view)
{
    window.openView(view);
    auto *stack = window.findChild<QStackedWidget *>(u"mainStack"_s);
    QWidget *page = stack->currentWidget();
    const bool right = view == gui::View::Profile
            ? qobject_cast<gui::ProfilePage *>(page) != nullptr
            : qobject_cast<gui::DashboardPage *>(page) != nullptr;
    return right ? page : nullptr;
}

void TestWindowLists::layoutsHoldFromTheMinimumSize_data()
{
    QTest::addColumn<gui::View>("view");
    QTest::addColumn<qreal>("textScale");
    QTest::addColumn<bool>("dark");
    for (const qreal scale : {1.0, 2.0}) {
        for (const bool dark : {false, true}) {
            const QByteArray suffix = (scale > 1 ? "-2x" : "-1x") + QByteArray(dark ? "-dark" : "");
            QTest::newRow(QByteArray("profile" + suffix).constData())
                    << gui::View::Profile << scale << dark;
            QTest::newRow(QByteArray("dashboard" + suffix).constData())
                    << gui::View::Dashboard << scale << dark;
        }
    }
}

void TestWindowLists::layoutsHoldFromTheMinimumSize()
{
    QFETCH(gui::View, view);
    QFETCH(qreal, textScale);
    QFETCH(bool, dark);
    QFont font = m_font;
    font.setPointSizeF(m_font.pointSizeF() * textScale);
    QApplication::setFont(font);
    if (dark)
        QApplication::setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
    auto client = signedInClient();
    QVERIFY(client);
    gui::MainWindow window(*client);
    window.start(gui::View::Home);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QWidget *page = openPage(window, view);
    QVERIFY(page);
    // The title grows with the text, in the palette's text colour (no style sheet).
    QVERIFY(page->findChild<QLabel *>(u"title"_s)->font().pointSizeF() >
            page->font().pointSizeF() * 1.5);
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    const QString name = QString::fromLatin1(QTest::currentDataTag());
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents(); // the page's layout settles (its minimum may grow)
    for (const QSize size : {window.minimumSizeHint(), QSize(1600, 1000)}) {
        window.resize(size);
        QTRY_COMPARE_WITH_TIMEOUT(window.size(), size.expandedTo(window.minimumSize()), kWaitMs);
        QApplication::processEvents();
        // A sensible minimum: the page never gets smaller than what it holds, nor tiny.
        QVERIFY(page->width() >= 400 && page->height() >= 300);
        QVERIFY(page->width() >= page->minimumWidth() && page->height() >= page->minimumHeight());
        checkLayouts(page);
        if (QTest::currentTestFailed())
            return;
        // The short lists show every row whole; the page scrolls instead.
        for (const QString &listName : {u"methods"_s, u"sessions"_s}) {
            auto *list = page->findChild<QAbstractItemView *>(listName);
            if (!list)
                continue; // Dashboard has the activity only
            const int rows = list->model()->rowCount();
            QVERIFY(list->viewport()->height() >= rows * list->sizeHintForRow(0));
        }
        if (!dir.isEmpty())
            QVERIFY(window.grab().save(dir + u"/lists-"_s + name +
                                       (size.width() >= 1600 ? u"-large.png"_s : u"-min.png"_s)));
    }
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestWindowLists)
#include "tst_window_lists.moc"
