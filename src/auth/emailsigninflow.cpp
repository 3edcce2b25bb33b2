#include "emailsigninflow.h"

#include "auth/accountlinker.h"
#include "core/crashpoint.h"
#include "core/emailaddress.h"
#include "core/logging.h"
#include "email/magiclinkmessage.h"
#include "mail/mailer.h"
#include "net/loopbacklistener.h"
#include "session/sessionmanager.h"

namespace latchkey {

namespace {

const QString kCallbackPath = QStringLiteral("/callback/email");
constexpr std::chrono::minutes kSwitchTimeout{5};

// The answer to a link that was refused at once.
// A link that is not this flow's own: a neutral page that names no address and no check.
LoopbackResponse notAccepted() { return {400, StaticPage::linkNotAccepted()}; }

bool isTerminal(const Error &error)
{
    // This flow's own request is void, expired or cooling down: it cannot succeed any more.
    return error.code == ErrorCode::RequestVoid || error.code == ErrorCode::CodeOrLinkExpired ||
            error.code == ErrorCode::AddressLocked;
}

/// The name a person knows a signed-in user by.
QString displayName(const User &user) { return user.email.isEmpty() ? user.name : user.email; }

} // namespace

EmailSignInFlow::EmailSignInFlow(EmailSignInDeps deps, QString address, QObject *parent)
    : QObject(parent), m_deps(deps), m_address(std::move(address))
{
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut,
                           QStringLiteral("The sign-in link and code have expired."),
                           QStringLiteral("expired")));
    });
    m_switchTimeout.setSingleShot(true);
    connect(&m_switchTimeout, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout, ErrorCode::SignInTimedOut,
                           QStringLiteral("Nobody answered whether to switch accounts."),
                           QStringLiteral("switch_unanswered")));
    });
}

EmailSignInFlow::~EmailSignInFlow() = default;

quint16 EmailSignInFlow::port() const
{
    return m_listener && m_listener->isListening() ? m_listener->port() : 0;
}

qint64 EmailSignInFlow::resendWaitSecs() const
{
    return m_deps.verification.resendWaitSecs(m_address);
}

void EmailSignInFlow::start()
{
    QTimer::singleShot(0, this, [this]() { send(false); });
}

void EmailSignInFlow::resend()
{
    if (!m_done && !m_sending)
        send(true);
}

Status EmailSignInFlow::ensureListening(quint16 port)
{
    if (m_listener && m_listener->isListening())
        return {};
    if (!m_listener) {
        m_listener = new LoopbackListener(this);
        m_listener->addDeferredRoute(kCallbackPath,
                                     [this](const HttpRequest &request, LoopbackReply reply) {
                                         handleLink(request, std::move(reply));
                                     });
    }
    return m_listener->listen(port);
}

void EmailSignInFlow::resume(const IssuedVerification &pending)
{
    m_issued = pending;
    QTimer::singleShot(0, this, [this]() {
        // The link in the email points at this port: listen there again while it is valid. If
        // another program took the port, the typed code still works.
        if (auto listening = ensureListening(m_issued.callbackPort); !listening)
            qCWarning(lcEmail) << "cannot re-open the sign-in link's port:"
                               << listening.error().message;
        m_expiry.start(std::chrono::milliseconds(
                std::max<qint64>(1, m_deps.clock.now().msecsTo(m_issued.expires))));
        emit sent(m_address);
    });
}

void EmailSignInFlow::send(bool isResend)
{
    // The listener first: the link (and the database row) name its port.
    if (auto listening = ensureListening(0); !listening) {
        finish(listening.error());
        return;
    }
    auto issued = m_deps.verification.issue(m_address, m_listener->port());
    if (!issued) {
        if (isResend)
            emit resendFailed(issued.error());
        else
            finish(issued.error());
        return;
    }
    m_issued = issued.value();

    QUrl link(m_listener->redirectUri(kCallbackPath));
    link.setQuery(
            QStringLiteral("token=%1&email=%2")
                    .arg(m_issued.token, QString::fromLatin1(QUrl::toPercentEncoding(m_address))));

    m_sending = true;
    const MailMessage message = magicLinkMessage(m_deps.from, m_address, link, m_issued.code,
                                                 m_issued.expires, m_deps.clock.now());
    m_deps.mailer.send(message, this, [this, isResend](Status delivered) {
        m_sending = false;
        if (!delivered) {
            // Nothing half-made stays behind: the token and its send-log entry go.
            m_deps.verification.withdraw(m_issued);
            if (isResend) {
                emit resendFailed(delivered.error());
            } else {
                finish(delivered.error());
            }
            return;
        }
        qCInfo(lcEmail) << "sign-in email sent via" << m_deps.mailer.describe();
        crashPoint("email-sent");
        m_expiry.start(std::chrono::milliseconds(
                std::max<qint64>(1, m_deps.clock.now().msecsTo(m_issued.expires))));
        emit sent(m_address);
    });
}

void EmailSignInFlow::handleLink(const HttpRequest &request, LoopbackReply reply)
{
    const QStringList tokens = request.queryValues(u"token");
    const QStringList emails = request.queryValues(u"email");
    if (m_done || m_completing || m_sending || tokens.size() != 1 || emails.size() != 1) {
        reply.send(notAccepted());
        return;
    }
    auto presented = canonicalizeEmail(emails.first());
    if (!presented) {
        reply.send(notAccepted());
        return;
    }
    auto redeemed = m_deps.verification.redeemLink(m_issued, presented.value(), tokens.first());
    if (!redeemed) {
        const Error error = redeemed.error();
        // Only this flow's own request ends it (its link expired or was used); any other link
        // (any local web page can send one) is ignored and the flow keeps waiting.
        const bool ended = error.code == ErrorCode::CodeOrLinkExpired;
        QTimer::singleShot(0, this, [this, error, ended]() {
            emit linkRejected(error);
            if (ended)
                finish(error);
        });
        reply.send(ended ? LoopbackResponse{400, StaticPage::signInFailed()} : notAccepted());
        return;
    }
    m_listener->close(); // docs/security.md: closed after the first valid callback
    // docs/security.md: the tab is answered by finish(), "Signed in" only once the session exists
    // (the listener bounds the wait).
    m_linkReply = std::move(reply);
    QTimer::singleShot(0, this, [this, identifier = redeemed.value()]() {
        emit linkOpened();
        complete(identifier);
    });
}

void EmailSignInFlow::submitCode(const QString &code)
{
    if (m_done || m_completing)
        return;
    auto redeemed = m_deps.verification.redeemCode(m_address, code.trimmed());
    if (!redeemed) {
        if (isTerminal(redeemed.error()))
            finish(redeemed.error());
        else
            emit codeRejected(redeemed.error());
        return;
    }
    complete(redeemed.value());
}

void EmailSignInFlow::complete(const QString &identifier)
{
    if (m_done || m_completing)
        return;
    m_completing = true; // redeemed: cancel() can no longer undo the sign-in
    m_expiry.stop();
    if (m_listener)
        m_listener->close();
    if (m_confirmUser) {
        // A step-up: the mailbox of the signed-in user was proven again, just now.
        auto session = m_deps.sessions.markAuthenticated();
        if (session && (session->user.id != *m_confirmUser || session->user.email != identifier))
            session = notSignedIn(); // the session changed meanwhile
        finish(session);
        return;
    }
    // docs/security.md: a sign-in for another person never silently replaces the one signed in
    // on this device; the caller asks first. Users are found by their canonical address.
    const auto &current = m_deps.sessions.current();
    if (m_deps.sessions.state() == SessionState::SignedIn && current &&
        current->user.email != identifier) {
        m_switchTo = identifier;
        m_switchTimeout.start(kSwitchTimeout);
        emit switchRequested(displayName(current->user), identifier);
        return;
    }
    signIn(identifier);
}

void EmailSignInFlow::signIn(const QString &identifier)
{
    auto user = m_deps.linker.signInWithEmail(identifier);
    if (!user) {
        finish(user.error());
        return;
    }
    crashPoint("email-redeemed");
    m_deps.sessions.establish(user->id, QStringLiteral("email"), this,
                              [this](Result<Session> session) { finish(session); });
}

void EmailSignInFlow::confirmSwitch()
{
    if (!switchPending())
        return;
    m_switchTimeout.stop();
    signIn(std::exchange(m_switchTo, QString()));
}

void EmailSignInFlow::declineSwitch()
{
    if (!switchPending())
        return;
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::AccountSwitchDeclined,
                       QStringLiteral("Stayed signed in; the other sign-in was not used.")));
}

void EmailSignInFlow::cancel()
{
    if (switchPending()) {
        declineSwitch();
        return;
    }
    if (m_done || m_completing)
        return;
    m_deps.verification.voidPending(m_address);
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Sign-in cancelled.")));
}

void EmailSignInFlow::finish(const Result<Session> &result)
{
    if (m_done)
        return;
    m_done = true;
    m_expiry.stop();
    m_switchTimeout.stop();
    m_linkReply.send(LoopbackResponse::signInOutcome(result.ok()));
    if (m_listener)
        m_listener->close();
    emit finished(result);
}

} // namespace latchkey
