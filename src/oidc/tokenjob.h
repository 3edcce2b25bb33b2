#pragma once

#include "clientauth.h"
#include "core/clock.h"
#include "core/result.h"
#include "httpexchange.h"
#include "tokenrequest.h"
#include "tokenresponse.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// Reads a token endpoint's answer received at `now`. The default is TokenResponse::parse; a
/// provider with its own encoding (GitHub answers its errors in a 200) brings its own.
using TokenResponseParser =
        std::function<Result<TokenResponse>(const HttpResponse &response, const QDateTime &now)>;

/// One exchange with the token endpoint: authorization code → tokens, or refresh.
///
///   start() ──► POST tokenEndpoint (form, client auth) ──► 200 JSON ──► finished(TokenResponse)
///      │                                  │                 4xx/5xx ──► finished(Error)
///      └── cancel() / timeout ────────────┴──────────────────────────► finished(Cancelled|Timeout)
///
/// Exactly one finished() per job, never from inside start(). The job does not delete itself.
class TokenJob : public QObject
{
    Q_OBJECT

public:
    /// The default overall time limit for one exchange.
    static constexpr int kDefaultTimeoutMs = 30000;

    /// `manager` and `clock` must outlive the job.
    TokenJob(QNetworkAccessManager &manager, TokenRequest request, ClientAuthentication client,
             const Clock &clock, QObject *parent = nullptr);

    /// Overall time limit (ms) from start() to the answer; set before start().
    void setTimeout(int milliseconds);

    /// How the answer is read; set before start(). Default: TokenResponse::parse.
    void setResponseParser(TokenResponseParser parser) { m_parser = std::move(parser); }

    /// Sends the request. An incomplete request or client finishes (later) with its error.
    /// Calling start() twice, or after cancel(), does nothing.
    void start();

    /// Stops waiting and finishes at once with a Cancelled error, unless already finished.
    void cancel();

    /// True between start() and finished().
    bool isRunning() const { return m_started && !m_finished; }

Q_SIGNALS:
    /// The tokens, or why there are none (OAuthToken errors carry the RFC 6749 §5.2 code; see
    /// isInvalidGrant()). Emitted exactly once.
    void finished(const latchkey::Result<latchkey::oidc::TokenResponse> &result);

private:
    void finish(Result<TokenResponse> result);

    QNetworkAccessManager &m_manager;
    TokenRequest m_request;
    ClientAuthentication m_client;
    const Clock &m_clock;
    int m_timeoutMs = kDefaultTimeoutMs;
    TokenResponseParser m_parser;
    QTimer m_deadline;
    QPointer<QObject> m_exchange; // receives the HTTP callback; deleted to ignore a late answer
    bool m_started = false;
    bool m_finished = false;
};

} // namespace latchkey::oidc
