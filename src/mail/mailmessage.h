#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace latchkey {

/// An email address with an optional display name, e.g. `Latchkey <no-reply@example.com>`.
struct MailAddress
{
    /// The address itself (addr-spec), e.g. "alice@example.com". ASCII local part; the domain may
    /// be an internationalised name (sent in its IDNA ASCII form).
    QString address;
    /// Optional name shown by mail programs; any characters (encoded per RFC 2047 when not ASCII).
    QString displayName;
};

/// A MailMessage checked and encoded for the wire (7-bit headers, UTF-8 bodies with CRLF).
struct PreparedMail
{
    /// The sender's addr-spec for SMTP MAIL FROM (RFC 5321 §4.1.1.2).
    QByteArray envelopeFrom;
    /// The recipient's addr-spec for SMTP RCPT TO (RFC 5321 §4.1.1.3).
    QByteArray envelopeTo;
    /// Top-level header fields without a final line ending, in order: Date, From, To, Subject,
    /// Message-ID (RFC 5322 §3.6). A long field is folded (CRLF before a space, never elsewhere).
    /// MIME headers are added by whoever builds the body.
    QList<QByteArray> headers;
    /// The text body, UTF-8, CRLF line endings, not yet transfer-encoded.
    QByteArray textBody;
    /// The HTML body, UTF-8, CRLF line endings, not yet transfer-encoded; empty for text only.
    QByteArray htmlBody;
};

/// One email to one recipient: plain text and (optionally) HTML alternatives of the same content.
/// Header values are untrusted: every Mailer strips control characters from them
/// (docs/security.md).
struct MailMessage
{
    /// The sender (EMAIL_FROM).
    MailAddress from;
    /// The single recipient.
    MailAddress to;
    /// The subject line, any characters; non-ASCII is sent as RFC 2047 encoded-words.
    QString subject;
    /// The plain-text body (required). Any line endings; sent as UTF-8 with CRLF.
    QString textBody;
    /// The HTML body; empty for a text-only message.
    QString htmlBody;
    /// The Date header; an invalid QDateTime (the default) means the time of sending.
    QDateTime date;

    /// Checks the addresses and body and encodes the headers. `now` is used when `date` is
    /// invalid. Errors are of kind InvalidInput and say which field is wrong.
    Result<PreparedMail> prepare(const QDateTime &now) const;
};

} // namespace latchkey
