#include "devicetokenpoller.h"

#include "core/logging.h"
#include "tokenrequest.h"

#include <algorithm>

namespace latchkey::oidc {

Error deviceCodeExpired()
{
    return Error::make(ErrorKind::Timeout, ErrorCode::DeviceCodeExpired,
                       QStringLiteral("The code expired before it was approved. Start again to "
                                      "get a new code."),
                       QStringLiteral("expired_token"));
}

DeviceTokenPoller::DeviceTokenPoller(QNetworkAccessManager &manager, QUrl tokenEndpoint,
                                     DeviceAuthorization authorization, ClientAuthentication client,
                                     const Clock &clock, QObject *parent)
    : QObject(parent), m_manager(manager), m_tokenEndpoint(std::move(tokenEndpoint)),
      m_authorization(std::move(authorization)), m_client(std::move(client)), m_clock(clock),
      m_intervalSecs(m_authorization.intervalSecs)
{
    m_wait.setSingleShot(true);
    // RFC 8628 §3.5: at least `interval` between requests. A coarse timer may fire up to 5% early
    // (an 8 s wait after GitHub's slow_down came after 7.6 s), so this one is precise.
    m_wait.setTimerType(Qt::PreciseTimer);
    connect(&m_wait, &QTimer::timeout, this, &DeviceTokenPoller::poll);
}

void DeviceTokenPoller::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    schedule();
}

void DeviceTokenPoller::schedule()
{
    // RFC 8628 §3.4: the client waits `interval` seconds between token requests.
    m_wait.start(m_unit * m_intervalSecs);
}

void DeviceTokenPoller::poll()
{
    if (m_finished)
        return;
    // RFC 8628 §3.2 expires_in: once the code is dead, polling is pointless.
    if (m_clock.now() >= m_authorization.expiresAt) {
        finish(deviceCodeExpired());
        return;
    }
    auto *job = new TokenJob(
            m_manager, TokenRequest::deviceCodeGrant(m_tokenEndpoint, m_authorization.deviceCode),
            m_client, m_clock, this);
    if (m_parser)
        job->setResponseParser(m_parser);
    m_job = job;
    connect(job, &TokenJob::finished, this, [this, job](const Result<TokenResponse> &result) {
        job->deleteLater();
        if (m_job != job)
            return; // abandoned by cancel()
        m_job = nullptr;
        handle(result);
    });
    job->start();
}

void DeviceTokenPoller::handle(const Result<TokenResponse> &result)
{
    if (result) {
        finish(result);
        return;
    }
    const Error &error = result.error();
    if (error.kind == ErrorKind::OAuthToken) {
        const QString &code = error.reason; // RFC 8628 §3.5 error codes
        if (code == u"authorization_pending") {
            schedule();
            return;
        }
        if (code == u"slow_down") {
            // GitHub's slow_down carries the new interval (retryAfterSecs); never less than +5 s.
            m_intervalSecs = int(std::min<qint64>(
                    std::max<qint64>(m_intervalSecs + kSlowDownSecs, error.retryAfterSecs),
                    kMaxIntervalSecs));
            qCInfo(lcOidc) << "device sign-in: slowing down to" << m_intervalSecs << "s";
            schedule();
            return;
        }
        if (code == u"access_denied") {
            finish(Error::make(ErrorKind::OAuthAuthorization, ErrorCode::DeviceAccessDenied,
                               QStringLiteral("The sign-in was declined on the other device."),
                               code));
            return;
        }
        if (code == u"expired_token") {
            finish(deviceCodeExpired());
            return;
        }
    }
    // A network blip or a provider in trouble is no answer: ask again until the code expires.
    if (error.kind == ErrorKind::Network || error.kind == ErrorKind::Timeout) {
        qCInfo(lcOidc) << "device sign-in: poll failed, trying again:" << error.reason;
        schedule();
        return;
    }
    finish(error);
}

void DeviceTokenPoller::cancel()
{
    finish(Error::make(ErrorKind::Cancelled, ErrorCode::Cancelled,
                       QStringLiteral("Sign-in cancelled.")));
}

void DeviceTokenPoller::finish(const Result<TokenResponse> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_wait.stop();
    if (TokenJob *job = m_job.data()) {
        m_job = nullptr; // its own finished() is ignored from now on
        job->cancel();
    }
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
