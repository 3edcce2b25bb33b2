#include "discoveryjob.h"

#include "core/logging.h"

namespace latchkey::oidc {

DiscoveryJob::DiscoveryJob(QString issuer, DocumentFetcher fetcher, QObject *parent)
    : QObject(parent), m_issuer(std::move(issuer)), m_fetcher(std::move(fetcher))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this]() {
        finish(Error::make(ErrorKind::Timeout,
                           QStringLiteral("The provider at %1 did not send its configuration in "
                                          "time. Check your network connection and try again.")
                                   .arg(m_issuer)));
    });
}

QUrl DiscoveryJob::discoveryUrl(const QString &issuer)
{
    // OIDC Discovery §4.1: remove a terminating "/" before appending the well-known suffix.
    QString base = issuer;
    if (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base + u"/.well-known/openid-configuration", QUrl::StrictMode);
}

void DiscoveryJob::start()
{
    if (m_started)
        return;
    m_started = true;
    if (Status status = ProviderMetadata::checkIssuer(m_issuer, m_options); !status) {
        QTimer::singleShot(0, this, [this, error = status.error()]() { finish(error); });
        return;
    }
    m_timer.start(m_timeout);
    m_request = new QObject(this);
    const QUrl url = discoveryUrl(m_issuer);
    qCDebug(lcOidc) << "fetching discovery document" << url.toDisplayString();
    m_fetcher(url, m_request, [this](Result<HttpResponse> response) { handleResponse(response); });
}

void DiscoveryJob::cancel()
{
    if (!m_started || m_finished)
        return;
    finish(Error::make(
            ErrorKind::Cancelled,
            QStringLiteral("Fetching the configuration of %1 was cancelled.").arg(m_issuer)));
}

void DiscoveryJob::handleResponse(const Result<HttpResponse> &response)
{
    if (!response) {
        finish(response.error());
        return;
    }
    if (response->status != 200) { // OIDC Discovery §4.2: a successful response uses 200 OK
        finish(Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                           QStringLiteral("The provider at %1 answered HTTP %2 instead of its "
                                          "configuration. Check the issuer URL in the "
                                          "configuration.")
                                   .arg(m_issuer)
                                   .arg(response->status)));
        return;
    }
    finish(ProviderMetadata::parse(response->body, m_issuer, m_options));
}

void DiscoveryJob::finish(Result<ProviderMetadata> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    delete m_request; // drops a pending fetch callback
    if (!result)
        qCInfo(lcOidc) << "discovery of" << m_issuer << "failed:" << result.error().message;
    Q_EMIT finished(result);
}

} // namespace latchkey::oidc
