#include "deviceauthorizationjob.h"

#include "core/logging.h"
#include "httpexchange.h"

namespace latchkey::oidc {

DeviceAuthorizationJob::DeviceAuthorizationJob(QNetworkAccessManager &manager, QUrl endpoint,
                                               QStringList scopes, ClientAuthentication client,
                                               const Clock &clock, MetadataOptions options,
                                               QObject *parent)
    : QObject(parent), m_manager(manager), m_endpoint(std::move(endpoint)),
      m_scopes(std::move(scopes)), m_client(std::move(client)), m_clock(clock), m_options(options)
{ }

void DeviceAuthorizationJob::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    Status valid = m_client.check();
    if (valid.ok() && !isHttpEndpoint(m_endpoint))
        valid = Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                            QStringLiteral("The provider's device authorization endpoint is not "
                                           "a valid http(s) URL."),
                            QStringLiteral("invalid_device_authorization_endpoint"));
    if (!valid.ok()) {
        QTimer::singleShot(0, this, [this, error = valid.error()]() { finish(error); });
        return;
    }
    // RFC 8628 §3.1: client_id (or the client's authentication) and the scope.
    FormFields fields;
    m_client.addFormFields(fields);
    fields.append({QStringLiteral("scope"), m_scopes.join(u' ')});
    HttpOptions options;
    options.timeoutMs = kTimeoutMs;
    options.maxBodyBytes = DeviceAuthorization::kMaxBodyBytes;
    options.authorization = m_client.authorizationHeader(); // RFC 6749 §2.3.1 (Basic only)
    m_exchange = new QObject(this);
    qCDebug(lcOidc) << "device authorization request to" << m_endpoint.host();
    httpPostForm(
            m_manager, m_endpoint, fields, m_exchange,
            [this](Result<HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                finish(m_parser ? m_parser(response.value(), m_clock.now())
                                : DeviceAuthorization::parse(response->status, response->body,
                                                             m_clock.now(), m_options));
            },
            options);
}

void DeviceAuthorizationJob::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("The device authorization request was cancelled.")));
}

void DeviceAuthorizationJob::finish(const Result<DeviceAuthorization> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    delete m_exchange.data();
    if (!result) // never the codes themselves
        qCInfo(lcOidc) << "device authorization failed:" << errorKindName(result.error().kind)
                       << result.error().reason;
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
