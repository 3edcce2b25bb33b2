// The `smtp` module: one blocking SMTP transaction on libcurl (src/mail/smtpmodule.h). Built
// into liblatchkey-smtp.so, which alone links libcurl; the library maps the result to an Error.
#include "mail/smtpmodule.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace latchkey::smtpmodule {

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
    const auto *abort = static_cast<const std::atomic_bool *>(clientp);
    return abort && abort->load() ? 1 : 0;
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
Mime buildMime(CURL *easy, const Request &request)
{
    Mime top(curl_mime_init(easy));
    if (!top)
        return {};
    if (request.htmlBody.isEmpty())
        return addTextPart(top.get(), request.textBody, "text/plain; charset=utf-8")
                ? std::move(top)
                : Mime();
    Mime alternative(curl_mime_init(easy));
    if (!alternative ||
        !addTextPart(alternative.get(), request.textBody, "text/plain; charset=utf-8") ||
        !addTextPart(alternative.get(), request.htmlBody, "text/html; charset=utf-8"))
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

Result send(const Request &request)
{
    if (!ensureCurlInitialised())
        return {Outcome::InitFailed, CURLE_FAILED_INIT, 0, {}};
    // Declared before the easy handle so they outlive it (libcurl: free them after cleanup).
    Mime mime;
    Slist recipients;
    Slist headers;
    Easy easy(curl_easy_init());
    if (!easy)
        return {Outcome::NoHandle, CURLE_OUT_OF_MEMORY, 0, {}};
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
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, const_cast<std::atomic_bool *>(request.abort));

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

    const QByteArray mailFrom = '<' + request.from + '>';
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mailFrom.constData());
    bool listsOk = !request.recipients.isEmpty();
    for (const QByteArray &recipient : request.recipients)
        listsOk = listsOk && append(recipients, '<' + recipient + '>');
    for (const QByteArray &header : request.headers)
        listsOk = listsOk && append(headers, header);
    mime = buildMime(handle, request);
    if (!listsOk || !mime)
        return {Outcome::BuildFailed, CURLE_OUT_OF_MEMORY, 0, {}};
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
    return {Outcome::TransferFailed, static_cast<int>(code), smtpCode, detail.trimmed()};
}

constexpr Interface kInterface{kVersion, &send};

} // namespace

} // namespace latchkey::smtpmodule

const latchkey::smtpmodule::Interface *latchkey_smtp_module()
{
    return &latchkey::smtpmodule::kInterface;
}
