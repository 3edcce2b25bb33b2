#include "smtptransfer.h"

#include "core/module.h"
#include "mail/smtpmodule.h"

// For the CURLcode values only: libcurl itself is linked by the module, never by the library.
#include <curl/curl.h>

#include <optional>

namespace latchkey::smtptransfer {

namespace {

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
    auto loaded = module::interfaceOf<smtpmodule::Interface>("smtp", smtpmodule::kVersion);
    if (!loaded)
        return loaded.error();
    const smtpmodule::Interface *smtp = loaded.value();

    smtpmodule::Request transfer;
    transfer.url = request.url;
    transfer.requireTls = request.requireTls;
    transfer.username = request.username;
    transfer.password = request.password;
    transfer.caFile = request.caFile;
    transfer.connectTimeoutMs = request.connectTimeoutMs;
    transfer.totalTimeoutMs = request.totalTimeoutMs;
    transfer.from = request.mail.envelopeFrom;
    transfer.recipients = {request.mail.envelopeTo};
    transfer.headers = request.mail.headers;
    transfer.textBody = request.mail.textBody;
    transfer.htmlBody = request.mail.htmlBody;
    transfer.abort = &abort;

    const smtpmodule::Result result = smtp->send(transfer);
    switch (result.outcome) {
    case smtpmodule::Outcome::Sent:
        return {};
    case smtpmodule::Outcome::InitFailed:
        return Error::make(ErrorKind::Mail, ErrorCode::MailFailed,
                           QStringLiteral("Could not initialise libcurl, so no email can be sent. "
                                          "Reinstall the libcurl package."));
    case smtpmodule::Outcome::NoHandle:
        return Error::make(ErrorKind::Mail, ErrorCode::MailFailed,
                           QStringLiteral("Could not start libcurl (out of memory?). Try again."));
    case smtpmodule::Outcome::BuildFailed:
        return Error::make(
                ErrorKind::Mail,
                QStringLiteral("Could not build the email (out of memory?). Try again."));
    case smtpmodule::Outcome::TransferFailed:
        break;
    }
    Error error = failure(result.curlCode, result.detail, result.smtpCode, request);
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
