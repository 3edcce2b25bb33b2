#include <latchkey/widgets/signinwidget.h>

#include "devicepage.h"
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
    DevicePage *device = nullptr;
    int fallbackDelayMs = 5000;
    bool ours = false; // the sign-in in progress was started here
    QString method; // "email" or the provider id of the sign-in started here
    int deviceAnswersDue = 0; // supportsDeviceSignIn() answers still to come
    bool deviceOffered = false; // some provider offers device sign-in: no need to ask again

    explicit SignInWidgetPrivate(Client &c) : client(c) { }

    /// Asks every provider whether it offers sign-in on another device (from the event loop,
    /// never blocking), and offers the link for those that do once all have answered.
    void askForDeviceSignIn()
    {
        const QList<Provider> providers = client.providers();
        if (deviceAnswersDue > 0 || deviceOffered || providers.isEmpty())
            return;
        deviceAnswersDue = int(providers.size());
        auto offers = std::make_shared<QList<bool>>(providers.size(), false);
        for (qsizetype i = 0; i < providers.size(); ++i) {
            client.supportsDeviceSignIn(providers.at(i).id, signIn,
                                        [this, i, providers, offers](bool yes) {
                                            (*offers)[i] = yes;
                                            if (--deviceAnswersDue == 0)
                                                offerDeviceSignIn(providers, *offers);
                                        });
        }
    }

    void offerDeviceSignIn(const QList<Provider> &providers, const QList<bool> &offers)
    {
        QList<Provider> offered;
        for (qsizetype i = 0; i < providers.size(); ++i) {
            if (offers.at(i))
                offered.append(providers.at(i));
        }
        deviceOffered = !offered.isEmpty();
        signIn->setDeviceProviders(offered);
    }

    QString providerLabel(const QString &id) const
    {
        for (const Provider &provider : client.providers()) {
            if (provider.id == id)
                return provider.label;
        }
        return id;
    }

    /// The first page waits for the sign-in with `chosen` ("email" or a provider id).
    void starting(const QString &chosen)
    {
        ours = true;
        method = chosen;
        signIn->setError({});
        signIn->setBusy(true);
    }

    void startDeviceSignIn(const QString &providerId)
    {
        starting(providerId);
        client.signInOnAnotherDevice(providerId);
    }

    /// A provider's address that belongs to an account using another method: names that method
    /// and, when it is email, puts the address in the field so one click sends the email.
    QString conflictMessage(const Error &error)
    {
        const QString address = error.subject;
        const QString existing = client.signInMethodOf(address);
        if (existing.isEmpty())
            return errorMessage(error);
        if (existing == u"email")
            signIn->setEmail(address);
        const QString label =
                existing == u"email" ? SignInWidget::tr("email") : providerLabel(existing);
        return SignInWidget::tr("%1 already belongs to an account that signs in with %2. Sign in "
                                "with %2, then link %3 from your Profile.")
                .arg(address, label, providerLabel(method));
    }

    /// Back to the first page with `error` next to the method that failed.
    void showFailure(const Error &error)
    {
        backToStart({});
        if (method == u"email")
            signIn->setEmailError(error);
        else if (error.code == ErrorCode::EmailInUse)
            signIn->setError(conflictMessage(error));
        else
            signIn->setError(errorMessage(error));
    }

    /// A device code that ran out stays on its page with "Get a new code", as does the end of
    /// the expired sign-in (or its cancellation when a new code is asked for).
    bool keepsExpiredCode(const Result<Session> &result)
    {
        if (result || stack->currentWidget() != device)
            return false;
        const ErrorCode code = result.error().code;
        if (code == ErrorCode::DeviceCodeExpired) {
            device->showExpired(errorMessage(result.error()));
            return true;
        }
        return code == ErrorCode::Cancelled && device->isExpired();
    }

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
    d->device = new DevicePage(d->stack);
    d->stack->addWidget(d->waiting);
    d->stack->addWidget(d->device);

    SignInWidgetPrivate *p = d.get();
    connect(p->signIn, &SignInPage::emailRequested, this, [p](const QString &address) {
        p->starting(QStringLiteral("email"));
        p->client.signInWithEmail(address);
    });
    connect(p->signIn, &SignInPage::providerChosen, this, [p](const QString &id) {
        p->starting(id);
        p->client.signIn(id);
    });
    connect(p->signIn, &SignInPage::shown, this, [p]() {
        p->signIn->setLastUsed(p->client.lastSignIn());
        p->askForDeviceSignIn();
    });
    connect(p->signIn, &SignInPage::deviceSignInChosen, this,
            [p](const QString &id) { p->startDeviceSignIn(id); });
    connect(p->device, &DevicePage::newCodeRequested, this, [p]() {
        p->ours = true;
        p->method = p->device->providerId();
        p->client.signInOnAnotherDevice(p->device->providerId());
    });
    connect(p->device, &DevicePage::cancelRequested, this, [p]() {
        p->client.cancel();
        p->ours = false;
        p->backToStart({});
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
        p->method = QStringLiteral("email");
        p->checkEmail->setBusy(false);
        p->stack->setCurrentWidget(p->checkEmail); // first: the code field takes the focus
        p->checkEmail->showSent(address, p->client.resendWaitSecs());
    });
    connect(&client, &Client::resendFailed, this,
            [p](const Error &error) { p->checkEmail->showError(error); });
    connect(&client, &Client::codeRejected, this,
            [p](const Error &error) { p->checkEmail->showError(error); });
    connect(&client, &Client::linkRejected, this,
            [p](const Error &error) { p->checkEmail->setError(errorMessage(error)); });
    connect(&client, &Client::authorizationUrlReady, this, [p](const QUrl &url) {
        p->stack->setCurrentWidget(p->waiting); // first: Cancel takes the focus (and Esc works)
        p->waiting->showWaiting(p->client.pendingProviderLabel(), url, p->fallbackDelayMs);
    });
    connect(&client, &Client::deviceCodeReady, this, [p](const DeviceCode &code) {
        p->stack->setCurrentWidget(p->device); // first: Copy takes the focus (and Esc works)
        p->device->showCode(p->providerLabel(code.providerId), code);
    });
    connect(&client, &Client::signInFinished, this, [this, p](const Result<Session> &result) {
        p->checkEmail->setBusy(false);
        if (p->keepsExpiredCode(result))
            return;
        const bool ours = std::exchange(p->ours, false);
        if (!ours) {
            // Someone else's sign-in (e.g. linking a provider from a profile page): no word here.
            p->backToStart({});
            return;
        }
        if (!result) {
            // Cancelling is not an error worth a red line.
            if (result.error().kind == ErrorKind::Cancelled)
                p->backToStart({});
            else
                p->showFailure(result.error());
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
