#include <latchkey/browserlauncher.h>
#include <latchkey/client.h>

#include "auth/authservice.h"
#include "auth/avatarcache.h"
#include "auth/clientprivate.h"
#include "auth/emailsigninflow.h"
#include "auth/oidcdevicesigninflow.h"
#include "auth/oidcsigninflow.h"
#include "auth/providertokens.h"
#include "keychain/keychainpolicy.h"
#include "keychain/secretkeys.h"
#include "keychain/secretprefetch.h"
#include "mail/outboxmailer.h"
#include "session/sessionmanager.h"
#include "storage/database.h"
#include "storage/devicerepository.h"
#include "storage/userrepository.h"

#include <QCoreApplication>
#include <QLocale>
#include <QPointer>
#include <QTimer>
#include <QTranslator>

namespace latchkey {

BrowserLauncher::~BrowserLauncher() = default;

QString version() { return QStringLiteral(LATCHKEY_VERSION); }

Client::Client(Options options, QObject *parent) : Client(std::move(options), nullptr, parent) { }

Client::Client(Options options, std::unique_ptr<ClientAdapters> adapters, QObject *parent)
    : QObject(parent),
      d(std::make_unique<ClientPrivate>(*this, std::move(options), std::move(adapters)))
{ }

Client::~Client()
{
    // Flows and the service go before the adapters they use. Quitting is not cancelling: an
    // email sign-in in progress stays valid, so its link still works after a restart.
    delete d->emailFlow.data();
    delete d->oidcFlow.data();
    if (d->auth)
        d->auth->sessions().endVolatileSession(); // no row outlives a session kept in memory
    d->auth.reset();
}

void Client::prefetchSession(const Options &options)
{
    if (const qint64 user = ClientPrivate::restoreHintOf(options); user > 0)
        SecretPrefetch::startEarly(options.keychainService, secretkeys::sessionToken(user));
}

const Options &Client::options() const { return d->options; }

QList<Provider> Client::providers() const
{
    QList<Provider> list;
    for (const ProviderOptions &provider : d->options.providers)
        list.append(Provider{provider.id, provider.label, provider.preset});
    return list;
}

void Client::setBrowserLauncher(BrowserLauncher *launcher) { d->browser = launcher; }

Status Client::restore()
{
    if (d->auth || d->openProblem)
        return {}; // once
    if (Status opened = d->open(); !opened) {
        d->openProblem = opened.error();
        d->updateState();
        emit problemChanged();
        return opened;
    }
    d->auth->initialize(this, [this]() {
        d->restored = true;
        d->updateState();
        emit problemChanged();
        emit restored();
    });
    return {};
}

Client::State Client::state() const { return d->state; }

std::optional<Session> Client::session() const
{
    if (d->state != State::SignedIn || !d->auth)
        return std::nullopt;
    return d->auth->sessions().current();
}

bool Client::sessionExpired() const
{
    return d->auth && d->auth->sessions().state() == SessionState::Expired;
}

std::optional<Error> Client::problem() const
{
    if (d->openProblem)
        return d->openProblem;
    return d->auth ? d->auth->sessions().problem() : std::nullopt;
}

bool Client::persistent() const { return d->auth && d->auth->sessions().persistent(); }

void Client::unlockKeychain()
{
    if (!d->secrets) {
        QTimer::singleShot(0, this, [this]() { emit keychainUnlockFinished(Status()); });
        return;
    }
    d->secrets->unlock(this, [this](Status unlocked) {
        // Unlocked: read the saved session again (Loading → SignedIn or SignedOut).
        if (unlocked && d->auth && d->auth->sessions().state() == SessionState::Error)
            d->auth->sessions().restore();
        emit keychainUnlockFinished(unlocked);
    });
}

void Client::retryKeychain()
{
    if (!d->secrets) {
        QTimer::singleShot(0, this, [this]() { emit keychainRetryFinished(Status()); });
        return;
    }
    d->secrets->retry(this, [this](Status answered) {
        // The keychain is back: read the saved session it may hold, as after an unlock.
        if (answered && d->auth && d->auth->sessions().state() == SessionState::Error)
            d->auth->sessions().restore();
        emit keychainRetryFinished(answered);
    });
}

void Client::whenIdle(QObject *context, std::function<void()> callback)
{
    if (!d->secrets) {
        QTimer::singleShot(0, context, std::move(callback));
        return;
    }
    if (!d->auth) {
        d->secrets->whenIdle(context, std::move(callback));
        return;
    }
    // Revocations first (they end with keychain removals), then the keychain itself.
    QPointer<QObject> guard(context);
    d->auth->providerTokens().whenIdle(this, [this, guard, callback = std::move(callback)]() {
        if (guard)
            d->secrets->whenIdle(guard, callback);
    });
}

Result<Session> Client::validSession()
{
    if (!d->auth)
        return notSignedIn();
    return d->auth->sessions().validSession();
}

Result<ProtectedData> Client::protectedData()
{
    if (!d->auth)
        return notSignedIn();
    return d->auth->protectedData();
}

LastSignIn Client::lastSignIn() const { return d->auth ? d->auth->lastSignIn() : LastSignIn(); }

QString Client::signInMethodOf(const QString &address) const
{
    return d->auth ? d->auth->signInMethodOf(address) : QString();
}

Result<QList<DeviceSession>> Client::deviceSessions()
{
    if (!d->auth)
        return notSignedIn();
    return d->auth->deviceSessions();
}

Result<QList<SignedInAccount>> Client::accounts()
{
    if (!d->auth)
        return QList<SignedInAccount>();
    return d->auth->sessions().accounts();
}

QString Client::avatarPath(qint64 userId) const
{
    if (!d->auth || !d->avatars)
        return {};
    // Only an account signed in here: a signed-out account's picture stays deleted.
    const auto &current = d->auth->sessions().current();
    bool here = current && current->user.id == userId;
    if (!here) {
        const auto records = DeviceRepository(*d->db).accounts().valueOr({});
        here = std::any_of(records.cbegin(), records.cend(),
                           [userId](const DeviceAccountRecord &r) { return r.userId == userId; });
    }
    if (!here)
        return {};
    const QString url = UserRepository(*d->db).findById(userId).valueOr(User()).image;
    const QString path = d->avatars->cachedPath(userId, url);
    if (path.isEmpty())
        d->avatars->fetch(userId, url); // in the background; avatarChanged() when it is there
    return path;
}

void Client::switchAccount(qint64 userId)
{
    if (!d->auth) {
        QTimer::singleShot(0, this, [this]() { emit switchAccountFinished(notSignedIn()); });
        return;
    }
    d->auth->sessions().switchTo(userId, this, [this](const Result<Session> &session) {
        emit switchAccountFinished(session);
    });
}

void Client::signIn(const QString &providerId) { d->startProvider(providerId, false); }

void Client::linkProvider(const QString &providerId) { d->startProvider(providerId, true); }

void Client::signInOnAnotherDevice(const QString &providerId) { d->startDevice(providerId); }

void Client::supportsDeviceSignIn(const QString &providerId, QObject *context,
                                  std::function<void(bool)> callback)
{
    if (!d->auth) {
        QTimer::singleShot(0, context, [callback]() { callback(false); });
        return;
    }
    d->auth->checkDeviceSignIn(providerId, context, [callback](const Result<bool> &supported) {
        callback(supported.ok() && supported.value());
    });
}

void Client::signInWithEmail(const QString &address)
{
    if (!d->auth) {
        d->finishLater(Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                                   QStringLiteral("restore() has not run.")));
        return;
    }
    d->endFlows();
    // The install secret that keys the code may still be loading: wait for it, not the caller.
    d->auth->whenEmailReady(this, [this, address]() {
        auto flow = d->auth->createEmailSignIn(address, this);
        if (!flow) {
            d->finishLater(flow.error());
            return;
        }
        d->track(flow.value());
        d->auth->beginEmailSignIn(*flow.value());
    });
}

bool Client::resumeEmailSignIn()
{
    if (!d->auth || d->flowRunning() || !d->auth->hasPendingEmail())
        return false;
    // The code of the waiting email is keyed with the install secret: resume once it is loaded.
    d->auth->whenEmailReady(this, [this]() {
        if (d->flowRunning())
            return; // another sign-in started meanwhile
        if (auto flow = d->auth->resumeEmailSignIn(this))
            d->track(flow.value());
    });
    return true;
}

void Client::submitCode(const QString &code)
{
    if (d->emailFlow) {
        d->emailFlow->submitCode(code);
        return;
    }
    QTimer::singleShot(0, this, [this]() {
        emit codeRejected(Error::make(ErrorKind::NotFound, ErrorCode::NoPendingSignIn,
                                      QStringLiteral("No email sign-in is waiting.")));
    });
}

void Client::resendEmail()
{
    if (d->emailFlow)
        d->emailFlow->resend();
}

Status Client::openBrowserAgain()
{
    if (!d->oidcFlow)
        return Error::make(ErrorKind::NotFound, ErrorCode::NoPendingSignIn,
                           QStringLiteral("No sign-in is waiting for the browser."));
    return d->oidcFlow->openBrowserAgain();
}

void Client::cancel()
{
    if (d->emailFlow)
        d->emailFlow->cancel();
    if (d->oidcFlow)
        d->oidcFlow->cancel();
    if (d->deviceFlow)
        d->deviceFlow->cancel();
}

void Client::confirmIdentity()
{
    if (!d->auth) {
        d->finishLater(notSignedIn());
        return;
    }
    d->endFlows();
    // The install secret that keys an email code may still be loading.
    d->auth->whenEmailReady(this, [this]() {
        auto flow = d->auth->createStepUp(d->browser, this);
        if (!flow) {
            d->finishLater(flow.error());
            return;
        }
        if (auto *email = qobject_cast<EmailSignInFlow *>(flow.value())) {
            d->track(email);
            email->start();
        } else if (auto *oidc = qobject_cast<OidcSignInFlow *>(flow.value())) {
            d->track(oidc, true); // like linking: the person stays signed in throughout
            oidc->start();
        }
    });
}

bool Client::needsIdentityConfirmation() const
{
    const auto &session = d->auth ? d->auth->sessions().current() : std::nullopt;
    return session && d->auth->needsStepUp(*session);
}

void Client::confirmAccountSwitch()
{
    if (d->emailFlow)
        d->emailFlow->confirmSwitch();
}

void Client::declineAccountSwitch()
{
    if (d->emailFlow)
        d->emailFlow->declineSwitch();
}

bool Client::accountSwitchPending() const { return d->emailFlow && d->emailFlow->switchPending(); }

QString Client::pendingEmail() const { return d->emailFlow ? d->emailFlow->address() : QString(); }

qint64 Client::resendWaitSecs() const { return d->emailFlow ? d->emailFlow->resendWaitSecs() : 0; }

QUrl Client::authorizationUrl() const
{
    return d->oidcFlow ? d->oidcFlow->authorizationUrl() : QUrl();
}

QString Client::pendingProviderLabel() const
{
    return d->oidcFlow ? d->oidcFlow->providerLabel() : QString();
}

void Client::signOut()
{
    if (!d->auth) {
        QTimer::singleShot(0, this, [this]() { emit signOutFinished(Status()); });
        return;
    }
    d->endFlows();
    d->auth->signOut(this, [this](Status status) { emit signOutFinished(status); });
}

Status Client::unlinkAccount(qint64 accountId)
{
    if (!d->auth)
        return notSignedIn();
    Status unlinked = d->auth->unlinkAccount(accountId);
    if (unlinked)
        emit sessionChanged();
    return unlinked;
}

void Client::deleteLocalData()
{
    if (!d->auth) {
        QTimer::singleShot(0, this, [this]() { emit signOutFinished(notSignedIn()); });
        return;
    }
    d->endFlows();
    d->auth->deleteLocalData(this, [this](Status status) { emit signOutFinished(status); });
}

Status Client::revokeSession(qint64 sessionId)
{
    if (!d->auth)
        return notSignedIn();
    return d->auth->revokeSession(sessionId);
}

Result<int> Client::signOutOtherSessions()
{
    if (!d->auth)
        return notSignedIn();
    return d->auth->signOutOtherSessions();
}

void Client::signOutEverywhere()
{
    if (!d->auth) {
        QTimer::singleShot(0, this, [this]() { emit signOutFinished(notSignedIn()); });
        return;
    }
    d->endFlows();
    d->auth->signOutEverywhere(this, [this](Status status) { emit signOutFinished(status); });
}

void Client::signOutAllAccounts()
{
    if (!d->auth) {
        QTimer::singleShot(0, this, [this]() { emit signOutFinished(Status()); });
        return;
    }
    d->endFlows();
    d->auth->signOutAll(this, [this](Status status) { emit signOutFinished(status); });
}

void Client::withFreshAccessToken(const QString &providerId, QObject *context,
                                  std::function<void(const Result<AccessToken> &)> callback)
{
    if (!d->auth) {
        QTimer::singleShot(0, context, [callback]() { callback(notSignedIn()); });
        return;
    }
    d->auth->withFreshAccessToken(providerId, context, std::move(callback));
}

void Client::refreshAccessToken(const QString &providerId, QObject *context,
                                std::function<void(const Result<AccessToken> &)> callback)
{
    if (!d->auth) {
        QTimer::singleShot(0, context, [callback]() { callback(notSignedIn()); });
        return;
    }
    d->auth->withFreshAccessToken(providerId, context, std::move(callback),
                                  AuthService::TokenRenewal::Now);
}

QString Client::outboxDir() const
{
    return d->options.usesOutbox() ? d->options.outboxDir : QString();
}

QString Client::latestOutboxMessage() const
{
    if (auto *outbox = qobject_cast<OutboxMailer *>(d->mailer.get()))
        return outbox->latestMessagePath();
    return {};
}

bool installTranslations(const QLocale &locale)
{
    // Called again when the language changes: the translator installed earlier goes first.
    static QPointer<QTranslator> installed;
    if (installed) {
        QCoreApplication::removeTranslator(installed);
        delete installed;
    }
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(locale, QStringLiteral("latchkey"), QStringLiteral("_"),
                          QStringLiteral(":/latchkey/i18n"))) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    installed = translator;
    return true;
}

} // namespace latchkey
