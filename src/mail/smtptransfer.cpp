#include "smtptransfer.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <optional>

namespace latchkey::smtptransfer {

namespace {

// curl_global_init is not thread-safe before 7.84 and must run once (libcurl docs).
bool ensureCurlInitialised()
{
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return result == CURLE_OK;
}

int abortCheck(void *clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<const std::atomic_bool *>(clientp)->load() ? 1 : 0;
}

struct SlistDeleter
{
    void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct MimeDeleter
{
    void operator()(curl_mime *mime) const { curl_mime_free(mime); }
};
using Mime = std::unique_ptr<curl_mime, MimeDeleter>;

struct EasyDeleter
{
    void operator()(CURL *easy) const { curl_easy_cleanup(easy); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

bool append(Slist &list, const QByteArray &line)
{
    curl_slist *grown = curl_slist_append(list.get(), line.constData());
    if (!grown)
        return false;
    (void)list.release();
    list.reset(grown);
    return true;
}

bool addTextPart(curl_mime *mime, const QByteArray &body, const char *type)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    return part &&
            curl_mime_data(part, body.constData(), static_cast<size_t>(body.size())) == CURLE_OK &&
            curl_mime_type(part, type) == CURLE_OK
            // RFC 2045 §6.7: 7-bit lines of at most 76 characters whatever the body holds.
            && curl_mime_encoder(part, "quoted-printable") == CURLE_OK;
}

// text + HTML as multipart/alternative (RFC 2046 §5.1.4: the preferred, richer part last), inside
// curl's top-level multipart/mixed (libcurl's smtp-mime example); text only as a single part.
Mime buildMime(CURL *easy, const PreparedMail &mail)
{
    Mime top(curl_mime_init(easy));
    if (!top)
        return {};
    if (mail.htmlBody.isEmpty())
        return addTextPart(top.get(), mail.textBody, "text/plain; charset=utf-8") ? std::move(top)
                                                                                  : Mime();
    Mime alternative(curl_mime_init(easy));
    if (!alternative ||
        !addTextPart(alternative.get(), mail.textBody, "text/plain; charset=utf-8") ||
        !addTextPart(alternative.get(), mail.htmlBody, "text/html; charset=utf-8"))
        return {};
    curl_mimepart *part = curl_mime_addpart(top.get());
    if (!part || curl_mime_subparts(part, alternative.get()) != CURLE_OK)
        return {};
    (void)alternative.release(); // owned by `part` now
    Slist disposition;
    if (curl_mime_type(part, "multipart/alternative") != CURLE_OK ||
        !append(disposition, "Content-Disposition: inline") ||
        curl_mime_headers(part, disposition.get(), 1) != CURLE_OK)
        return {};
    (void)disposition.release(); // owned by `part` now
    return top;
}

/// The typed code of a libcurl failure: what a person can do about it.
ErrorCode mailErrorCode(int curlCode, long smtpCode)
{
    switch (curlCode) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return ErrorCode::MailConnectFailed;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_USE_SSL_FAILED:
        return ErrorCode::MailTlsFailed;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        return ErrorCode::MailLoginRefused;
    default:
        return smtpCode == 530 ? ErrorCode::MailLoginRefused : ErrorCode::MailFailed;
    }
}

Error mailError(const QString &message, int curlCode, long smtpCode,
                std::optional<ErrorCode> code = std::nullopt)
{
    QString reason = QStringLiteral("curl-%1").arg(curlCode);
    if (smtpCode > 0)
        reason += QStringLiteral("/smtp-%1").arg(smtpCode);
    return Error::make(ErrorKind::Mail, code.value_or(mailErrorCode(curlCode, smtpCode)), message,
                       reason);
}

} // namespace

Status run(const Request &request, const std::atomic_bool &abort)
{
    if (!ensureCurlInitialised()) {
        return Error::make(ErrorKind::Mail, ErrorCode::MailFailed,
                           QStringLiteral("Could not initialise libcurl, so no email can be sent. "
                                          "Reinstall the libcurl package."));
    }
    // Declared before the easy handle so they outlive it (libcurl: free them after cleanup).
    Mime mime;
    Slist recipients;
    Slist headers;
    Easy easy(curl_easy_init());
    if (!easy) {
        return Error::make(ErrorKind::Mail, ErrorCode::MailFailed,
                           QStringLiteral("Could not start libcurl (out of memory?). Try again."));
    }
    CURL *handle = easy.get();
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(handle, CURLOPT_URL, request.url.constData());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L); // required in a multi-threaded program
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMs);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, request.totalTimeoutMs);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &abortCheck);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, const_cast<std::atomic_bool *>(&abort));

    // RFC 3207: STARTTLS, required unless the settings say otherwise; smtps:// is TLS anyway.
    curl_easy_setopt(handle, CURLOPT_USE_SSL,
                     request.requireTls ? static_cast<long>(CURLUSESSL_ALL)
                                        : static_cast<long>(CURLUSESSL_TRY));
    // docs/security.md "Mail headers": TLS certificate verified, always.
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.caFile.isEmpty())
        curl_easy_setopt(handle, CURLOPT_CAINFO, request.caFile.constData());
    if (!request.username.isEmpty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, request.username.constData());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, request.password.constData());
    }

    const QByteArray mailFrom = '<' + request.mail.envelopeFrom + '>';
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mailFrom.constData());
    bool listsOk = append(recipients, '<' + request.mail.envelopeTo + '>');
    for (const QByteArray &header : request.mail.headers)
        listsOk = listsOk && append(headers, header);
    mime = buildMime(handle, request.mail);
    if (!listsOk || !mime) {
        return Error::make(
                ErrorKind::Mail,
                QStringLiteral("Could not build the email (out of memory?). Try again."));
    }
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_MIMEPOST, mime.get());

    // libcurl dot-stuffs the DATA section (RFC 5321 §4.5.2).
    const CURLcode code = curl_easy_perform(handle);
    if (code == CURLE_OK)
        return {};
    long smtpCode = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &smtpCode);
    QByteArray detail(errorBuffer);
    if (detail.isEmpty())
        detail = curl_easy_strerror(code);
    Error error = failure(static_cast<int>(code), detail.trimmed(), smtpCode, request);
    error.subject = request.endpoint; // "host:port", for the message a person reads
    return error;
}

Error failure(int curlCode, const QByteArray &curlDetail, long smtpCode, const Request &request)
{
    const QString endpoint = request.endpoint;
    const QString detail = QString::fromUtf8(curlDetail);
    switch (static_cast<CURLcode>(curlCode)) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return mailError(QStringLiteral("Could not find the mail server %1: its name does not "
                                        "resolve. Check the host name in EMAIL_SERVER.")
                                 .arg(endpoint),
                         curlCode, smtpCode);
    case CURLE_COULDNT_CONNECT:
        return mailError(
                QStringLiteral("Could not connect to the mail server at %1. Check the host "
                               "and port in EMAIL_SERVER and that the server is running.")
                        .arg(endpoint),
                curlCode, smtpCode);
    case CURLE_OPERATION_TIMEDOUT:
        return Error::make(
                ErrorKind::Timeout,
                QStringLiteral("The mail server at %1 did not answer in time. Check "
                               "EMAIL_SERVER and the network connection, then try again.")
                        .arg(endpoint),
                QStringLiteral("curl-%1").arg(curlCode));
    case CURLE_PEER_FAILED_VERIFICATION:
        return mailError(QStringLiteral("The certificate of the mail server at %1 is not trusted "
                                        "(%2). If the server uses a private certificate authority, "
                                        "set EMAIL_CA_FILE to that authority's PEM file.")
                                 .arg(endpoint, detail),
                         curlCode, smtpCode);
    case CURLE_SSL_CACERT_BADFILE:
        return mailError(QStringLiteral("The certificate authority file \"%1\" could not be read. "
                                        "Check EMAIL_CA_FILE.")
                                 .arg(QString::fromUtf8(request.caFile)),
                         curlCode, smtpCode);
    case CURLE_SSL_CONNECT_ERROR:
        return mailError(QStringLiteral("Could not set up an encrypted connection to the mail "
                                        "server at %1 (%2). Check EMAIL_SERVER: smtps:// is for "
                                        "implicit-TLS ports (usually 465), smtp:// for STARTTLS "
                                        "(usually 587).")
                                 .arg(endpoint, detail),
                         curlCode, smtpCode);
    case CURLE_USE_SSL_FAILED: // RFC 3207: STARTTLS missing from EHLO, or refused
        return mailError(
                QStringLiteral("The mail server at %1 does not offer encryption "
                               "(STARTTLS), so the email was not sent in the clear. Use "
                               "the server's STARTTLS port (usually 587), or smtps:// with "
                               "its TLS port (usually 465), in EMAIL_SERVER.")
                        .arg(endpoint),
                curlCode, smtpCode);
    case CURLE_LOGIN_DENIED:
        return mailError(QStringLiteral("The mail server at %1 refused the login. Check "
                                        "EMAIL_USERNAME and EMAIL_PASSWORD (or the user:password "
                                        "in EMAIL_SERVER).")
                                 .arg(endpoint),
                         curlCode, smtpCode);
    case CURLE_AUTH_ERROR:
        return mailError(QStringLiteral("Could not log in to the mail server at %1: it offers no "
                                        "login method Latchkey supports (%2).")
                                 .arg(endpoint, detail),
                         curlCode, smtpCode);
    case CURLE_ABORTED_BY_CALLBACK:
        return Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                           QStringLiteral("Sending the email was cancelled."),
                           QStringLiteral("curl-%1").arg(curlCode));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return Error::make(
                ErrorKind::Config, ErrorCode::ConfigInvalid,
                QStringLiteral("EMAIL_SERVER is not a usable SMTP address (%1). Write it "
                               "as smtp://host:587 or smtps://host:465.")
                        .arg(detail),
                QStringLiteral("EMAIL_SERVER"));
    case CURLE_SEND_ERROR:
        // libcurl reports a refused envelope as "RCPT failed: <code>" / "MAIL failed: <code>".
        if (curlDetail.startsWith("RCPT")) { // RFC 5321 §4.2.2: 550 mailbox unavailable
            return mailError(QStringLiteral("The mail server at %1 refused the recipient %2 (SMTP "
                                            "%3). Check the email address.")
                                     .arg(endpoint, QString::fromLatin1(request.mail.envelopeTo))
                                     .arg(smtpCode),
                             curlCode, smtpCode, ErrorCode::MailRecipientRefused);
        }
        if (curlDetail.startsWith("MAIL") && smtpCode == 530) { // RFC 3207 §4, RFC 4954 §6
            return mailError(QStringLiteral("The mail server at %1 requires encryption or a login "
                                            "before it accepts mail (SMTP 530). Keep TLS required "
                                            "and set EMAIL_USERNAME and EMAIL_PASSWORD.")
                                     .arg(endpoint),
                             curlCode, smtpCode);
        }
        if (curlDetail.startsWith("MAIL")) {
            return mailError(
                    QStringLiteral("The mail server at %1 refused the sender %2 (SMTP %3). "
                                   "Check EMAIL_FROM and that this account may send as "
                                   "that address.")
                            .arg(endpoint, QString::fromLatin1(request.mail.envelopeFrom))
                            .arg(smtpCode),
                    curlCode, smtpCode);
        }
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        if (smtpCode >= 400) {
            return mailError(
                    QStringLiteral("The mail server at %1 did not accept the message (SMTP "
                                   "%2: %3).")
                            .arg(endpoint)
                            .arg(smtpCode)
                            .arg(detail),
                    curlCode, smtpCode);
        }
        break;
    default:
        break;
    }
    return mailError(QStringLiteral("Could not send the email through %1: %2 (curl error %3).")
                             .arg(endpoint, detail)
                             .arg(curlCode),
                     curlCode, smtpCode);
}

} // namespace latchkey::smtptransfer
