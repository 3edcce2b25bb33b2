#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace latchkey::gui {

/// What the window shows of a sign-in email from the developer outbox.
struct OutboxMessage
{
    QString subject; ///< the Subject header, RFC 2047 encoded-words decoded
    QString recipient; ///< the To header, decoded
    QString text; ///< the text/plain part, transfer encoding undone, UTF-8 decoded
    QString code; ///< the 6-digit sign-in code (empty when the text has none)
    QUrl link; ///< the first http(s) link of the text (invalid when none)
};

/// Reads a message as the outbox writes it (RFC 5322 headers, MIME text/plain alone or first in a
/// multipart; quoted-printable, base64, 7bit or 8bit). A pure function over the file's bytes:
/// nothing when there is no header section or no text part.
std::optional<OutboxMessage> parseOutboxMessage(const QByteArray &raw);

} // namespace latchkey::gui
