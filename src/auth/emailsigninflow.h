#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "email/verificationservice.h"
#include "mail/mailmessage.h"
#include "net/loopbacklistener.h"
#include "session/session.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace latchkey {

class AccountLinker;
class Mailer;
class SessionManager;

/// What an email sign-in needs; all must outlive the flow.
struct EmailSignInDeps
{
    VerificationService &verification;
    Mailer &mailer;
    AccountLinker &linker;
    SessionManager &sessions;
    MailAddress from;
    const Clock &clock;
};

/// One passwordless email sign-in, from "send" to a session.
///
///   start() ─► issue link token + code ─► listener on 127.0.0.1:<port>/callback/email ─► send
///        ─► sent() ─┬─ GET /callback/email?token=…&email=… (the link) ─┐
///                   ├─ submitCode("123456") ───────────────────────────┤
///                   ├─ resend() ─► new token + code, same port         │
///                   └─ cancel() / 10 min ─► finished(error)            ▼
///        someone else signed in? ── no ───────────────────────────────────► user ─► session
///             │ yes: switchRequested(A, B) ─┬─ confirmSwitch() ───────────►   ─► finished(ok)
///             │                             └─ declineSwitch() / cancel() / 5 min
///             ▼                                    ─► finished(error), A stays signed in
///
/// An accepted link's browser tab waits for finish(): "Signed in" only once the session exists.
/// Exactly one finished() per flow. Wrong codes and other links are reported with codeRejected()
/// and linkRejected() and the flow goes on until its own request is void or expires: a link
/// that is not this flow's request's (another address, another request) writes nothing and ends
/// nothing (docs/security.md).
class EmailSignInFlow : public QObject
{
    Q_OBJECT

public:
    /// `address` must be canonical (core/emailaddress.h).
    EmailSignInFlow(EmailSignInDeps deps, QString address, QObject *parent = nullptr);
    ~EmailSignInFlow() override;

    /// Issues and sends the email. Never finishes synchronously.
    void start();
    /// Picks up a request sent before the app restarted (VerificationService::newestPending()):
    /// listens on the link's port again and waits for the link or the code. Never finishes
    /// synchronously.
    void resume(const IssuedVerification &pending);
    /// Sends a new email (the earlier link and code stop working); subject to the cooldown.
    void resend();
    /// Redeems a typed code.
    void submitCode(const QString &code);
    /// Gives up: the pending link and code are voided, the listener closes. While a switch waits
    /// for an answer, the person who is signed in stays signed in.
    void cancel();
    /// A step-up instead of a sign-in (call before start(); the address is the signed-in user's):
    /// the link or code makes the session's authenticatedAt now; nothing else changes.
    void setConfirmUser(qint64 userId) { m_confirmUser = userId; }
    /// The signed-in user this flow acts for (a step-up), or none for a sign-in.
    std::optional<qint64> actingUser() const { return m_confirmUser; }
    /// Answers switchRequested(): signs the new person in as the active account (the one before
    /// stays signed in on this device).
    void confirmSwitch();
    /// Answers switchRequested(): the signed-in person stays; finished() with
    /// AccountSwitchDeclined.
    void declineSwitch();
    /// True while switchRequested() waits for an answer.
    bool switchPending() const { return !m_switchTo.isEmpty() && !m_done; }

    QString address() const { return m_address; }
    /// When the current link and code expire.
    QDateTime expires() const { return m_issued.expires; }
    /// Seconds until resend() is allowed.
    qint64 resendWaitSecs() const;
    /// The port of the loopback listener while the link is valid (0 otherwise).
    quint16 port() const;

signals:
    /// The email went out (also after resend()).
    void sent(const QString &address);
    /// resend() failed; the flow goes on.
    void resendFailed(const latchkey::Error &error);
    /// A typed code was refused; the user may try again.
    void codeRejected(const latchkey::Error &error);
    /// A link was opened but refused (wrong address, used, expired).
    void linkRejected(const latchkey::Error &error);
    /// The link was accepted by the listener (the UI raises its window).
    void linkOpened();
    /// The link or code proved `newAddress`, but `signedInAs` is signed in on this device. The
    /// session is left alone until confirmSwitch() or declineSwitch().
    void switchRequested(const QString &signedInAs, const QString &newAddress);
    /// The one terminal signal: signed in, or why not.
    void finished(const latchkey::Result<latchkey::Session> &result);

private:
    void send(bool isResend);
    Status ensureListening(quint16 port);
    void handleLink(const HttpRequest &request, LoopbackReply reply);
    void complete(const QString &identifier);
    void signIn(const QString &identifier);
    void finish(const Result<Session> &result);

    EmailSignInDeps m_deps;
    QString m_address;
    IssuedVerification m_issued;
    LoopbackListener *m_listener = nullptr;
    LoopbackReply m_linkReply; // the browser tab of an accepted link, answered by finish()
    QTimer m_expiry;
    QTimer m_switchTimeout;
    QString m_switchTo; // the proven address waiting for confirmSwitch()
    std::optional<qint64> m_confirmUser; // a step-up for this user, not a sign-in
    bool m_done = false;
    bool m_sending = false;
    bool m_completing = false;
};

} // namespace latchkey
