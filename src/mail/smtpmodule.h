#pragma once

// The interface of the `smtp` module (liblatchkey-smtp.so, docs/architecture.md "Modules"): one
// blocking SMTP transaction on libcurl. Shared by the library (smtptransfer.cpp, which loads the
// module on the first send and turns a failure into an Error) and the module
// (module/smtpmodule.cpp). Plain Qt types only: the module holds no Latchkey objects, and
// libcurl is mapped only once an email is sent.
#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <atomic>

namespace latchkey::smtpmodule {

/// Changes whenever Request, Result or Interface change: a module left over from another build
/// is refused instead of misread.
inline constexpr int kVersion = 1;

/// One transfer, copied so the worker thread shares nothing with the caller but `abort`.
struct Request
{
    /// "smtp://host:port" or "smtps://host:port", without credentials.
    QByteArray url;
    /// smtp://: STARTTLS is required (CURLUSESSL_ALL); without it STARTTLS is still used, and
    /// verified, when the server offers it.
    bool requireTls = true;
    /// Empty: no AUTH.
    QByteArray username;
    /// Never logged.
    QByteArray password;
    /// PEM file of the CA to trust instead of the system's; empty: the system store.
    QByteArray caFile;
    /// Connection phase limit, including the TLS handshake.
    long connectTimeoutMs = 10000;
    /// Whole transaction limit.
    long totalTimeoutMs = 30000;
    /// The envelope sender and recipients (addr-specs, without angle brackets).
    QByteArray from;
    QList<QByteArray> recipients;
    /// Top-level header fields, each without its line ending.
    QList<QByteArray> headers;
    /// UTF-8 bodies with CRLF, not yet transfer-encoded; `htmlBody` empty for text only.
    QByteArray textBody;
    QByteArray htmlBody;
    /// The transfer stops when this becomes true (checked at least once a second).
    const std::atomic_bool *abort = nullptr;
};

/// How a transfer ended.
enum class Outcome {
    Sent,
    TransferFailed, ///< curl_easy_perform failed: see curlCode, smtpCode, detail
    InitFailed, ///< curl_global_init failed
    NoHandle, ///< curl_easy_init failed
    BuildFailed, ///< the recipients, headers or MIME parts could not be built
};

struct Result
{
    Outcome outcome = Outcome::Sent;
    /// The CURLcode of a failed transfer.
    int curlCode = 0;
    /// The server's last reply code; 0 if none.
    long smtpCode = 0;
    /// curl's error text for a failed transfer (its error buffer, else curl_easy_strerror).
    QByteArray detail;
};

/// What `latchkey_smtp_module()` returns.
struct Interface
{
    int version; ///< kVersion of the build that made the module
    /// Runs one SMTP transaction; blocks until it ends, fails, times out or is aborted.
    Result (*send)(const Request &request);
};

} // namespace latchkey::smtpmodule

/// The module's entry point (src/core/module.h).
extern "C" Q_DECL_EXPORT const latchkey::smtpmodule::Interface *latchkey_smtp_module();
