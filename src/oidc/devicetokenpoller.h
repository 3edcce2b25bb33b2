#pragma once

#include "clientauth.h"
#include "core/clock.h"
#include "core/result.h"
#include "deviceauthorization.h"
#include "tokenjob.h"
#include "tokenresponse.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// Polls the token endpoint until the person approves the device code elsewhere (RFC 8628
/// §3.4–3.5).
///
///   start() ─► wait interval ─► expired (clock)? ─► finished(DeviceCodeExpired)
///                  ▲                 │ no
///                  │                 ▼
///                  │   POST grant_type=urn:ietf:params:oauth:grant-type:device_code
///                  │        ├─ authorization_pending / network failure / 5xx ──┐
///                  │        ├─ slow_down: interval += 5 s (or the provider's new ┤
///                  │        │   `interval` when longer: GitHub sends one)           │
///                  └────────┴───────────────────────────────────────────────────┘
///                           ├─ 200 ─► finished(TokenResponse)
///                           ├─ access_denied ─► finished(DeviceAccessDenied)
///                           ├─ expired_token ─► finished(DeviceCodeExpired)
///                           └─ anything else ─► finished(error)
///   cancel() ─► finished(Cancelled) at once; no request is sent after it.
///
/// Exactly one finished(), never from inside start(). The poller does not delete itself.
class DeviceTokenPoller : public QObject
{
    Q_OBJECT

public:
    /// RFC 8628 §3.5: slow_down adds 5 seconds to the interval, for this and every later poll.
    static constexpr int kSlowDownSecs = 5;
    /// The longest wait between polls this app accepts from a provider's slow_down.
    static constexpr int kMaxIntervalSecs = 600;

    /// `manager` and `clock` must outlive the poller; `clock` decides when the code expired.
    DeviceTokenPoller(QNetworkAccessManager &manager, QUrl tokenEndpoint,
                      DeviceAuthorization authorization, ClientAuthentication client,
                      const Clock &clock, QObject *parent = nullptr);

    /// How long one "second" of the interval lasts on the timer. Tests shorten it; set before
    /// start(). Default: one second.
    void setIntervalUnit(std::chrono::milliseconds unit) { m_unit = unit; }

    /// How each token answer is read (TokenJob::setResponseParser); set before start().
    void setResponseParser(TokenResponseParser parser) { m_parser = std::move(parser); }

    /// Starts waiting for the first poll. Calling it twice, or after cancel(), does nothing.
    void start();
    /// Stops at once: finished(Cancelled); a request in flight is abandoned, none follows.
    void cancel();

    /// The current wait between polls, in seconds (grows with slow_down).
    int intervalSecs() const { return m_intervalSecs; }

Q_SIGNALS:
    /// The tokens (the ID token not yet validated), or why there are none. Emitted once.
    void finished(const latchkey::Result<latchkey::oidc::TokenResponse> &result);

private:
    void schedule();
    void poll();
    void handle(const Result<TokenResponse> &result);
    void finish(const Result<TokenResponse> &result);

    QNetworkAccessManager &m_manager;
    QUrl m_tokenEndpoint;
    DeviceAuthorization m_authorization;
    ClientAuthentication m_client;
    const Clock &m_clock;
    std::chrono::milliseconds m_unit{1000};
    TokenResponseParser m_parser;
    int m_intervalSecs;
    QTimer m_wait;
    QPointer<TokenJob> m_job;
    bool m_started = false;
    bool m_finished = false;
};

/// The error of a device code that expired before it was approved (DeviceCodeExpired).
Error deviceCodeExpired();

} // namespace latchkey::oidc
