#include "tokenjob.h"

#include "core/logging.h"

namespace latchkey::oidc {

TokenJob::TokenJob(QNetworkAccessManager &manager, TokenRequest request,
                   ClientAuthentication client, const Clock &clock, QObject *parent)
    : QObject(parent), m_manager(manager), m_request(std::move(request)),
      m_client(std::move(client)), m_clock(clock)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this]() {
        qCInfo(lcOidc) << "token request timed out after" << m_timeoutMs << "ms";
        finish(Error::make(ErrorKind::Timeout,
                           QStringLiteral("The provider did not answer the token request in "
                                          "time. Check your network connection and try again.")));
    });
}

void TokenJob::setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

void TokenJob::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;

    Status valid = m_request.check();
    if (valid.ok())
        valid = m_client.check();
    if (!valid.ok()) {
        // start() never finishes synchronously (docs/architecture.md, threading).
        QTimer::singleShot(0, this, [this, error = valid.error()]() { finish(error); });
        return;
    }

    HttpOptions options;
    options.timeoutMs = m_timeoutMs;
    options.authorization = m_client.authorizationHeader(); // RFC 6749 §2.3.1 (Basic only)
    m_exchange = new QObject(this);
    m_deadline.start(m_timeoutMs);
    qCDebug(lcOidc) << "token request" << m_request.grantType << "to"
                    << m_request.tokenEndpoint.host();
    httpPostForm(
            m_manager, m_request.tokenEndpoint, m_request.formFields(m_client), m_exchange,
            [this](Result<HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                finish(m_parser ? m_parser(response.value(), m_clock.now())
                                : TokenResponse::parse(response->status, response->contentType,
                                                       response->body, m_clock.now()));
            },
            options);
}

void TokenJob::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("The token request was cancelled.")));
}

void TokenJob::finish(Result<TokenResponse> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    delete m_exchange.data(); // a late HTTP answer is ignored from now on
    if (!result)
        qCInfo(lcOidc) << "token request failed:" << errorKindName(result.error().kind)
                       << result.error().reason;
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
