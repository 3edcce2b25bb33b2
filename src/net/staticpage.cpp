#include "staticpage.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

QString tr(const char *text, const char *comment = nullptr)
{
    return QCoreApplication::translate("latchkey::StaticPage", text, comment);
}

// Inline only: the Content-Security-Policy allows `style-src 'unsafe-inline'` and nothing else.
constexpr char kStyle[] = R"css(
:root { color-scheme: light dark; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  background: #f4f5f7; color: #1f2328; }
main { max-width: 26rem; margin: 1.5rem; padding: 2.5rem 2rem; text-align: center;
  background: #fff; border-radius: 14px; box-shadow: 0 6px 24px rgba(0, 0, 0, .08); }
.mark { width: 3.5rem; height: 3.5rem; margin: 0 auto 1.25rem; border-radius: 50%;
  display: flex; align-items: center; justify-content: center; font-size: 1.8rem; color: #fff; }
.success { background: #1f883d; } .failure { background: #cf222e; } .neutral { background: #8c959f; }
h1 { font-size: 1.35rem; margin: 0 0 .6rem; }
p { margin: 0; line-height: 1.5; color: #57606a; }
.brand { margin-top: 1.75rem; font-size: .8rem; letter-spacing: .08em; text-transform: uppercase;
  color: #8c959f; }
@media (prefers-color-scheme: dark) {
  body { background: #0d1117; color: #e6edf3; }
  main { background: #161b22; box-shadow: none; }
  p { color: #9da7b3; }
}
)css";

} // namespace

StaticPage::StaticPage(QString title, QString message, Tone tone)
    : m_title(std::move(title)), m_message(std::move(message)), m_tone(tone)
{ }

StaticPage StaticPage::signedIn()
{
    return {tr("Signed in"), tr("You can close this tab and return to Latchkey."), Tone::Success};
}

StaticPage StaticPage::signInFailed()
{
    return {tr("Sign-in failed"), tr("Return to Latchkey for details."), Tone::Failure};
}

StaticPage StaticPage::signInIncomplete()
{
    return {tr("Sign-in did not complete"),
            tr("Return to Latchkey to see what happened and try again."), Tone::Neutral};
}

StaticPage StaticPage::linkNotAccepted()
{
    return {tr("Link not used"),
            tr("This link is not for the sign-in Latchkey is waiting for. Open the link in the "
               "newest sign-in email, or type its code in Latchkey."),
            Tone::Neutral};
}

StaticPage StaticPage::noSignInInProgress()
{
    return {tr("No sign-in is in progress"),
            tr("Latchkey is not waiting for a sign-in. Start again from the Latchkey window."),
            Tone::Neutral};
}

StaticPage StaticPage::notFound()
{
    return {tr("Page not found"), tr("This address is not part of a Latchkey sign-in."),
            Tone::Neutral};
}

StaticPage StaticPage::badRequest()
{
    return {tr("Bad request"),
            tr("Latchkey could not read this request. Return to Latchkey and try again."),
            Tone::Failure};
}

QByteArray StaticPage::toHtml() const
{
    const char *toneClass = "neutral";
    const char16_t *symbol = u"\u2022";
    switch (m_tone) {
    case Tone::Success:
        toneClass = "success";
        symbol = u"\u2713";
        break;
    case Tone::Failure:
        toneClass = "failure";
        symbol = u"\u2715";
        break;
    case Tone::Neutral:
        break;
    }
    const QString html = u"<!DOCTYPE html>\n<html lang=\""_s +
            tr("en", "HTML lang attribute of the browser pages").toHtmlEscaped() +
            u"\">\n<head>\n<meta charset=\"utf-8\">\n"
            u"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            u"<title>"_s +
            m_title.toHtmlEscaped() + u" \u2014 Latchkey</title>\n<style>"_s +
            QString::fromLatin1(kStyle) + u"</style>\n</head>\n<body>\n<main>\n<div class=\""_s +
            QString::fromLatin1(toneClass) + u" mark\" aria-hidden=\"true\">"_s +
            QString::fromUtf16(symbol) + u"</div>\n<h1>"_s + m_title.toHtmlEscaped() +
            u"</h1>\n<p>"_s + m_message.toHtmlEscaped() +
            u"</p>\n<div class=\"brand\">Latchkey</div>\n</main>\n</body>\n</html>\n"_s;
    return html.toUtf8();
}

} // namespace latchkey
