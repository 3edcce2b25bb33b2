#pragma once

#include "core/result.h"
#include "mail/mailmessage.h"

#include <QByteArray>
#include <QString>

#include <atomic>

/// One blocking SMTP transaction, run by the `smtp` module (libcurl; src/mail/smtpmodule.h) that is
/// loaded on the first send, and the mapping of its failures to messages a person can act on.
/// Used by SmtpMailer from a worker thread; never call it on the GUI thread.
namespace latchkey::smtptransfer {

/// Everything one transfer needs, copied so the worker thread shares nothing with the caller.
struct Request
{
    /// "smtp://host:port" or "smtps://host:port", without credentials.
    QByteArray url;
    /// "host:port", for messages.
    QString endpoint;
    /// STARTTLS is required on smtp:// (CURLUSESSL_ALL); without it STARTTLS is still used,
    /// and verified, when the server offers it.
    bool requireTls = true;
    /// Empty: no AUTH.
    QByteArray username;
    /// Never logged, never put in an Error.
    QByteArray password;
    /// PEM file of the CA to trust instead of the system's; empty: the system store.
    QByteArray caFile;
    /// Connection phase limit, including the TLS handshake.
    long connectTimeoutMs = 10000;
    /// Whole transaction limit.
    long totalTimeoutMs = 30000;
    /// The checked, encoded message.
    PreparedMail mail;
};

/// Runs one SMTP transaction; blocks until it ends, fails, times out, or `abort` becomes true
/// (checked at least once a second). Returns success or an Error from failure(); ModuleMissing
/// (kind Config) when liblatchkey-smtp.so cannot be loaded or is from another build.
Status run(const Request &request, const std::atomic_bool &abort);

/// The Error for a failed transfer: `curlCode` is the CURLcode, `curlDetail` curl's error buffer
/// (may be empty), `smtpCode` the server's last reply code (0 if none). Kind Mail, Timeout,
/// Cancelled or Config; the message names the server and the setting to check.
Error failure(int curlCode, const QByteArray &curlDetail, long smtpCode, const Request &request);

} // namespace latchkey::smtptransfer
