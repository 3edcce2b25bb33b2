#include "mailmessage.h"

#include "mailheaders.h"

namespace latchkey {

Result<PreparedMail> MailMessage::prepare(const QDateTime &now) const
{
    auto sender = mailheaders::addrSpec(from.address, QStringLiteral("sender (EMAIL_FROM)"));
    if (!sender)
        return sender.error();
    auto recipient = mailheaders::addrSpec(to.address, QStringLiteral("recipient"));
    if (!recipient)
        return recipient.error();
    if (textBody.trimmed().isEmpty()) {
        return Error::make(ErrorKind::InvalidInput,
                           QStringLiteral("The email has no text body; every message needs one."));
    }

    PreparedMail mail;
    mail.envelopeFrom = sender.value();
    mail.envelopeTo = recipient.value();
    // RFC 5322 §3.6: Date and From are required; Message-ID SHOULD be present (§3.6.4).
    mail.headers = {
            mailheaders::field("Date", mailheaders::date(date.isValid() ? date : now)),
            mailheaders::field("From", mailheaders::mailbox(mail.envelopeFrom, from.displayName)),
            mailheaders::field("To", mailheaders::mailbox(mail.envelopeTo, to.displayName)),
            mailheaders::field("Subject", mailheaders::encodeUnstructured(subject)),
            mailheaders::field("Message-ID", mailheaders::messageId(mail.envelopeFrom)),
    };
    mail.textBody = mailheaders::crlfLines(textBody);
    mail.htmlBody = mailheaders::crlfLines(htmlBody);
    return mail;
}

} // namespace latchkey
