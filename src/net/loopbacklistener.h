#pragma once

// The loopback redirect listener (RFC 8252 §7.3; docs/security.md "Loopback listener").
//
//   browser ──GET /callback/<id>?code=…&state=…──► 127.0.0.1:<port>
//                                                   │ ≤ kMaxConnections at once; when full, a new
//                                                   │   connection evicts the oldest one that has
//                                                   │   not sent a complete request yet
//                                                   │ whole head within the header timeout (5 s)
//                                                   │ parseHttpRequest (strict, 8 KiB, GET only)
//                                                   │ Host == "127.0.0.1:<port>"   else 400
//                                                   │ exact path → route           else 404
//                                                   ▼
//          addRoute:          handler(HttpRequest) → LoopbackResponse, answered at once
//          addDeferredRoute:  handler(HttpRequest, LoopbackReply) → the connection is held
//                               reply.send(response) later (once the sign-in's outcome is known)
//                               or, after the reply timeout (15 s), 504 "did not complete"
//   browser ◄── static HTML, no-store, no-referrer, CSP, Connection: close
//
// One request per connection. A held connection is never evicted and outlives close() until it is
// answered; every other unanswered connection is dropped by close().

#include "core/result.h"
#include "net/httprequestparser.h"
#include "net/staticpage.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>

#include <chrono>
#include <functional>
#include <map>

class QTcpSocket;

namespace latchkey {

class LoopbackListener;

/// What a route handler answers: an HTTP status and one of the fixed pages.
struct LoopbackResponse
{
    /// The HTTP status (200 for a handled callback).
    int status = 200;
    /// The page shown in the browser.
    StaticPage page = StaticPage::signedIn();

    /// The answer to a held sign-in callback once its outcome is known: "Signed in" (200) only
    /// when `succeeded`, else the neutral "did not complete" page (400) with no details.
    static LoopbackResponse signInOutcome(bool succeeded);
};

/// The one-shot answer to a request that a deferred route holds (LoopbackListener::
/// addDeferredRoute()). A small copyable handle: copies refer to the same request, and the first
/// send() answers it. Using it is always safe: once the request was answered (also by the
/// listener's reply timeout), its connection went away, or the listener was destroyed, send()
/// does nothing.
class LoopbackReply
{
public:
    /// A reply that refers to no request; send() does nothing.
    LoopbackReply() = default;

    /// Answers the held request with `response` and closes its connection. Returns true when this
    /// call answered it, false when there was nothing left to answer.
    bool send(const LoopbackResponse &response) const;
    /// True while the request is held and its connection open.
    bool isPending() const;

private:
    friend class LoopbackListener;
    LoopbackReply(LoopbackListener *listener, quint64 connection);

    QPointer<LoopbackListener> m_listener;
    quint64 m_connection = 0;
};

/// An HTTP listener on 127.0.0.1 that serves a browser's redirect back to the app.
///
/// Open it only while a sign-in waits and close it after the first valid callback, on cancel and on
/// timeout (the owning flow does this). Handlers run on the listener's thread, from the event loop.
class LoopbackListener : public QObject
{
    Q_OBJECT

public:
    /// Handles one request to a route and answers at once. Called only for a well-formed GET with
    /// the right Host to the route's exact path. It may call close() but must not delete the
    /// listener (use deleteLater()).
    using Handler = std::function<LoopbackResponse(const HttpRequest &)>;
    /// Handles one request to a route and answers through `reply`, now or later. The connection is
    /// held until then, or until the reply timeout. Same call rules as Handler.
    using DeferredHandler = std::function<void(const HttpRequest &, LoopbackReply reply)>;

    /// Connections kept at once (docs/security.md). When all are taken, a new connection evicts
    /// the oldest one that has not delivered a complete request; if every one is held or being
    /// answered, the new connection is closed.
    static constexpr int kMaxConnections = 8;
    /// Default time a connection has to deliver its whole request head (docs/security.md: ~5 s).
    static constexpr std::chrono::milliseconds kDefaultHeaderTimeout{5000};
    /// Default time a deferred route may hold a request before the listener answers it with the
    /// "did not complete" page (docs/security.md: 15 s).
    static constexpr std::chrono::milliseconds kDefaultReplyTimeout{15000};

    /// Creates a closed listener.
    explicit LoopbackListener(QObject *parent = nullptr);
    /// Closes the listener. Held requests get the "did not complete" page (best effort); every
    /// other connection is dropped.
    ~LoopbackListener() override;

    /// Starts listening on 127.0.0.1 (RFC 8252 §7.3, never all interfaces). Port 0 picks a free
    /// ephemeral port (RFC 8252 §7.3); a specific port re-opens a known redirect URI.
    /// Fails with a Network error when the port cannot be bound, or when already listening.
    Status listen(quint16 port = 0);
    /// The bound port, or 0 when not listening.
    quint16 port() const;
    /// True between a successful listen() and close().
    bool isListening() const;
    /// `http://127.0.0.1:<port><path>`: the IP literal, never `localhost` (RFC 8252 §7.3, §8.3).
    /// Precondition: listening, and `path` starts with '/'.
    QString redirectUri(const QString &path) const;
    /// Stops listening, frees the port and drops connections that have not delivered a request.
    /// Held requests stay open until they are answered or their reply timeout passes; a response
    /// already being written is still delivered.
    void close();

    /// Serves `handler` at exactly `path` (for example "/callback/google"), replacing an earlier
    /// handler for the same path. Routes survive close() and listen().
    void addRoute(const QString &path, Handler handler);
    /// Like addRoute(), for a handler that answers later through a LoopbackReply.
    void addDeferredRoute(const QString &path, DeferredHandler handler);
    /// Stops serving `path`; it then answers 404.
    void removeRoute(const QString &path);

    /// How long a connection may take to deliver its whole request head before it is dropped
    /// (default 5 s), counted from its arrival: sending a byte now and then does not extend it.
    void setHeaderTimeout(std::chrono::milliseconds timeout);
    /// The current header timeout.
    std::chrono::milliseconds headerTimeout() const { return m_headerTimeout; }
    /// How long a deferred route may hold a request before the listener answers it with 504 and
    /// the "did not complete" page (default 15 s).
    void setReplyTimeout(std::chrono::milliseconds timeout);
    /// The current reply timeout.
    std::chrono::milliseconds replyTimeout() const { return m_replyTimeout; }

Q_SIGNALS:
    /// A request to a route's `path` was answered with `status` (by its handler, or by the reply
    /// timeout).
    void requestHandled(const QString &path, int status);

private:
    friend class LoopbackReply;

    enum class Stage {
        Receiving, ///< the request head is still arriving; may be evicted
        Held, ///< a deferred route holds the request; never evicted
        Answered, ///< the response is being written
    };
    struct Connection
    {
        QTcpSocket *socket = nullptr;
        Stage stage = Stage::Receiving;
        QByteArray received; ///< the request bytes so far (Receiving only)
        QString path; ///< the route (Held only)
    };

    void onNewConnection();
    bool evictOldestReceiving();
    void accept(QTcpSocket *socket);
    void onReadyRead(quint64 id);
    void serve(quint64 id, const HttpRequest &request);
    void hold(quint64 id, const QString &path);
    bool answer(quint64 id, const LoopbackResponse &response);
    bool isHeld(quint64 id) const;
    void respond(quint64 id, int status, const StaticPage &page);
    void drop(quint64 id);
    void release(quint64 id);

    QTcpServer m_server;
    QHash<QString, DeferredHandler> m_routes;
    std::chrono::milliseconds m_headerTimeout = kDefaultHeaderTimeout;
    std::chrono::milliseconds m_replyTimeout = kDefaultReplyTimeout;
    std::map<quint64, Connection> m_connections; // by id: a smaller id arrived earlier
    quint64 m_nextId = 1;
};

} // namespace latchkey
