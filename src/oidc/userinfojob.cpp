#include "userinfojob.h"

#include "core/logging.h"
#include "httpexchange.h"

namespace latchkey::oidc {

UserInfoJob::UserInfoJob(QNetworkAccessManager &manager, QUrl userInfoEndpoint, QString accessToken,
                         QString expectedSubject, QObject *parent)
    : QObject(parent), m_manager(manager), m_endpoint(std::move(userInfoEndpoint)),
      m_accessToken(std::move(accessToken)), m_expectedSubject(std::move(expectedSubject))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout,
                           QStringLiteral("The provider did not send your profile in time. Check "
                                          "your network connection and try again.")));
    });
}

void UserInfoJob::setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

void UserInfoJob::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    if (!isHttpEndpoint(m_endpoint) || m_accessToken.isEmpty()) {
        QTimer::singleShot(0, this, [this]() {
            finish(Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                               QStringLiteral("The provider has no usable user info endpoint or "
                                              "the access token is missing. Sign in again."),
                               QStringLiteral("invalid_userinfo_request")));
        });
        return;
    }
    HttpOptions options;
    options.timeoutMs = m_timeoutMs;
    // RFC 6750 §2.1: the access token in the Authorization header, never in the URL.
    options.authorization = QByteArrayLiteral("Bearer ") + m_accessToken.toUtf8();
    m_exchange = new QObject(this);
    m_deadline.start(m_timeoutMs);
    httpGet(
            m_manager, m_endpoint, m_exchange,
            [this](Result<HttpResponse> response) {
                if (!response) {
                    finish(response.error());
                    return;
                }
                finish(UserInfo::parse(response->status, response->contentType, response->body,
                                       m_expectedSubject));
            },
            options);
}

void UserInfoJob::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Reading your profile was cancelled.")));
}

void UserInfoJob::finish(Result<UserInfo> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    delete m_exchange.data();
    if (!result)
        qCInfo(lcOidc) << "userinfo request failed:" << errorKindName(result.error().kind)
                       << result.error().reason;
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
