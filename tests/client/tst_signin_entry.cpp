// SignInWidget over a Client with fakes (clock, keychain, mailer, browser) and a real SQLite file:
// code entry (digits only, pasted codes, the sixth digit signs in, a short code never costs a
// try, tries left after a wrong one), countdowns that tick without moving anything, Esc on the
// waiting pages, the "Last used" method, a provider's address that belongs to an email account,
// accessible names, and sign-ins by keyboard alone.

#include "clientoverfakes.h"
#include "fakebrowser.h"
#include "oidc/tst_flow_httpserver.h"

#include <latchkey/client.h>
#include <latchkey/widgets/signinwidget.h>

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;
const QString kAddress = u"ivy@example.com"_s;

/// A code that is not `code` (each digit moved by one).
QString wrongCode(const QString &code)
{
    QString wrong;
    for (const QChar c : code)
        wrong.append(QChar(u'0' + (c.digitValue() + 1) % 10));
    return wrong;
}

} // namespace

class TestSignInEntry : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void pastedCodeIsNormalisedAndSignsIn_data();
    void pastedCodeIsNormalisedAndSignsIn();
    void malformedCodeNeverUsesATry_data();
    void malformedCodeNeverUsesATry();
    void wrongCodeEmptiesTheFieldAndCountsTries();
    void errorAndCountdownMoveNothing();
    void rateLimitCountsDownAndGivesTheActionBack();
    void emailLimitCountsDownUnderTheEmailButton();
    void emailFieldHasTheFocus();
    void escapeCancelsAWaitingSignIn_data();
    void escapeCancelsAWaitingSignIn();
    void lastUsedMethodIsTaggedAndForgotten();
    void addressOfAnEmailAccountNamesTheMethod();
    void googleButtonFollowsGooglesBranding();
    void everyControlHasAnAccessibleName();
    void emailSignInByKeyboardOnly();
    void providerSignInByKeyboardOnly();

private:
    /// A client over fresh fakes; with `withProvider` a plain OAuth 2.0 provider "Forge" on
    /// m_provider, or else `providers`.
    void makeClient(bool withProvider = false, const QList<ProviderOptions> &providers = {});
    void showWidget();
    QWidget *page(const QString &name) const;
    QWidget *currentPage() const;
    QLineEdit *codeEdit() const
    {
        return page(u"checkEmailPage"_s)->findChild<QLineEdit *>(u"codeEdit"_s);
    }
    QLabel *codeError() const
    {
        return page(u"checkEmailPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    }
    QLineEdit *emailEdit() const
    {
        return page(u"signInPage"_s)->findChild<QLineEdit *>(u"emailEdit"_s);
    }
    QPushButton *button(const QString &pageName, const QString &name) const;
    void startEmailSignIn();
    /// Approves the sign-in the browser was asked to open after `openedBefore` earlier ones.
    void approveAtProvider(qsizetype openedBefore, const QByteArray &userInfo);
    void screenshot(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CannedHttpServer> m_provider;
    std::unique_ptr<Client> m_client;
    std::unique_ptr<SignInWidget> m_widget;
    Fakes m_fakes;
    std::unique_ptr<FakeBrowser> m_browser;
};

void TestSignInEntry::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_browser = std::make_unique<FakeBrowser>();
}

void TestSignInEntry::cleanup()
{
    m_widget.reset();
    m_client.reset();
    m_provider.reset();
    m_dir.reset();
}

void TestSignInEntry::makeClient(bool withProvider, const QList<ProviderOptions> &providers)
{
    m_widget.reset();
    m_client.reset();
    Options options;
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    options.providers = providers;
    if (withProvider) {
        if (!m_provider) {
            m_provider = std::make_unique<CannedHttpServer>();
            QVERIFY(m_provider->listen());
        }
        options.allowHttpLoopbackIssuer = true;
        options.providers = {presets::oauth2(u"forge"_s, m_provider->url(u"/auth"_s),
                                             m_provider->url(u"/token"_s),
                                             m_provider->url(u"/me"_s), u"app"_s)};
        options.providers.last().label = u"Forge"_s;
    }
    m_client = clientOverFakes(options, m_fakes);
    m_client->setBrowserLauncher(m_browser.get());
    QVERIFY(m_client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
}

void TestSignInEntry::showWidget()
{
    m_widget = std::make_unique<SignInWidget>(*m_client);
    m_widget->resize(520, 560);
    m_widget->show();
    m_widget->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_widget.get()));
    QTRY_VERIFY_WITH_TIMEOUT(page(u"signInPage"_s)->isVisible(), kWaitMs);
}

QWidget *TestSignInEntry::page(const QString &name) const
{
    return m_widget->findChild<QWidget *>(name);
}

QWidget *TestSignInEntry::currentPage() const
{
    return m_widget->findChild<QStackedWidget *>(u"signInStack"_s)->currentWidget();
}

QPushButton *TestSignInEntry::button(const QString &pageName, const QString &name) const
{
    return page(pageName)->findChild<QPushButton *>(name);
}

void TestSignInEntry::startEmailSignIn()
{
    emailEdit()->setText(kAddress);
    button(u"signInPage"_s, u"emailButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"checkEmailPage"_s), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(codeEdit()->hasFocus(), kWaitMs);
}

// The browser comes back from the provider; the code is exchanged and `userInfo` read.
void TestSignInEntry::approveAtProvider(qsizetype openedBefore, const QByteArray &userInfo)
{
    QTRY_COMPARE_WITH_TIMEOUT(m_browser->opened().size(), openedBefore + 1, kWaitMs);
    const QUrlQuery query(m_browser->opened().last());
    m_provider->enqueue(200, R"({"access_token":"at","token_type":"Bearer"})");
    m_provider->enqueue(200, userInfo);
    QUrl back(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded));
    back.setQuery(u"code=c&state=%1"_s.arg(query.queryItemValue(u"state"_s)));
    QNetworkAccessManager http;
    http.setProxy(QNetworkProxy::NoProxy);
    std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(back)));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
}

void TestSignInEntry::screenshot(const QString &name)
{
    const QString dir = qEnvironmentVariable("LATCHKEY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    const QSize size = m_widget->size();
    // The narrowest width, and the height its wrapped lines need there.
    const QSize least = m_widget->minimumSizeHint();
    m_widget->resize(least.width(), qMax(least.height(), m_widget->heightForWidth(least.width())));
    QVERIFY(m_widget->grab().save(dir + u"/entry-"_s + name + u".png"_s));
    const QPalette light = m_widget->palette();
    m_widget->setPalette(QPalette(QColor(0x20, 0x21, 0x24)));
    QVERIFY(m_widget->grab().save(dir + u"/entry-"_s + name + u"-dark.png"_s));
    m_widget->setPalette(light);
    m_widget->resize(size);
}

void TestSignInEntry::pastedCodeIsNormalisedAndSignsIn_data()
{
    QTest::addColumn<QString>("pattern"); // %1: the first three digits, %2: the last three
    QTest::newRow("space") << u"%1 %2"_s;
    QTest::newRow("surrounding spaces") << u" %1%2 "_s;
    QTest::newRow("dash") << u"%1-%2"_s;
}

void TestSignInEntry::pastedCodeIsNormalisedAndSignsIn()
{
    QFETCH(QString, pattern);
    makeClient();
    showWidget();
    startEmailSignIn();
    QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
    const QString code = codeIn(m_fakes.mailer->messages().last());
    QGuiApplication::clipboard()->setText(pattern.arg(code.left(3), code.mid(3)));
    QTest::keySequence(codeEdit(), QKeySequence::Paste);
    // No button press: the pasted sixth digit signs in.
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    QCOMPARE(m_client->state(), Client::State::SignedIn);
}

void TestSignInEntry::malformedCodeNeverUsesATry_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("shown");
    QTest::newRow("five digits") << u"12345"_s << u"12345"_s;
    QTest::newRow("letters") << u"abcdef"_s << QString();
    QTest::newRow("digits and letters") << u"12a45x"_s << u"1245"_s;
}

void TestSignInEntry::malformedCodeNeverUsesATry()
{
    QFETCH(QString, typed);
    QFETCH(QString, shown);
    makeClient();
    showWidget();
    startEmailSignIn();
    QSignalSpy rejected(m_client.get(), &Client::codeRejected);
    QTest::keyClicks(codeEdit(), typed);
    QCOMPARE(codeEdit()->text(), shown);
    QTest::keyClick(codeEdit(), Qt::Key_Return);
    button(u"checkEmailPage"_s, u"verifyButton"_s)->click();
    QTest::qWait(100);
    QCOMPARE(rejected.size(), 0); // the client never saw it
    QVERIFY(codeError()->isVisible());
    QCOMPARE(codeError()->text(), u"Enter all 6 digits of the code from the email."_s);

    // All five tries are still there.
    codeEdit()->clear();
    QTest::keyClicks(codeEdit(), wrongCode(codeIn(m_fakes.mailer->messages().last())));
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWaitMs);
    QCOMPARE(rejected.first().first().value<Error>().remainingAttempts, 4);
}

void TestSignInEntry::wrongCodeEmptiesTheFieldAndCountsTries()
{
    makeClient();
    showWidget();
    startEmailSignIn();
    QSignalSpy rejected(m_client.get(), &Client::codeRejected);
    const QString wrong = wrongCode(codeIn(m_fakes.mailer->messages().last()));
    const QStringList expected{u"4 tries left."_s, u"3 tries left."_s, u"2 tries left."_s,
                               u"This is your last try."_s};
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QTest::keyClicks(codeEdit(), wrong);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), i + 1, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(codeEdit()->hasFocus(), kWaitMs);
        QCOMPARE(codeEdit()->text(), QString());
        QVERIFY2(codeError()->text().endsWith(expected[i]), qPrintable(codeError()->text()));
        QVERIFY(codeError()->isVisible());
    }
}

void TestSignInEntry::errorAndCountdownMoveNothing()
{
    makeClient();
    showWidget();
    startEmailSignIn();
    QWidget *checkPage = page(u"checkEmailPage"_s);
    QPushButton *resend = button(u"checkEmailPage"_s, u"resendButton"_s);
    QPushButton *other = button(u"checkEmailPage"_s, u"otherAddressButton"_s);
    const QRect field(codeEdit()->mapTo(checkPage, QPoint()), codeEdit()->size());
    const QRect otherAt(other->mapTo(checkPage, QPoint()), other->size());
    const QString before = resend->text();
    QVERIFY2(before.startsWith(u"Resend in 0"_s), qPrintable(before));
    QVERIFY(!resend->isEnabled());
    screenshot(u"check-email"_s);

    QSignalSpy rejected(m_client.get(), &Client::codeRejected);
    QTest::keyClicks(codeEdit(), wrongCode(codeIn(m_fakes.mailer->messages().last())));
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWaitMs);
    QVERIFY(codeError()->isVisible());
    QCOMPARE(QRect(codeEdit()->mapTo(checkPage, QPoint()), codeEdit()->size()), field);
    // The countdown ticks each second; nothing beside it moves.
    QTRY_VERIFY_WITH_TIMEOUT(resend->text() != before, 2500);
    QVERIFY2(resend->text().startsWith(u"Resend in 0"_s), qPrintable(resend->text()));
    QCOMPARE(QRect(other->mapTo(checkPage, QPoint()), other->size()), otherAt);
    QCOMPARE(QRect(codeEdit()->mapTo(checkPage, QPoint()), codeEdit()->size()), field);
    screenshot(u"wrong-code"_s);
}

void TestSignInEntry::rateLimitCountsDownAndGivesTheActionBack()
{
    makeClient();
    showWidget();
    startEmailSignIn();
    QPushButton *resend = button(u"checkEmailPage"_s, u"resendButton"_s);
    // The cool-down is nearly over: asking now is refused with two seconds left.
    m_fakes.clock->advance(58);
    QSignalSpy failed(m_client.get(), &Client::resendFailed);
    m_client->resendEmail();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWaitMs);
    const Error error = failed.first().first().value<Error>();
    QCOMPARE(error.kind, ErrorKind::RateLimited);
    QCOMPARE(error.retryAfterSecs, 2);
    const QString first = codeError()->text();
    QVERIFY2(first.contains(u"2 second"_s), qPrintable(first));
    QVERIFY(!resend->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(codeError()->text().contains(u"1 second"_s), 1500);
    QVERIFY(!resend->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(resend->isEnabled(), 1500);
    QVERIFY(!codeError()->isVisible());
    QCOMPARE(resend->text(), u"Resend email"_s);
}

void TestSignInEntry::emailLimitCountsDownUnderTheEmailButton()
{
    makeClient();
    showWidget();
    // Five emails to the address this hour, each expired before the next.
    for (int i = 0; i < 5; ++i) {
        QSignalSpy sent(m_client.get(), &Client::emailSent);
        m_client->signInWithEmail(kAddress);
        QVERIFY(sent.wait(kWaitMs));
        m_client->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
        m_fakes.clock->advance(601);
    }
    m_fakes.clock->advance(3598 - 5 * 601); // the first one is an hour old in two seconds
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"signInPage"_s), kWaitMs);
    QPushButton *send = button(u"signInPage"_s, u"emailButton"_s);
    auto *error = page(u"signInPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    emailEdit()->setText(kAddress);
    send->click();
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), kWaitMs);
    QVERIFY2(error->text().contains(u"2 second"_s), qPrintable(error->text()));
    QVERIFY(!send->isEnabled());
    // Under the email button, above "or" and the providers.
    QVERIFY(error->mapTo(m_widget.get(), QPoint()).y() >
            send->mapTo(m_widget.get(), QPoint(0, send->height())).y());
    QTRY_VERIFY_WITH_TIMEOUT(error->text().contains(u"1 second"_s), 1500);
    QVERIFY(!send->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 1500);
    QVERIFY(!error->isVisible());
}

void TestSignInEntry::emailFieldHasTheFocus()
{
    makeClient();
    showWidget();
    QTRY_VERIFY_WITH_TIMEOUT(emailEdit()->hasFocus(), kWaitMs);
    startEmailSignIn();
    button(u"checkEmailPage"_s, u"otherAddressButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"signInPage"_s), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(emailEdit()->hasFocus(), kWaitMs);
    // The earlier address is selected: typing replaces it.
    QCOMPARE(emailEdit()->selectedText(), kAddress);
}

void TestSignInEntry::escapeCancelsAWaitingSignIn_data()
{
    QTest::addColumn<bool>("email");
    QTest::newRow("check email") << true;
    QTest::newRow("waiting for the browser") << false;
}

void TestSignInEntry::escapeCancelsAWaitingSignIn()
{
    QFETCH(bool, email);
    makeClient(true);
    showWidget();
    if (email) {
        startEmailSignIn();
    } else {
        button(u"signInPage"_s, u"provider_forge"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"waitingPage"_s), kWaitMs);
    }
    QCOMPARE(m_client->state(), Client::State::SigningIn);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"signInPage"_s), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
}

void TestSignInEntry::lastUsedMethodIsTaggedAndForgotten()
{
    makeClient(true);
    const auto tag = [this](const QString &name) {
        return button(u"signInPage"_s, name)->findChild<QLabel *>(u"lastUsedTag"_s);
    };
    showWidget();
    QVERIFY(!tag(u"emailButton"_s)->isVisible());
    QVERIFY(!tag(u"provider_forge"_s)->isVisible());
    QCOMPARE(emailEdit()->text(), QString());
    startEmailSignIn();
    QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
    QTest::keyClicks(codeEdit(), codeIn(m_fakes.mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    m_client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);

    // The next run: the address is there and the email button says it was used last.
    makeClient(true);
    QCOMPARE(m_client->lastSignIn().providerId, u"email"_s);
    showWidget();
    QCOMPARE(emailEdit()->text(), kAddress);
    QVERIFY(tag(u"emailButton"_s)->isVisible());
    QCOMPARE(tag(u"emailButton"_s)->text(), u"Last used"_s);
    QVERIFY(!tag(u"provider_forge"_s)->isVisible());
    QVERIFY(button(u"signInPage"_s, u"emailButton"_s)
                    ->accessibleDescription()
                    .contains(u"used last on this device"_s));
    screenshot(u"last-used"_s);

    button(u"signInPage"_s, u"provider_forge"_s)->click();
    approveAtProvider(m_browser->opened().size(), R"({"sub":"forge-7"})");
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedIn, kWaitMs);
    m_client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
    makeClient(true);
    showWidget();
    QVERIFY(tag(u"provider_forge"_s)->isVisible());
    QVERIFY(!tag(u"emailButton"_s)->isVisible());
    QCOMPARE(emailEdit()->text(), QString()); // a provider sign-in names no address to fill in

    // Deleting the local data forgets it.
    button(u"signInPage"_s, u"provider_forge"_s)->click();
    approveAtProvider(m_browser->opened().size(), R"({"sub":"forge-7"})");
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedIn, kWaitMs);
    QSignalSpy signedOut(m_client.get(), &Client::signOutFinished);
    m_client->deleteLocalData();
    QTRY_COMPARE_WITH_TIMEOUT(signedOut.size(), 1, kWaitMs);
    // The Forge person is forgotten; the email sign-in of the other person is the newest left.
    QCOMPARE(m_client->lastSignIn().providerId, u"email"_s);
    makeClient(true);
    showWidget();
    QVERIFY(!tag(u"provider_forge"_s)->isVisible());
    QVERIFY(tag(u"emailButton"_s)->isVisible());
}

void TestSignInEntry::addressOfAnEmailAccountNamesTheMethod()
{
    makeClient(true);
    showWidget();
    startEmailSignIn();
    QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
    QTest::keyClicks(codeEdit(), codeIn(m_fakes.mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    m_client->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), Client::State::SignedOut, kWaitMs);
    makeClient(true);
    showWidget();
    emailEdit()->clear();

    QPushButton *forge = button(u"signInPage"_s, u"provider_forge"_s);
    forge->click();
    approveAtProvider(m_browser->opened().size(),
                      R"({"sub":"forge-9","email":"ivy@example.com","email_verified":true})");
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"signInPage"_s), kWaitMs);
    auto *error = page(u"signInPage"_s)->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), kWaitMs);
    QCOMPARE(error->text(),
             u"ivy@example.com already belongs to an account that signs in with email. Sign in "
             "with email, then link Forge from your Profile."_s);
    QCOMPARE(emailEdit()->text(), kAddress);
    // Right under the provider buttons, not at the far end of the page.
    const int buttonBottom = forge->mapTo(page(u"signInPage"_s), QPoint(0, forge->height())).y();
    const int errorTop = error->mapTo(page(u"signInPage"_s), QPoint()).y();
    QVERIFY2(errorTop > buttonBottom && errorTop - buttonBottom < 24,
             qPrintable(u"%1 %2"_s.arg(buttonBottom).arg(errorTop)));
    screenshot(u"email-in-use"_s);
}

void TestSignInEntry::googleButtonFollowsGooglesBranding()
{
    ProviderOptions workspace = presets::google(u"g"_s);
    workspace.label = u"Google Workspace"_s;
    makeClient(false, {workspace});
    showWidget();
    QPushButton *google = button(u"signInPage"_s, u"provider_google"_s);
    QVERIFY(google);
    QCOMPARE(google->text(), u"Sign in with Google"_s);
    const QImage mark = google->icon().pixmap(18, 18).toImage();
    QVERIFY(!mark.isNull());
    const QImage reference = QIcon(u":/latchkey/providers/google.svg"_s).pixmap(18, 18).toImage();
    QCOMPARE(mark, reference);
}

void TestSignInEntry::everyControlHasAnAccessibleName()
{
    makeClient(true);
    showWidget();
    const QStringList pages{u"signInPage"_s, u"checkEmailPage"_s, u"waitingPage"_s,
                            u"devicePage"_s};
    for (const QString &name : pages) {
        QList<QWidget *> controls;
        for (QAbstractButton *b : page(name)->findChildren<QAbstractButton *>())
            controls.append(b);
        for (QLineEdit *e : page(name)->findChildren<QLineEdit *>())
            controls.append(e);
        QVERIFY(!controls.isEmpty());
        for (QWidget *control : std::as_const(controls)) {
            const QString which = name + u'/' + control->objectName();
            QVERIFY2(!control->accessibleName().isEmpty(), qPrintable(which));
            QVERIFY2(!control->accessibleDescription().isEmpty(), qPrintable(which));
        }
    }
    // An error reaches assistive technology as the error label's name. (The Alert event that
    // announces it is only sent while a screen reader is active, which the offscreen platform
    // never is.)
    startEmailSignIn();
    QTest::keyClicks(codeEdit(), wrongCode(codeIn(m_fakes.mailer->messages().last())));
    QTRY_VERIFY_WITH_TIMEOUT(codeError()->isVisible(), kWaitMs);
    QAccessibleInterface *error = QAccessible::queryAccessibleInterface(codeError());
    QVERIFY(error);
    QVERIFY2(error->text(QAccessible::Name).startsWith(u"That code is not right."_s),
             qPrintable(error->text(QAccessible::Name)));
}

void TestSignInEntry::emailSignInByKeyboardOnly()
{
    makeClient(true);
    showWidget();
    QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
    QTRY_VERIFY_WITH_TIMEOUT(emailEdit()->hasFocus(), kWaitMs);
    QTest::keyClicks(QApplication::focusWidget(), kAddress);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"checkEmailPage"_s), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(QApplication::focusWidget(), codeEdit(), kWaitMs);
    QTest::keyClicks(QApplication::focusWidget(), codeIn(m_fakes.mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    QCOMPARE(m_client->session()->user.email, kAddress);
}

void TestSignInEntry::providerSignInByKeyboardOnly()
{
    makeClient(true);
    showWidget();
    QTRY_VERIFY_WITH_TIMEOUT(emailEdit()->hasFocus(), kWaitMs);
    // The email field, its button, then the provider.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), button(u"signInPage"_s, u"emailButton"_s));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), button(u"signInPage"_s, u"provider_forge"_s));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(m_browser->opened().size(), 1, kWaitMs);
    QCOMPARE(m_browser->opened().first().toString(QUrl::RemoveQuery),
             m_provider->url(u"/auth"_s).toString());
    QTRY_COMPARE_WITH_TIMEOUT(currentPage(), page(u"waitingPage"_s), kWaitMs);
    screenshot(u"waiting"_s);
}

} // namespace latchkey::test

QTEST_MAIN(latchkey::test::TestSignInEntry)
#include "tst_signin_entry.moc"
