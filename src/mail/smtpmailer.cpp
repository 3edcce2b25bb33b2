#include "smtpmailer.h"

#include "core/logging.h"
#include "core/loopbackhost.h"
#include "mail/smtptransfer.h"

#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>

#include <atomic>

namespace latchkey {

namespace {

constexpr int kDefaultSmtpPort = 25; // RFC 5321 §4.5.4.2 (curl's default for smtp://)
constexpr int kDefaultSmtpsPort = 465; // RFC 8314 §7.3
constexpr int kMaxWorkers = 2;

int effectivePort(const QUrl &server)
{
    return server.port(server.scheme() == u"smtps" ? kDefaultSmtpsPort : kDefaultSmtpPort);
}

QString endpoint(const QUrl &server)
{
    const QString host = server.host(QUrl::EncodeUnicode);
    const QString shown = host.contains(u':') ? u'[' + host + u']' : host; // IPv6 literal
    return shown + u':' + QString::number(effectivePort(server));
}

Error configError(const QString &message, const QString &key = QStringLiteral("EMAIL_SERVER"))
{
    return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid, message, key);
}

} // namespace

class SmtpDeliveryReceiver;

/// Shared by the GUI-side receiver and the worker thread of one send().
struct SmtpDeliveryState
{
    /// Set to stop the transfer (checked by curl's progress callback).
    std::atomic_bool abort{false};
    /// Set by the worker when the transfer has ended.
    std::atomic_bool finished{false};
    /// Guards `receiver`.
    QMutex mutex;
    /// Lives in the context's thread; cleared by its destructor (under `mutex`).
    SmtpDeliveryReceiver *receiver = nullptr;
};

/// Holds the callback in the context's thread, as a child of the context, so a destroyed
/// context takes the callback with it; calls it at most once.
class SmtpDeliveryReceiver : public QObject
{
public:
    SmtpDeliveryReceiver(std::shared_ptr<SmtpDeliveryState> state, Mailer::DoneCallback callback,
                         QObject *context)
        : QObject(context), m_state(std::move(state)), m_callback(std::move(callback))
    { }
    ~SmtpDeliveryReceiver() override
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->receiver = nullptr;
    }

    void finish(const Status &status)
    {
        if (!m_callback)
            return;
        const Mailer::DoneCallback callback = std::move(m_callback);
        m_callback = nullptr;
        deleteLater();
        callback(status); // may destroy the context, and this with it: touch nothing after
    }

private:
    std::shared_ptr<SmtpDeliveryState> m_state;
    Mailer::DoneCallback m_callback;
};

SmtpMailer::SmtpMailer(SmtpSettings settings, QObject *parent)
    : Mailer(parent), m_settings(std::move(settings))
{
    m_pool.setMaxThreadCount(kMaxWorkers);
}

SmtpMailer::~SmtpMailer()
{
    for (const auto &delivery : m_deliveries)
        delivery->abort = true;
    m_pool.waitForDone();
}

Status SmtpMailer::validate(const SmtpSettings &settings)
{
    const QUrl &server = settings.server;
    // Messages never echo the URL: it may hold a password.
    if (server.isEmpty()) {
        return configError(QStringLiteral("EMAIL_SERVER is empty. Set it to smtp://host:587 "
                                          "(STARTTLS) or smtps://host:465 (TLS)."));
    }
    if (!server.isValid()) {
        return configError(QStringLiteral("EMAIL_SERVER is not a valid URL. Write it as "
                                          "smtp://user:password@host:587 or smtps://host:465."));
    }
    if (server.scheme() != u"smtp" && server.scheme() != u"smtps") {
        return configError(QStringLiteral("EMAIL_SERVER must start with smtp:// or smtps://, not "
                                          "\"%1:\".")
                                   .arg(server.scheme()));
    }
    if (server.host().isEmpty())
        return configError(QStringLiteral("EMAIL_SERVER has no host name."));
    if (server.port() == 0 || server.port() > 65535)
        return configError(QStringLiteral("EMAIL_SERVER has port 0; use the server's SMTP port."));
    if ((!server.path().isEmpty() && server.path() != u"/") || server.hasQuery() ||
        server.hasFragment()) {
        return configError(QStringLiteral("EMAIL_SERVER must be only scheme, host and port (for "
                                          "example smtp://host:587), without a path or query."));
    }
    if (!settings.caFile.isEmpty()) {
        const QFileInfo caFile(settings.caFile);
        if (!caFile.isFile() || !caFile.isReadable()) {
            return configError(QStringLiteral("EMAIL_CA_FILE \"%1\" is not a readable file. Point "
                                              "it at the PEM file of the mail server's CA.")
                                       .arg(settings.caFile),
                               QStringLiteral("EMAIL_CA_FILE"));
        }
    }
    if (settings.connectTimeoutMs <= 0 || settings.totalTimeoutMs <= 0)
        return configError(QStringLiteral("The mail server timeouts must be positive."));
    // docs/security.md threat "the network": sign-in links and codes never cross a network in
    // clear text, so plain SMTP (EMAIL_TLS=off) is only for a relay on this computer.
    if (server.scheme() == u"smtp" && !settings.requireTls && !isLoopbackHost(server.host())) {
        return configError(QStringLiteral("EMAIL_TLS=off is allowed only for a mail relay on this "
                                          "computer (localhost or 127.0.0.1); sign-in links must "
                                          "not cross the network unencrypted. Remove EMAIL_TLS or "
                                          "use smtps://."),
                           QStringLiteral("EMAIL_TLS"));
    }
    return {};
}

void SmtpMailer::send(const MailMessage &message, QObject *context, DoneCallback callback)
{
    Q_ASSERT(context);
    Q_ASSERT(context->thread() == QThread::currentThread());
    const auto failLater = [&](const Error &error) {
        qCWarning(lcMail).noquote() << "Not sending email:" << error.message;
        QTimer::singleShot(0, context,
                           [callback = std::move(callback), error] { callback(error); });
    };
    if (const Status valid = validate(m_settings); !valid)
        return failLater(valid.error());
    auto prepared = message.prepare(QDateTime::currentDateTimeUtc());
    if (!prepared)
        return failLater(prepared.error());

    const QUrl &server = m_settings.server;
    smtptransfer::Request request;
    QUrl url;
    url.setScheme(server.scheme());
    url.setHost(server.host());
    url.setPort(effectivePort(server));
    request.url = url.toString(QUrl::FullyEncoded).toLatin1();
    request.endpoint = endpoint(server);
    request.requireTls = m_settings.requireTls;
    request.username = (m_settings.username.isEmpty() ? server.userName(QUrl::FullyDecoded)
                                                      : m_settings.username)
                               .toUtf8();
    request.password = (m_settings.password.isEmpty() ? server.password(QUrl::FullyDecoded)
                                                      : m_settings.password)
                               .toUtf8();
    request.caFile = QFile::encodeName(m_settings.caFile);
    request.connectTimeoutMs = m_settings.connectTimeoutMs;
    request.totalTimeoutMs = m_settings.totalTimeoutMs;
    request.mail = std::move(prepared).value();

    std::erase_if(m_deliveries, [](const auto &delivery) { return delivery->finished.load(); });
    auto state = std::make_shared<SmtpDeliveryState>();
    state->receiver = new SmtpDeliveryReceiver(state, std::move(callback), context);
    m_deliveries.push_back(state);

    qCInfo(lcMail).noquote() << "Sending email through" << describe();
    m_pool.start([state, request = std::move(request)] {
        const Status status = smtptransfer::run(request, state->abort);
        if (status)
            qCInfo(lcMail).noquote() << "Email accepted by" << request.endpoint;
        else
            qCWarning(lcMail).noquote() << "Email not sent:" << status.error().message;
        state->finished = true;
        QMutexLocker lock(&state->mutex);
        if (SmtpDeliveryReceiver *receiver = state->receiver) {
            // Queued: runs in the receiver's thread, and never if it is destroyed first.
            QMetaObject::invokeMethod(
                    receiver, [receiver, status] { receiver->finish(status); },
                    Qt::QueuedConnection);
        }
    });
}

void SmtpMailer::cancel()
{
    const Error cancelled = Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                                        QStringLiteral("Sending the email was cancelled."));
    for (const auto &delivery : m_deliveries) {
        delivery->abort = true;
        QMutexLocker lock(&delivery->mutex);
        if (SmtpDeliveryReceiver *receiver = delivery->receiver)
            QTimer::singleShot(0, receiver, [receiver, cancelled] { receiver->finish(cancelled); });
    }
    m_deliveries.clear();
}

QString SmtpMailer::describe() const
{
    const QString kind = m_settings.server.scheme() == u"smtps" ? QStringLiteral("SMTPS")
                                                                : QStringLiteral("SMTP");
    return kind + u' ' + endpoint(m_settings.server);
}

SmtpSettings SmtpSettings::from(const EmailOptions &email)
{
    SmtpSettings settings;
    settings.server = email.server;
    settings.username = email.username;
    settings.password = email.password;
    settings.caFile = email.caFile;
    settings.requireTls = email.requireTls;
    return settings;
}

} // namespace latchkey
