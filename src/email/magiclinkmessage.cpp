#include "magiclinkmessage.h"

#include <QCoreApplication>
#include <QLocale>

namespace latchkey {

namespace {

// The translation context of the email's texts (lupdate sees MagicLinkMessage::tr()).
class MagicLinkMessage
{
    Q_DECLARE_TR_FUNCTIONS(MagicLinkMessage)
};

} // namespace

MailMessage magicLinkMessage(const MailAddress &from, const QString &to, const QUrl &link,
                             const QString &code, const QDateTime &expires, const QDateTime &now)
{
    const QString minutes = QString::number(std::max<qint64>(1, (now.secsTo(expires) + 59) / 60));
    const QString when = QLocale().toString(expires.toLocalTime(), QLocale::ShortFormat);
    const QString url = link.toString(QUrl::FullyEncoded);

    MailMessage message;
    message.from = from;
    message.to = MailAddress{to, {}};
    message.subject = MagicLinkMessage::tr("Sign in to Latchkey");

    const QString intro =
            MagicLinkMessage::tr("Click the link below to sign in to Latchkey on this computer.");
    const QString codeLine = MagicLinkMessage::tr("Or type this code in the Latchkey window:");
    const QString expiry =
            MagicLinkMessage::tr(
                    "The link and the code work once and expire in %1 minutes (at %2).")
                    .arg(minutes, when);
    const QString ignore = MagicLinkMessage::tr(
            "If you did not ask to sign in, ignore this email: nothing happens "
            "without the link or the code.");
    const QString linkNote =
            MagicLinkMessage::tr("The link opens Latchkey on the computer where you asked for it. "
                                 "On another device, use the code.");

    message.textBody = intro + u"\n\n" + url + u"\n\n" + codeLine + u"\n\n    " + code + u"\n\n" +
            expiry + u"\n" + linkNote + u"\n\n" + ignore + u"\n";

    const auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    message.htmlBody =
            QStringLiteral("<!DOCTYPE html><html><body style=\"font-family: sans-serif; "
                           "color: #1f1f1f; max-width: 480px; margin: 24px auto;\">"
                           "<h1 style=\"font-size: 20px;\">%1</h1><p>%2</p>"
                           "<p><a href=\"%3\" style=\"display: inline-block; padding: 10px 18px; "
                           "background: #1a73e8; color: #ffffff; border-radius: 6px; "
                           "text-decoration: none;\">%1</a></p>"
                           "<p>%4</p><p style=\"font-size: 28px; letter-spacing: 6px; "
                           "font-weight: bold;\">%5</p><p>%6<br>%7</p>"
                           "<p style=\"color: #5f6368; font-size: 13px;\">%8</p></body></html>")
                    .arg(esc(message.subject), esc(intro), esc(url), esc(codeLine), esc(code),
                         esc(expiry), esc(linkNote), esc(ignore));
    return message;
}

} // namespace latchkey
