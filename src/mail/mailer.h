#pragma once

#include "core/result.h"
#include "mail/mailmessage.h"

#include <QObject>
#include <QString>

#include <functional>

namespace latchkey {

/// Sends email: over SMTP (SmtpMailer) or into a local developer outbox (OutboxMailer).
/// The email module depends on this interface only; the composition root picks the adapter.
class Mailer : public QObject
{
    Q_OBJECT

public:
    /// Receives the outcome of one send(): success, or an Error (kind Mail, Timeout, Cancelled
    /// or InvalidInput) whose message tells a person what happened and what to change.
    using DoneCallback = std::function<void(Status)>;

    using QObject::QObject;

    /// Sends `message`. `callback` runs exactly once, later from the event loop of `context`'s
    /// thread (never inside this call), and not at all if `context` is destroyed first.
    /// Preconditions: `context` is not null and lives in the calling thread.
    virtual void send(const MailMessage &message, QObject *context, DoneCallback callback) = 0;

    /// Gives up on every send still in flight: each pending callback gets an Error of kind
    /// Cancelled (a message may still have been delivered). Does nothing when none is pending.
    virtual void cancel() { }

    /// Where mail goes, for the UI and logs, without credentials: "SMTP smtp.example.com:587",
    /// "developer outbox /home/me/.local/share/latchkey/outbox".
    virtual QString describe() const = 0;
};

} // namespace latchkey
