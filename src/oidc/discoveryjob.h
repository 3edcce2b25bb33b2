#pragma once

#include "josefetcher.h"
#include "providermetadata.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

namespace latchkey::oidc {

/// Fetches and validates one provider's discovery document (OpenID Connect Discovery 1.0 §4).
///
///   start() ──► GET <issuer>/.well-known/openid-configuration ──► 200 + JSON ──► parse/validate
///                                                     │                               │
///                         Network/Timeout/Protocol ◄──┴── non-200, not JSON  finished(Result)
///
/// Exactly one finished() per started job, always from the event loop; none after cancel().
class DiscoveryJob : public QObject
{
    Q_OBJECT

public:
    /// Default limit for the whole fetch.
    static constexpr std::chrono::milliseconds kDefaultTimeout{15000};

    /// A job for `issuer` (exactly as configured) that fetches with `fetcher`.
    DiscoveryJob(QString issuer, DocumentFetcher fetcher, QObject *parent = nullptr);

    /// Sets how strictly URLs are checked. Call before start().
    void setOptions(const MetadataOptions &options) { m_options = options; }
    /// Sets the time limit of the whole job. Call before start().
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    /// The configured issuer.
    QString issuer() const { return m_issuer; }

    /// `<issuer>/.well-known/openid-configuration` (Discovery §4.1): the suffix is appended to the
    /// issuer's path, and a trailing slash of the issuer is not doubled.
    static QUrl discoveryUrl(const QString &issuer);

    /// Starts the fetch. Never emits finished() synchronously. Calling it twice does nothing.
    void start();
    /// Stops the job; finished() is emitted once with a Cancelled error if it was running.
    void cancel();

Q_SIGNALS:
    /// The validated metadata, or: Config (http issuer, issuer mismatch), Network/Timeout
    /// (unreachable), Protocol (non-200 status, not JSON, malformed document), Cancelled.
    void finished(const latchkey::Result<latchkey::oidc::ProviderMetadata> &result);

private:
    void handleResponse(const Result<HttpResponse> &response);
    void finish(Result<ProviderMetadata> result);

    QString m_issuer;
    DocumentFetcher m_fetcher;
    MetadataOptions m_options;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    QTimer m_timer;
    QPointer<QObject> m_request; // context of the pending fetch; deleting it drops the callback
    bool m_started = false;
    bool m_finished = false;
};

} // namespace latchkey::oidc
