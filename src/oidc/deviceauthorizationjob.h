#pragma once

#include "clientauth.h"
#include "core/clock.h"
#include "core/result.h"
#include "deviceauthorization.h"
#include "httpexchange.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// Reads a device authorization endpoint's answer received at `now`. The default is
/// DeviceAuthorization::parse; GitHub, which answers its errors in a 200, brings its own.
using DeviceAuthorizationParser = std::function<Result<DeviceAuthorization>(
        const HttpResponse &response, const QDateTime &now)>;

/// Asks the provider for a device code and a user code (RFC 8628 §3.1).
///
///   start() ──► POST device_authorization_endpoint (client_id/client auth, scope)
///      ──► 200 JSON ──► DeviceAuthorization::parse ──► finished(DeviceAuthorization)
///      └── error status / cancel() / timeout ──────────► finished(Error)
///
/// Exactly one finished() per job, never from inside start(). The job does not delete itself.
class DeviceAuthorizationJob : public QObject
{
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 30000;

    /// `manager` and `clock` must outlive the job. `options` decides which verification URIs
    /// are acceptable (https; loopback http only when allowed).
    DeviceAuthorizationJob(QNetworkAccessManager &manager, QUrl endpoint, QStringList scopes,
                           ClientAuthentication client, const Clock &clock, MetadataOptions options,
                           QObject *parent = nullptr);

    /// How the answer is read; set before start(). Default: DeviceAuthorization::parse with the
    /// constructor's `options`.
    void setResponseParser(DeviceAuthorizationParser parser) { m_parser = std::move(parser); }

    /// Sends the request. Calling it twice, or after cancel(), does nothing.
    void start();
    /// Finishes at once with a Cancelled error, unless already finished.
    void cancel();

Q_SIGNALS:
    /// The codes, or why there are none. Emitted exactly once.
    void finished(const latchkey::Result<latchkey::oidc::DeviceAuthorization> &result);

private:
    void finish(const Result<DeviceAuthorization> &result);

    QNetworkAccessManager &m_manager;
    QUrl m_endpoint;
    QStringList m_scopes;
    ClientAuthentication m_client;
    const Clock &m_clock;
    MetadataOptions m_options;
    DeviceAuthorizationParser m_parser;
    QPointer<QObject> m_exchange; // receives the HTTP callback; deleted to ignore a late answer
    bool m_started = false;
    bool m_finished = false;
};

} // namespace latchkey::oidc
