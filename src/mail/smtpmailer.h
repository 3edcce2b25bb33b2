#pragma once

#include "mail/mailer.h"

#include <latchkey/options.h>

#include <QThreadPool>
#include <QUrl>

#include <memory>
#include <vector>

namespace latchkey {

/// Where and how SmtpMailer delivers (EMAIL_SERVER, EMAIL_USERNAME, EMAIL_PASSWORD,
/// EMAIL_CA_FILE). Check with SmtpMailer::validate() before use.
struct SmtpSettings
{
    /// smtp://host:port (STARTTLS, usually 587) or smtps://host:port (implicit TLS, usually 465);
    /// `user:password@` in the URL is allowed. Without a port: 25 for smtp, 465 for smtps.
    QUrl server;
    /// Login name; when not empty it overrides the URL's user name.
    QString username;
    /// Login password; when not empty it overrides the URL's password. Never logged.
    QString password;
    /// PEM file of the certificate authority to trust instead of the system's; empty: system.
    QString caFile;
    /// smtp:// only: refuse to send unless STARTTLS succeeds. When false, STARTTLS is still used
    /// (and verified) if offered; credentials are then allowed only to a loopback server.
    bool requireTls = true;
    /// Limit for connecting, the TLS handshake included.
    int connectTimeoutMs = 10000;
    /// Limit for the whole transaction.
    int totalTimeoutMs = 30000;

    /// The settings the configuration's email options describe (EMAIL_SERVER, EMAIL_USERNAME, ...).
    static SmtpSettings from(const EmailOptions &email);
};

struct SmtpDeliveryState;

/// Sends mail over SMTP with libcurl: STARTTLS or implicit TLS with certificate verification,
/// AUTH when credentials are given, text + HTML as multipart/alternative. Each send runs on a
/// worker thread of its own pool, so the event loop never blocks; the result comes back to the
/// context's thread. Failures are Errors of kind Mail (Timeout when the server is too slow) that
/// name the server and the setting to check. libcurl lives in the `smtp` module, loaded by the
/// first send's worker (docs/architecture.md "Modules"); without it a send fails with
/// ModuleMissing (kind Config). Constructing a mailer and validate() load nothing.
///
///   context's thread                         worker thread (m_pool)
///   send() ─ validate, prepare ─ receiver ─► smtptransfer::run()   (loads the module once,
///                                                  │                 blocking curl, abort flag)
///            (child of context)                    │
///   receiver->finish(status) ◄── queued call ──────┘  dropped if the receiver is gone
///   cancel() ─ abort flag + finish(Cancelled) at once; a later worker result is ignored
class SmtpMailer final : public Mailer
{
    Q_OBJECT

public:
    /// A mailer for `settings`. Invalid settings are reported by every send() (and by validate()).
    explicit SmtpMailer(SmtpSettings settings, QObject *parent = nullptr);
    /// Aborts sends in flight (their callbacks get Cancelled) and waits for the worker threads,
    /// which notice within about a second.
    ~SmtpMailer() override;

    /// Checks `settings` without connecting: scheme smtp or smtps, a host, a port in 1..65535 if
    /// given, no path/query/fragment, a readable CA file if set, positive timeouts, and no
    /// credentials over an unencrypted connection to a non-loopback host. Errors are of kind
    /// Config, coded with the setting's name (EMAIL_SERVER, EMAIL_CA_FILE).
    static Status validate(const SmtpSettings &settings);

    /// See Mailer::send(). Never blocks: the SMTP transaction runs on a worker thread.
    void send(const MailMessage &message, QObject *context, DoneCallback callback) override;

    /// See Mailer::cancel(). Callbacks get Cancelled at once; transfers stop within a second.
    void cancel() override;

    /// "SMTP host:port" or "SMTPS host:port"; never the credentials.
    QString describe() const override;

private:
    SmtpSettings m_settings;
    std::vector<std::shared_ptr<SmtpDeliveryState>> m_deliveries;
    QThreadPool m_pool;
};

} // namespace latchkey
