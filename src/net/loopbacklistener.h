#pragma once

// The loopback redirect listener (RFC 8252 §7.3; docs/security.md "Loopback listener").
//
//   browser ──GET /callback/<id>?code=…&state=…──► 127.0.0.1:<port>
//                                                   │ parseHttpRequest (strict, 8 KiB, GET only)
//                                                   │ Host == "127.0.0.1:<port>"   else 400
//                                                   │ exact path → route           else 404
//                                                   ▼
//                                        handler(HttpRequest) → LoopbackResponse
//   browser ◄── static HTML, no-store, no-referrer, CSP, Connection: close
//
// One request per connection; a connection must deliver its request within the idle timeout.

#include "core/result.h"
#include "net/httprequestparser.h"
#include "net/staticpage.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTcpServer>

#include <chrono>
#include <functional>

class QTcpSocket;

namespace latchkey {

/// What a route handler answers: an HTTP status and one of the fixed pages.
struct LoopbackResponse
{
    /// The HTTP status (200 for a handled callback).
    int status = 200;
    /// The page shown in the browser.
    StaticPage page = StaticPage::signedIn();
};

/// An HTTP listener on 127.0.0.1 that serves a browser's redirect back to the app.
///
/// Open it only while a sign-in waits and close it after the first valid callback, on cancel and on
/// timeout (the owning flow does this). Handlers run on the listener's thread, from the event loop.
class LoopbackListener : public QObject
{
    Q_OBJECT

public:
    /// Handles one request to a route. Called only for a well-formed GET with the right Host to
    /// the route's exact path. It may call close() but must not delete the listener (use
    /// deleteLater()).
    using Handler = std::function<LoopbackResponse(const HttpRequest &)>;

    /// Concurrent connections served; extra ones are closed at once (docs/security.md).
    static constexpr int kMaxConnections = 8;
    /// Default time a connection has to deliver its request (docs/security.md: ~5 s).
    static constexpr std::chrono::milliseconds kDefaultIdleTimeout{5000};

    /// Creates a closed listener.
    explicit LoopbackListener(QObject *parent = nullptr);
    /// Closes the listener and drops its connections.
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
    /// Stops listening, frees the port and drops connections that have not been answered yet. A
    /// response already being written (also one from the handler that called close()) is still
    /// delivered.
    void close();

    /// Serves `handler` at exactly `path` (for example "/callback/google"), replacing an earlier
    /// handler for the same path. Routes survive close() and listen().
    void addRoute(const QString &path, Handler handler);
    /// Stops serving `path`; it then answers 404.
    void removeRoute(const QString &path);

    /// How long a connection may take to deliver its request before it is dropped (default 5 s).
    void setIdleTimeout(std::chrono::milliseconds timeout);
    /// The current idle timeout.
    std::chrono::milliseconds idleTimeout() const { return m_idleTimeout; }

Q_SIGNALS:
    /// A route's handler answered a request to `path` with `status` (the UI raises its window).
    void requestHandled(const QString &path, int status);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void serve(QTcpSocket *socket, const HttpRequest &request);
    void respond(QTcpSocket *socket, int status, const StaticPage &page);
    void release(QTcpSocket *socket);

    QTcpServer m_server;
    QHash<QString, Handler> m_routes;
    std::chrono::milliseconds m_idleTimeout = kDefaultIdleTimeout;
    QSet<QTcpSocket *> m_live; // accepted and not yet released
    QHash<QTcpSocket *, QByteArray> m_pending; // not answered yet, with the bytes received so far
};

} // namespace latchkey
