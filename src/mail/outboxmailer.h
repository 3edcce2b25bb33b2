#pragma once

#include "mail/mailer.h"

#include <QString>

namespace latchkey {

/// The developer mailbox: with no EMAIL_SERVER configured, mail is written to a local folder
/// (the desktop twin of NextAuth printing the link in development). Each message is a complete
/// RFC 5322 file, `<outbox>/<UTC yyyyMMddTHHmmssZ>-<n>.eml`, written atomically, owner-only
/// (folder 0700, file 0600: a magic link in it signs the user in).
class OutboxMailer final : public Mailer
{
    Q_OBJECT

public:
    /// A mailer writing into `directory` (created on the first send if missing).
    explicit OutboxMailer(QString directory, QObject *parent = nullptr);

    /// See Mailer::send(). The file is written before this returns; the callback, and
    /// messageWritten(), follow from the event loop. A write failure is an Error of kind Mail.
    void send(const MailMessage &message, QObject *context, DoneCallback callback) override;

    /// "developer outbox <directory>".
    QString describe() const override;

    /// The folder messages are written to.
    QString directory() const { return m_directory; }

    /// The newest message: the last one this mailer wrote, else the most recently modified .eml
    /// in the folder; empty when there is none.
    QString latestMessagePath() const;

Q_SIGNALS:
    /// A message was written to `path` (absolute). Emitted from the event loop after send().
    void messageWritten(const QString &path);

private:
    Result<QString> write(const QByteArray &content, const QDateTime &now);

    QString m_directory;
    QString m_latestPath;
    int m_sequence = 0;
};

} // namespace latchkey
