#pragma once

#include "mail/mailmessage.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace latchkey {

/// The sign-in email: a link to the app's own loopback listener and the 6-digit code (for a link
/// opened on another device), when both expire, and "if you did not ask for this, ignore it".
/// Text and HTML alternatives in the app's language (English or Korean, through the installed
/// translator). No value is placed in the HTML unescaped.
/// `now` (the injected clock's) says how many minutes are left.
MailMessage magicLinkMessage(const MailAddress &from, const QString &to, const QUrl &link,
                             const QString &code, const QDateTime &expires, const QDateTime &now);

} // namespace latchkey
