#include "revocationjob.h"

#include "core/logging.h"
#include "httpexchange.h"
#include "tokenerror.h"

namespace latchkey::oidc {

RevocationJob::RevocationJob(QNetworkAccessManager &manager, QUrl revocationEndpoint, QString token,
                             QString tokenTypeHint, ClientAuthentication client, QObject *parent)
    : QObject(parent), m_manager(manager), m_endpoint(std::move(revocationEndpoint)),
      m_token(std::move(token)), m_tokenTypeHint(std::move(tokenTypeHint)),
      m_client(std::move(client))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout,
                           QStringLiteral("The provider did not confirm revoking the sign-in in "
                                          "time. You are signed out on this computer; you can "
                                          "remove the app's access in your provider account.")));
    });
}

void RevocationJob::setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

void RevocationJob::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    Status valid = m_client.check();
    if (valid.ok() && (!isHttpEndpoint(m_endpoint) || m_token.isEmpty())) {
        valid = Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                            QStringLiteral("The provider has no usable revocation endpoint or "
                                           "there is no token to revoke."),
                            QStringLiteral("invalid_revocation_request"));
    }
    if (!valid.ok()) {
        QTimer::singleShot(0, this, [this, error = valid.error()]() { finish(error); });
        return;
    }

    FormFields fields{{QStringLiteral("token"), m_token}}; // RFC 7009 §2.1
    if (!m_tokenTypeHint.isEmpty())
        fields.append({QStringLiteral("token_type_hint"), m_tokenTypeHint});
    m_client.addFormFields(fields); // RFC 7009 §2.1: authenticate as at the token endpoint
    HttpOptions options;
    options.timeoutMs = m_timeoutMs;
    options.authorization = m_client.authorizationHeader();
    m_exchange = new QObject(this);
    m_deadline.start(m_timeoutMs);
    httpPostForm(
            m_manager, m_endpoint, fields, m_exchange,
            [this](Result<HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                if (response->status == 200) { // RFC 7009 §2.2
                    finish({});
                    return;
                }
                finish(tokenEndpointError(response->status, response->body,
                                          QStringLiteral("revocation endpoint")));
            },
            options);
}

void RevocationJob::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Revoking the sign-in was cancelled.")));
}

void RevocationJob::finish(Status result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    delete m_exchange.data();
    if (!result)
        qCInfo(lcOidc) << "revocation failed:" << errorKindName(result.error().kind)
                       << result.error().reason;
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
