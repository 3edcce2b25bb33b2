#pragma once

#include <QByteArray>
#include <QString>

namespace latchkey {

/// One of the fixed HTML pages the loopback listener answers with.
///
/// Pages are built only from the named constructors below, so no request parameter can ever be
/// echoed into a page (docs/security.md "Loopback listener"). The HTML is self-contained: inline
/// CSS, no scripts, images, fonts or any other resource (the listener's Content-Security-Policy
/// forbids them anyway). Texts go through QCoreApplication::translate (context
/// "latchkey::StaticPage").
class StaticPage
{
public:
    /// How the page presents itself.
    enum class Tone {
        Success, ///< a green check mark
        Failure, ///< a red cross
        Neutral, ///< a grey dot
    };

    /// "Signed in — you can close this tab and return to Latchkey."
    static StaticPage signedIn();
    /// "Sign-in failed — return to Latchkey for details." (the reason is shown in the app only).
    static StaticPage signInFailed();
    /// "Sign-in did not complete — return to Latchkey." The answer to a held callback whose
    /// sign-in failed or took too long; it names no reason (the app shows that).
    static StaticPage signInIncomplete();
    /// "Link not used" (an email link that is not for the sign-in in progress). Neutral: it says
    /// neither which address nor which check.
    static StaticPage linkNotAccepted();
    /// "No sign-in is in progress" (a callback arrived when nothing was waiting for it).
    static StaticPage noSignInInProgress();
    /// "Page not found" (an unknown path).
    static StaticPage notFound();
    /// "Bad request" (a request the listener refused).
    static StaticPage badRequest();

    /// The page's title (also its heading), translated.
    QString title() const { return m_title; }
    /// The explanatory sentence under the heading, translated.
    QString message() const { return m_message; }
    /// The page's tone.
    Tone tone() const { return m_tone; }

    /// The complete UTF-8 HTML document.
    QByteArray toHtml() const;

private:
    StaticPage(QString title, QString message, Tone tone);

    QString m_title;
    QString m_message;
    Tone m_tone;
};

} // namespace latchkey
