#include "emailbench.h"

#include "auth/authservice.h"
#include "auth/emailsigninflow.h"
#include "benchsupport.h"
#include "email/magiclinkmessage.h"
#include "mail/smtpmailer.h"
#include "signinpages.h"
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
    const Options options = home.options();
    std::unique_ptr<Client> client = makeClient(options);
    QObject guard; // context object of every connection made here

    auto window = std::make_unique<gui::MainWindow>(*client);
    QWidget *signIn = openSignIn(*window);
    QStackedWidget *outer = mainStack(*window);
    QStackedWidget *inner = signInStack(*window);

    Probe probe;
    qint64 switchedNs = kUnset;
    // "Check your email" is a page of the sign-in widget's own stack; the Dashboard is one of the
    // window's.
    QObject::connect(inner, &QStackedWidget::currentChanged, &guard,
                     [&probe, &switchedNs, inner](int) {
                         if (auto *page = qobject_cast<CheckEmailPage *>(inner->currentWidget())) {
                             switchedNs = nowNs();
                             probe.watchPaint(page);
                         }
                     });
    QObject::connect(
            outer, &QStackedWidget::currentChanged, &guard, [&probe, &switchedNs, outer](int) {
                if (auto *page = qobject_cast<gui::DashboardPage *>(outer->currentWidget())) {
                    switchedNs = nowNs();
                    probe.watchPaint(page);
                }
            });
    // sent(): the flow does not exist yet when "Send" is clicked (the client creates it one
    // event-loop turn later), so it is seen through Client::emailSent, which the client emits
    // straight from EmailSignInFlow::sent.
    qint64 sentNs = kUnset;
    QObject::connect(client.get(), &Client::emailSent, &guard, [&sentNs]() {
        if (sentNs == kUnset)
            sentNs = nowNs();
    });
    QObject::connect(client.get(), &Client::signInFinished, &guard,
                     [](const Result<Session> &result) {
                         if (!result)
                             fail(u"the email sign-in failed: "_s + result.error().message);
                     });

    // The sign-in page shows once the session is restored, while the install secret that keys
    // the emailed code may still be loading (a first run writes it to the keychain, ~10 ms), and
    // Client::signInWithEmail waits for it. Anyone typing an address finds it loaded; so does the
    // benchmark, so "Send" is measured as before the restructure (when the page waited for it).
    auto *auth = client->findChild<AuthService *>();
    if (!auth)
        fail(u"the Client has no AuthService child"_s);
    bool emailReady = false;
    auth->whenEmailReady(&guard, [&emailReady]() { emailReady = true; });
    if (!waitFor([&emailReady]() { return emailReady; }, kStepMs))
        fail(u"the install secret did not load within %1 ms"_s.arg(kStepMs));

    // "Send": the click reaches Client::signInWithEmail synchronously (SignInWidget).
    const QString address = u"bench-%1@example.com"_s.arg(run);
    signIn->findChild<QLineEdit *>(u"emailEdit"_s)->setText(address);
    const qint64 clickedNs = nowNs();
    signIn->findChild<QPushButton *>(u"emailButton"_s)->click();
    if (!waitFor([&]() { return sentNs != kUnset && probe.paintedNs() != kUnset; }, kMailMs))
        fail(sentNs == kUnset
                     ? u"the sign-in email was not sent within %1 ms"_s.arg(kMailMs)
                     : u"\"Check your email\" was not painted within %1 ms"_s.arg(kMailMs));
    const qint64 checkPaintedNs = probe.paintedNs();
    auto *flow = client->findChild<EmailSignInFlow *>();
    if (!flow)
        fail(u"no email sign-in in progress after sending to "_s + address);
    qint64 openedNs = kUnset;
    QObject::connect(flow, &EmailSignInFlow::linkOpened, &guard,
                     [&openedNs]() { openedNs = nowNs(); });

    const QJsonObject mail = newestMail(m_sourceDir);
    if (mail.value(u"rcpt_tos"_s).toArray().at(0).toString() != address)
        fail(u"the SMTP sink's newest message is not the one sent to "_s + address);
    const QUrl link(mail.value(u"link"_s).toString());

    // The click on the link, as a real HTTP client against the app's loopback listener.
    qint64 signedInNs = kUnset;
    QObject::connect(client.get(), &Client::stateChanged, &guard,
                     [&signedInNs](Client::State state) {
                         if (state == Client::State::SignedIn && signedInNs == kUnset)
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

    // The mailer alone: an SmtpMailer built from the run's options as the client builds its own
    // (src/auth/client.cpp), one more message of the same shape.
    const SmtpSettings settings = SmtpSettings::from(options.email);
    if (Status valid = SmtpMailer::validate(settings); !valid)
        fail(u"SMTP settings: "_s + valid.error().message);
    SmtpMailer mailer(settings);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const MailMessage message = magicLinkMessage({u"no-reply@example.com"_s, u"Latchkey"_s},
                                                 u"bench-mailer-%1@example.com"_s.arg(run), link,
                                                 u"123456"_s, now.addSecs(600), now);
    qint64 mailedNs = kUnset;
    const qint64 mailerNs = nowNs();
    mailer.send(message, &guard, [&mailedNs](Status delivered) {
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
