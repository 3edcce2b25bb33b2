#include "emailbench.h"

#include "app/appcontext.h"
#include "auth/authservice.h"
#include "benchsupport.h"
#include "email/emailsigninflow.h"
#include "email/magiclinkmessage.h"
#include "mail/mailer.h"
#include "session/sessionmanager.h"
#include "widgets/mainwindow.h"
#include "widgets/pages.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QStackedWidget>
#include <QWindow>

using namespace Qt::StringLiterals;

namespace latchkey::bench {

namespace {

constexpr int kMailMs = 15000;
constexpr int kStepMs = 10000;
const QString kScenario = u"email"_s;

/// The newest message at the SMTP sink, read by tests/e2e/mailtool.py as the e2e tests read it.
QJsonObject newestMail(const QString &sourceDir)
{
    QProcess tool;
    tool.start(u"/usr/bin/python3"_s,
               {sourceDir + u"/tests/e2e/mailtool.py"_s, harnessValue("LATCHKEY_TEST_MAILDIR")});
    if (!tool.waitForFinished(kStepMs) || tool.exitCode() != 0)
        fail(u"tests/e2e/mailtool.py could not read the SMTP sink's newest message"_s);
    return QJsonDocument::fromJson(tool.readAllStandardOutput()).object();
}

} // namespace

void EmailBench::runOnce(int run)
{
    RunHome home(u"email-%1"_s.arg(run));
    auto created = app::AppContext::create(home.config());
    if (!created)
        fail(u"app context: "_s + created.error().message);
    std::unique_ptr<app::AppContext> context = std::move(created).value();
    QObject guard; // context object of every connection made here

    auto window = std::make_unique<gui::MainWindow>(*context);
    auto *stack = window->findChild<QStackedWidget *>();
    window->show();
    if (!waitFor(
                [&window]() {
                    return window->windowHandle() && window->windowHandle()->isExposed();
                },
                kStepMs))
        fail(u"the window was never exposed (is DISPLAY an X server?)"_s);
    window->start(gui::View::Dashboard); // signed out: sign-in first, then the Dashboard
    auto *signIn = window->findChild<gui::SignInPage *>();
    if (!waitFor([stack, signIn]() { return stack->currentWidget() == signIn; }, kStepMs))
        fail(u"the sign-in page did not show"_s);

    Probe probe;
    qint64 switchedNs = kUnset;
    QObject::connect(stack, &QStackedWidget::currentChanged, &guard,
                     [&probe, &switchedNs, stack](int) {
                         QWidget *page = stack->currentWidget();
                         if (qobject_cast<gui::CheckEmailPage *>(page) ||
                             qobject_cast<gui::DashboardPage *>(page)) {
                             switchedNs = nowNs();
                             probe.watchPaint(page);
                         }
                     });

    // "Send": the button click runs MainWindow::startEmail synchronously.
    const QString address = u"bench-%1@example.com"_s.arg(run);
    signIn->findChild<QLineEdit *>(u"emailEdit"_s)->setText(address);
    const qint64 clickedNs = nowNs();
    signIn->findChild<QPushButton *>(u"emailButton"_s)->click();
    auto *flow = window->findChild<EmailSignInFlow *>();
    if (!flow)
        fail(u"no email sign-in started: "_s + address);
    qint64 sentNs = kUnset;
    qint64 openedNs = kUnset;
    QObject::connect(flow, &EmailSignInFlow::sent, &guard, [&sentNs]() { sentNs = nowNs(); });
    QObject::connect(flow, &EmailSignInFlow::linkOpened, &guard,
                     [&openedNs]() { openedNs = nowNs(); });
    QObject::connect(flow, &EmailSignInFlow::finished, &guard, [](const Result<Session> &result) {
        if (!result)
            fail(u"the email sign-in failed: "_s + result.error().message);
    });
    if (!waitFor([&]() { return sentNs != kUnset && probe.paintedNs() != kUnset; }, kMailMs))
        fail(u"the sign-in email was not sent within %1 ms"_s.arg(kMailMs));
    const qint64 checkPaintedNs = probe.paintedNs();

    const QJsonObject mail = newestMail(m_sourceDir);
    if (mail.value(u"rcpt_tos"_s).toArray().at(0).toString() != address)
        fail(u"the SMTP sink's newest message is not the one sent to "_s + address);
    const QUrl link(mail.value(u"link"_s).toString());

    // The click on the link, as a real HTTP client against the app's loopback listener.
    qint64 signedInNs = kUnset;
    QObject::connect(&context->auth().sessions(), &SessionManager::stateChanged, &guard,
                     [&signedInNs](SessionState state) {
                         if (state == SessionState::SignedIn && signedInNs == kUnset)
                             signedInNs = nowNs();
                     });
    QNetworkAccessManager http;
    http.setProxy(QNetworkProxy::NoProxy);
    probe.watchPaint(nullptr); // from now on, only the Dashboard's paint counts
    switchedNs = kUnset;
    probe.watchListener();
    const qint64 getNs = nowNs();
    std::unique_ptr<QNetworkReply> reply(http.get(QNetworkRequest(link)));
    qint64 repliedNs = kUnset;
    QObject::connect(reply.get(), &QNetworkReply::finished, &guard,
                     [&repliedNs]() { repliedNs = nowNs(); });
    if (!waitFor([&]() { return probe.paintedNs() != kUnset && repliedNs != kUnset; }, kStepMs))
        fail(u"the link did not lead to the Dashboard within %1 ms"_s.arg(kStepMs));
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        fail(u"the loopback listener refused the link"_s);
    const qint64 dashboardSwitchedNs = switchedNs;
    const qint64 dashboardPaintedNs = probe.paintedNs();

    // The mailer alone: the same SmtpMailer, one more message of the same shape.
    const MailMessage message = magicLinkMessage(
            {u"no-reply@example.com"_s, u"Latchkey"_s}, u"bench-mailer-%1@example.com"_s.arg(run),
            link, u"123456"_s, QDateTime::currentDateTimeUtc().addSecs(600));
    qint64 mailedNs = kUnset;
    const qint64 mailerNs = nowNs();
    context->mailer().send(message, &guard, [&mailedNs](Status delivered) {
        if (!delivered)
            fail(u"Mailer::send failed: "_s + delivered.error().message);
        mailedNs = nowNs();
    });
    if (!waitFor([&mailedNs]() { return mailedNs != kUnset; }, kMailMs))
        fail(u"Mailer::send did not call back within %1 ms"_s.arg(kMailMs));

    if (run == 0)
        return;
    report(kScenario, run, u"send_to_sent"_s, clickedNs, sentNs);
    report(kScenario, run, u"send_to_checkemail_paint"_s, clickedNs, checkPaintedNs);
    report(kScenario, run, u"mailer_send"_s, mailerNs, mailedNs);
    report(kScenario, run, u"link_get_to_paint"_s, getNs, dashboardPaintedNs);
    report(kScenario, run, u"link_request_to_paint"_s, probe.requestNs(), dashboardPaintedNs);
    report(kScenario, run, u"link_get_to_request"_s, getNs, probe.requestNs());
    report(kScenario, run, u"link_request_to_opened"_s, probe.requestNs(), openedNs);
    report(kScenario, run, u"link_opened_to_signedin"_s, openedNs, signedInNs);
    report(kScenario, run, u"link_signedin_to_switch"_s, signedInNs, dashboardSwitchedNs);
    report(kScenario, run, u"link_switch_to_paint"_s, dashboardSwitchedNs, dashboardPaintedNs);
    report(kScenario, run, u"link_get_to_reply"_s, getNs, repliedNs);
}

} // namespace latchkey::bench
