#include <latchkey/widgets/signinwidget.h>

#include "signinpages.h"

#include <QStackedWidget>
#include <QVBoxLayout>

namespace latchkey {

/// The pages and the wiring between them and the client.
class SignInWidgetPrivate
{
public:
    Client &client;
    QStackedWidget *stack = nullptr;
    SignInPage *signIn = nullptr;
    CheckEmailPage *checkEmail = nullptr;
    WaitingPage *waiting = nullptr;
    int fallbackDelayMs = 5000;
    bool ours = false; // the sign-in in progress was started here

    explicit SignInWidgetPrivate(Client &c) : client(c) { }

    void backToStart(const QString &error)
    {
        signIn->setBusy(false);
        signIn->setError(error);
        stack->setCurrentWidget(signIn);
    }
};

SignInWidget::SignInWidget(Client &client, QWidget *parent)
    : QWidget(parent), d(std::make_unique<SignInWidgetPrivate>(client))
{
    setObjectName(QStringLiteral("signInWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->stack = new QStackedWidget(this);
    d->stack->setObjectName(QStringLiteral("signInStack"));
    layout->addWidget(d->stack);
    d->signIn = new SignInPage(client.providers(), d->stack);
    d->checkEmail = new CheckEmailPage(d->stack);
    d->waiting = new WaitingPage(d->stack);
    d->stack->addWidget(d->signIn);
    d->stack->addWidget(d->checkEmail);
    d->stack->addWidget(d->waiting);

    SignInWidgetPrivate *p = d.get();
    connect(p->signIn, &SignInPage::emailRequested, this, [p](const QString &address) {
        p->ours = true;
        p->signIn->setError({});
        p->signIn->setBusy(true);
        p->client.signInWithEmail(address);
    });
    connect(p->signIn, &SignInPage::providerChosen, this, [p](const QString &id) {
        p->ours = true;
        p->signIn->setError({});
        p->signIn->setBusy(true);
        p->client.signIn(id);
    });
    connect(p->checkEmail, &CheckEmailPage::codeEntered, this, [p](const QString &code) {
        p->checkEmail->setBusy(true);
        p->client.submitCode(code);
    });
    connect(p->checkEmail, &CheckEmailPage::resendRequested, &client, &Client::resendEmail);
    connect(p->checkEmail, &CheckEmailPage::otherAddressRequested, &client, &Client::cancel);
    connect(p->checkEmail, &CheckEmailPage::cancelRequested, &client, &Client::cancel);
    connect(p->waiting, &WaitingPage::cancelRequested, &client, &Client::cancel);
    connect(p->waiting, &WaitingPage::openAgainRequested, this,
            [p]() { (void)p->client.openBrowserAgain(); });

    connect(&client, &Client::emailSent, this, [p](const QString &address) {
        p->ours = true; // also an email sign-in resumed after a restart: it is shown here
        p->checkEmail->setBusy(false);
        p->checkEmail->showSent(address, p->client.resendWaitSecs());
        p->stack->setCurrentWidget(p->checkEmail);
    });
    connect(&client, &Client::resendFailed, this,
            [p](const Error &error) { p->checkEmail->setError(errorMessage(error)); });
    connect(&client, &Client::codeRejected, this, [p](const Error &error) {
        p->checkEmail->setBusy(false);
        p->checkEmail->setError(errorMessage(error));
    });
    connect(&client, &Client::linkRejected, this,
            [p](const Error &error) { p->checkEmail->setError(errorMessage(error)); });
    connect(&client, &Client::authorizationUrlReady, this, [p](const QUrl &url) {
        p->waiting->showWaiting(p->client.pendingProviderLabel(), url, p->fallbackDelayMs);
        p->stack->setCurrentWidget(p->waiting);
    });
    connect(&client, &Client::signInFinished, this, [this, p](const Result<Session> &result) {
        p->checkEmail->setBusy(false);
        const bool ours = std::exchange(p->ours, false);
        if (!ours) {
            // Someone else's sign-in (e.g. linking a provider from a profile page): no word here.
            p->backToStart({});
            return;
        }
        if (!result) {
            // Cancelling is not an error worth a red line.
            p->backToStart(result.error().kind == ErrorKind::Cancelled
                                   ? QString()
                                   : errorMessage(result.error()));
            return;
        }
        p->backToStart({});
        emit signedIn(result.value());
    });
}

SignInWidget::~SignInWidget() = default;

void SignInWidget::setHint(const QString &hint) { d->signIn->setReturnHint(hint); }

void SignInWidget::setError(const QString &message) { d->signIn->setError(message); }

void SignInWidget::reset()
{
    d->ours = false;
    d->backToStart({});
}

void SignInWidget::setBrowserFallbackDelay(int milliseconds) { d->fallbackDelayMs = milliseconds; }

} // namespace latchkey
