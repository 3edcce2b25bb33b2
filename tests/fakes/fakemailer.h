#pragma once

#include "mail/mailer.h"

#include <QList>
#include <QMetaObject>

#include <optional>
#include <utility>

namespace latchkey::test {

/// A Mailer for tests: records every message handed to send() and answers asynchronously like
/// the real mailers, with programmable failures.
///
/// failNext() makes the next send() fail with the given Error; failAll() makes every send fail
/// until clearFailures(). A failed send is still recorded in attempts() but not in messages()
/// (it was not delivered).
///
/// No Q_OBJECT: it adds no signals or slots, and a header-only fake is not seen by AutoMoc.
class FakeMailer final : public Mailer
{
public:
    /// A mailer that delivers everything.
    explicit FakeMailer(QObject *parent = nullptr) : Mailer(parent) { }

    /// Records `message`; the callback gets success or the armed failure, later, from the event
    /// loop, and not at all once `context` is destroyed.
    void send(const MailMessage &message, QObject *context, DoneCallback callback) override
    {
        m_attempts.append(message);
        Status status;
        if (m_allFailure)
            status = *m_allFailure;
        else if (auto failure = std::exchange(m_nextFailure, std::nullopt))
            status = std::move(*failure);
        else
            m_messages.append(message);
        QMetaObject::invokeMethod(
                context,
                [callback = std::move(callback), status = std::move(status)] { callback(status); },
                Qt::QueuedConnection);
    }

    /// "fake mailer" (no server, no credentials).
    QString describe() const override { return QStringLiteral("fake mailer"); }

    /// The next send() fails with `error` and delivers nothing.
    void failNext(Error error) { m_nextFailure = std::move(error); }
    /// Every send() fails with `error` until clearFailures().
    void failAll(Error error) { m_allFailure = std::move(error); }
    /// Disarms every failure.
    void clearFailures()
    {
        m_nextFailure.reset();
        m_allFailure.reset();
    }

    /// The messages delivered so far, oldest first.
    const QList<MailMessage> &messages() const { return m_messages; }
    /// Every message handed to send(), delivered or not, oldest first.
    const QList<MailMessage> &attempts() const { return m_attempts; }

private:
    QList<MailMessage> m_messages;
    QList<MailMessage> m_attempts;
    std::optional<Error> m_nextFailure;
    std::optional<Error> m_allFailure;
};

} // namespace latchkey::test
