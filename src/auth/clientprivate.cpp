// Client's private side: opening the adapters and the database, the state the app sees, and the
// sign-in flow in progress (see clientprivate.h).
#include "clientprivate.h"

#include "auth/authservice.h"
#include "auth/avatarcache.h"
#include "auth/emailsigninflow.h"
#include "auth/oidcdevicesigninflow.h"
#include "auth/oidcsigninflow.h"
#include "core/logging.h"
#include "keychain/keychainpolicy.h"
#include "keychain/qtkeychainstore.h"
#include "keychain/secretkeys.h"
#include "mail/outboxmailer.h"
#include "mail/smtpmailer.h"
#include "session/sessionmanager.h"
#include "storage/database.h"

#include <QDir>
#include <QFile>
#include <QTimer>

#include <algorithm>

namespace latchkey {

namespace {

constexpr auto kRestoreHintFile = "restore-hint";

} // namespace

ClientPrivate::~ClientPrivate() = default;

qint64 ClientPrivate::restoreHintOf(const Options &options)
{
    // The hint is a guess, never the truth: the database says who is signed in, and a stale
    // hint costs one wasted read on another thread.
    const QString folder = options.dataFolder();
    if (folder.isEmpty())
        return 0;
    QFile hint(QDir(folder).filePath(QLatin1StringView(kRestoreHintFile)));
    return hint.open(QIODevice::ReadOnly) ? std::max(hint.read(32).trimmed().toLongLong(), 0LL) : 0;
}

void ClientPrivate::prepareKeychain()
{
    if (adapters && adapters->keychain) {
        keychain = std::move(adapters->keychain);
        return;
    }
    auto store = std::make_unique<QtKeychainStore>();
    store->setService(options.keychainService);
    restoreHint = restoreHintOf(options);
    if (restoreHint > 0)
        store->prefetch(secretkeys::sessionToken(restoreHint));
    keychain = std::move(store);
}

void ClientPrivate::rememberForRestart(SessionState session)
{
    qint64 user = restoreHint;
    if (session == SessionState::SignedIn) {
        if (auto current = auth->sessions().current())
            user = current->user.id;
    } else if (session == SessionState::SignedOut) {
        user = 0;
    }
    const QString folder = options.dataFolder();
    if (user == restoreHint || folder.isEmpty())
        return;
    restoreHint = user;
    const QString path = QDir(folder).filePath(QLatin1StringView(kRestoreHintFile));
    if (user == 0) {
        QFile::remove(path);
        return;
    }
    QFile hint(path);
    if (hint.open(QIODevice::WriteOnly | QIODevice::Truncate))
        hint.write(QByteArray::number(user));
}

Status ClientPrivate::open()
{
    if (adapters && adapters->clock)
        clock = adapters->clock.get();
    auto opened = Database::open(options.databasePath);
    if (!opened)
        return opened.error();
    db = std::move(opened).value();

    secrets = std::make_unique<KeychainPolicy>(*keychain, memory);

    if (adapters && adapters->mailer) {
        mailer = std::move(adapters->mailer);
    } else if (options.usesOutbox()) {
        mailer = std::make_unique<OutboxMailer>(options.outboxDir);
    } else {
        const SmtpSettings settings = SmtpSettings::from(options.email);
        if (auto valid = SmtpMailer::validate(settings); !valid)
            return valid.error();
        mailer = std::make_unique<SmtpMailer>(settings);
    }
    auth = std::make_unique<AuthService>(options, *db, *secrets, *mailer, *clock);
    auth->setParent(&q); // findChild() reaches its network manager (the benchmarks observe it)
    // Events reach the app after the change that made them is complete (never mid-transaction).
    db->setEventObserver([this](const Event &event) {
        QMetaObject::invokeMethod(
                &q, [this, entry = activityFrom(event)]() { emit q.activityRecorded(entry); },
                Qt::QueuedConnection);
    });
    if (adapters && adapters->expiryCheck.count() > 0)
        auth->sessions().setExpiryCheckInterval(adapters->expiryCheck);
    // Pictures live next to the database unless a data dir is given; nothing is read or fetched
    // until Client::avatarPath() asks.
    AvatarOptions avatarOptions;
    avatarOptions.allowLoopbackHttp = options.allowHttpLoopbackIssuer;
    avatars = new AvatarCache(QDir(options.dataFolder()).filePath(QStringLiteral("avatars")),
                              avatarOptions, &q);
    QObject::connect(avatars, &AvatarCache::changed, &q, &Client::avatarChanged);
    // Every way an account leaves this device (sign-out of one or all, everywhere, deleting the
    // local data, a session that ended) takes its picture with it.
    QObject::connect(&auth->sessions(), &SessionManager::accountLeft, avatars,
                     &AvatarCache::remove);
    QObject::connect(&auth->sessions(), &SessionManager::stateChanged, &q,
                     [this](SessionState session) {
                         emit q.sessionChanged();
                         updateState();
                         rememberForRestart(session);
                     });
    QObject::connect(secrets.get(), &KeychainPolicy::fellBack, &q,
                     [this](const Error &) { emit q.problemChanged(); });
    QObject::connect(secrets.get(), &KeychainPolicy::problemChanged, &q,
                     [this]() { emit q.problemChanged(); });
    QObject::connect(
            &auth->providerTokens(), &ProviderTokens::revoked, &q,
            [this](const Account &account) { emit q.providerTokensRevoked(account.provider); });
    QObject::connect(&auth->providerTokens(), &ProviderTokens::revocationDeferred, &q,
                     &Client::revocationDeferred);
    QObject::connect(&auth->providerTokens(), &ProviderTokens::notSaved, &q,
                     [this](const Account &account, const Error &error) {
                         emit q.providerTokensNotSaved(account.provider, error);
                     });
    // A renewed ID token that is not the signed-in person ends the whole sign-in, never
    // switches the user (docs/security.md).
    QObject::connect(&auth->providerTokens(), &ProviderTokens::identityRejected, &q,
                     [this](const Account &, const Error &reason) {
                         endFlows();
                         auth->signOut(&q, [this, reason](Status) { emit q.sessionEnded(reason); });
                     });
    return {};
}

void ClientPrivate::updateState()
{
    Client::State next = Client::State::Loading;
    if (openProblem) {
        next = Client::State::Error;
    } else if (restored) {
        const SessionState session = auth->sessions().state();
        const bool signingIn = flowRunning() && !linking;
        if (session == SessionState::SignedIn)
            next = Client::State::SignedIn;
        else if (signingIn)
            next = Client::State::SigningIn;
        else if (session == SessionState::Error)
            next = Client::State::Error;
        else
            next = Client::State::SignedOut;
    }
    if (next == state)
        return;
    state = next;
    emit q.stateChanged(next);
}

void ClientPrivate::finishLater(const Error &error)
{
    QTimer::singleShot(0, &q, [this, error]() { emit q.signInFinished(error); });
}

void ClientPrivate::endFlows()
{
    // One sign-in at a time: a new one replaces the one in progress.
    if (emailFlow) {
        emailFlow->disconnect(&q);
        emailFlow->cancel();
        emailFlow->deleteLater();
    }
    if (oidcFlow) {
        oidcFlow->disconnect(&q);
        oidcFlow->cancel();
        oidcFlow->deleteLater();
    }
    if (deviceFlow) {
        deviceFlow->disconnect(&q);
        deviceFlow->cancel();
        deviceFlow->deleteLater();
    }
    linking = false;
}

void ClientPrivate::track(EmailSignInFlow *flow)
{
    emailFlow = flow;
    QObject::connect(flow, &EmailSignInFlow::sent, &q, &Client::emailSent);
    QObject::connect(flow, &EmailSignInFlow::resendFailed, &q, &Client::resendFailed);
    QObject::connect(flow, &EmailSignInFlow::codeRejected, &q, &Client::codeRejected);
    QObject::connect(flow, &EmailSignInFlow::linkRejected, &q, &Client::linkRejected);
    QObject::connect(flow, &EmailSignInFlow::linkOpened, &q, &Client::browserReturned);
    QObject::connect(flow, &EmailSignInFlow::switchRequested, &q, &Client::accountSwitchRequested);
    QObject::connect(flow, &EmailSignInFlow::finished, &q,
                     [this, flow](const Result<Session> &result) {
                         if (!result)
                             auth->recordSignInFailure(QStringLiteral("email"), result.error(),
                                                       flow->actingUser());
                         flow->deleteLater();
                         emailFlow = nullptr;
                         updateState();
                         emit q.signInFinished(result);
                     });
    updateState();
}

void ClientPrivate::track(OidcSignInFlow *flow, bool link)
{
    oidcFlow = flow;
    linking = link;
    QObject::connect(flow, &OidcSignInFlow::authorizationUrlReady, &q,
                     &Client::authorizationUrlReady);
    QObject::connect(flow, &OidcSignInFlow::callbackReceived, &q, &Client::browserReturned);
    QObject::connect(flow, &OidcSignInFlow::finished, &q,
                     [this, flow](const Result<Session> &result) {
                         if (!result)
                             auth->recordSignInFailure(flow->providerId(), result.error(),
                                                       flow->actingUser());
                         flow->deleteLater();
                         oidcFlow = nullptr;
                         const bool linked = std::exchange(linking, false);
                         updateState();
                         if (linked && result)
                             emit q.sessionChanged(); // one more sign-in method
                         emit q.signInFinished(result);
                     });
    updateState();
}

void ClientPrivate::track(OidcDeviceSignInFlow *flow)
{
    deviceFlow = flow;
    QObject::connect(flow, &OidcDeviceSignInFlow::deviceCodeReady, &q, &Client::deviceCodeReady);
    QObject::connect(
            flow, &OidcDeviceSignInFlow::finished, &q, [this, flow](const Result<Session> &result) {
                if (!result)
                    auth->recordSignInFailure(flow->providerId(), result.error(), std::nullopt);
                flow->deleteLater();
                deviceFlow = nullptr;
                updateState();
                emit q.signInFinished(result);
            });
    updateState();
}

void ClientPrivate::startDevice(const QString &providerId)
{
    if (!auth) {
        finishLater(Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                                QStringLiteral("restore() has not run.")));
        return;
    }
    endFlows();
    auto flow = auth->createOidcDeviceSignIn(providerId, &q);
    if (!flow) {
        finishLater(flow.error());
        return;
    }
    track(flow.value());
    flow.value()->start();
}

void ClientPrivate::startProvider(const QString &providerId, bool link)
{
    if (!auth) {
        finishLater(Error::make(ErrorKind::Protocol, ErrorCode::NotReady,
                                QStringLiteral("restore() has not run.")));
        return;
    }
    endFlows();
    auto flow = link ? auth->createOidcLink(providerId, browser, &q)
                     : auth->createOidcSignIn(providerId, browser, &q);
    if (!flow) {
        finishLater(flow.error());
        return;
    }
    track(flow.value(), link);
    flow.value()->start();
}

} // namespace latchkey
