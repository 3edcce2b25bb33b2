#include "loopbacklistener.h"

#include "core/logging.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <vector>

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

const HttpParseLimits kLimits; // docs/security.md: request capped at 8 KiB

// RFC 9110 §15 reason phrases for the statuses the listener sends.
QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status >= 200 && status < 300 ? "OK" : "Error";
    }
}

QByteArray responseBytes(int status, const QByteArray &body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: text/html; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    // RFC 9700 §4.2.4 / docs/security.md: nothing of the callback may be cached or leak via
    // Referer.
    out += "Cache-Control: no-store\r\n";
    out += "Pragma: no-cache\r\n";
    out += "Referrer-Policy: no-referrer\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "X-Frame-Options: DENY\r\n";
    // Static page, inline CSS only, no third-party resources (docs/security.md).
    out += "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n";
    if (status == 405)
        out += "Allow: GET\r\n"; // RFC 9110 §15.5.6
    out += "Connection: close\r\n\r\n"; // one request per connection
    return out + body;
}

} // namespace

LoopbackResponse LoopbackResponse::signInOutcome(bool succeeded)
{
    // docs/security.md: the tab says "Signed in" only when it is true, and a failure tells the
    // browser nothing beyond "return to the app".
    if (succeeded)
        return {200, StaticPage::signedIn()};
    return {400, StaticPage::signInIncomplete()};
}

LoopbackReply::LoopbackReply(LoopbackListener *listener, quint64 connection)
    : m_listener(listener), m_connection(connection)
{ }

bool LoopbackReply::send(const LoopbackResponse &response) const
{
    return m_listener && m_listener->answer(m_connection, response);
}

bool LoopbackReply::isPending() const { return m_listener && m_listener->isHeld(m_connection); }

LoopbackListener::LoopbackListener(QObject *parent) : QObject(parent)
{
    // The server accepts; the cap is enforced in onNewConnection() so a full listener evicts or
    // closes rather than leaving connections queued in the backlog.
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackListener::onNewConnection);
}

LoopbackListener::~LoopbackListener()
{
    m_server.close();
    // A browser still waiting hears that the sign-in did not complete; the page is flushed to the
    // kernel now because the sockets die with m_server after this body.
    std::vector<quint64> held;
    for (const auto &[id, connection] : m_connections) {
        if (connection.stage == Stage::Held)
            held.push_back(id);
    }
    for (quint64 id : held)
        answer(id, LoopbackResponse::signInOutcome(false));
    for (const auto &[id, connection] : m_connections)
        disconnect(connection.socket, nullptr, this, nullptr);
}

Status LoopbackListener::listen(quint16 port)
{
    if (m_server.isListening()) {
        return Error::make(ErrorKind::Network, ErrorCode::ListenerFailed,
                           tr("The sign-in listener is already open on port %1. Close it before "
                              "opening it again.")
                                   .arg(m_server.serverPort()));
    }
    // RFC 8252 §7.3 / §8.3: bind the loopback IP literal explicitly, never every interface.
    if (!m_server.listen(QHostAddress(QHostAddress::LocalHost), port)) {
        const QString reason = m_server.errorString();
        qCWarning(lcNet) << "loopback: cannot listen on 127.0.0.1 port" << port << reason;
        return Error::make(ErrorKind::Network, ErrorCode::ListenerFailed,
                           tr("Latchkey could not open a local port (127.0.0.1:%1) to receive the "
                              "sign-in from your browser: %2. Close programs that may be using "
                              "it, or try again.")
                                   .arg(port)
                                   .arg(reason));
    }
    qCInfo(lcNet) << "loopback: listening on 127.0.0.1 port" << m_server.serverPort();
    return {};
}

quint16 LoopbackListener::port() const
{
    return m_server.isListening() ? m_server.serverPort() : quint16(0);
}

bool LoopbackListener::isListening() const { return m_server.isListening(); }

QString LoopbackListener::redirectUri(const QString &path) const
{
    Q_ASSERT(isListening());
    Q_ASSERT(path.startsWith(u'/'));
    // RFC 8252 §7.3: the IP literal, not "localhost" (§8.3: it may resolve elsewhere).
    return u"http://127.0.0.1:"_s + QString::number(port()) + path;
}

void LoopbackListener::close()
{
    if (m_server.isListening())
        qCInfo(lcNet) << "loopback: closing port" << m_server.serverPort();
    m_server.close();
    std::vector<quint64> receiving;
    for (const auto &[id, connection] : m_connections) {
        if (connection.stage == Stage::Receiving)
            receiving.push_back(id);
    }
    for (quint64 id : receiving)
        drop(id);
}

void LoopbackListener::addRoute(const QString &path, Handler handler)
{
    addDeferredRoute(
            path, [handler = std::move(handler)](const HttpRequest &request, LoopbackReply reply) {
                reply.send(handler(request));
            });
}

void LoopbackListener::addDeferredRoute(const QString &path, DeferredHandler handler)
{
    m_routes.insert(path, std::move(handler));
}

void LoopbackListener::removeRoute(const QString &path) { m_routes.remove(path); }

void LoopbackListener::setHeaderTimeout(std::chrono::milliseconds timeout)
{
    m_headerTimeout = timeout;
}

void LoopbackListener::setReplyTimeout(std::chrono::milliseconds timeout)
{
    m_replyTimeout = timeout;
}

void LoopbackListener::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // docs/security.md: a few connections at most. Idle or slow connections (any local page or
        // process can open them) must not keep the browser's callback out, so the oldest one
        // still sending its request makes room; held requests are never evicted.
        if (m_connections.size() >= size_t(kMaxConnections) && !evictOldestReceiving()) {
            qCWarning(lcNet) << "loopback: every connection is busy, closing a new connection";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        accept(socket);
    }
}

bool LoopbackListener::evictOldestReceiving()
{
    for (const auto &[id, connection] : m_connections) {
        if (connection.stage == Stage::Receiving) {
            qCInfo(lcNet) << "loopback: connection limit reached, dropping the oldest unfinished "
                             "connection";
            drop(id);
            return true;
        }
    }
    return false;
}

void LoopbackListener::accept(QTcpSocket *socket)
{
    const quint64 id = m_nextId++;
    m_connections.emplace(id, Connection{socket, Stage::Receiving, {}, {}});
    socket->setReadBufferSize(kLimits.maxHeadBytes);
    connect(socket, &QTcpSocket::readyRead, this, [this, id] { onReadyRead(id); });
    connect(socket, &QTcpSocket::disconnected, this, [this, id] { release(id); });
    // docs/security.md: the whole request head must arrive within the header timeout (~5 s),
    // counted from arrival, so a silent client or one sending a byte at a time cannot keep a slot.
    // A held request is bounded by the reply timeout instead.
    QTimer::singleShot(m_headerTimeout, socket, [this, id] {
        const auto it = m_connections.find(id);
        if (it == m_connections.end() || it->second.stage == Stage::Held)
            return;
        if (it->second.stage == Stage::Receiving)
            qCInfo(lcNet)
                    << "loopback: dropping a connection that did not send its request in time";
        drop(id);
    });
}

void LoopbackListener::onReadyRead(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    Connection &connection = it->second;
    if (connection.stage != Stage::Receiving) {
        connection.socket->readAll(); // one request per connection, the rest is ignored
        return;
    }
    connection.received +=
            connection.socket->read(kLimits.maxHeadBytes - connection.received.size());
    const HttpParseResult parsed = parseHttpRequest(connection.received, kLimits);
    if (parsed.needMore())
        return;
    connection.received.clear();
    if (parsed.invalid()) {
        qCInfo(lcNet).noquote().nospace()
                << "loopback: rejected request (" << parsed.reason << ") -> " << parsed.status;
        respond(id, parsed.status, StaticPage::badRequest());
        return;
    }
    serve(id, parsed.request);
}

void LoopbackListener::serve(quint64 id, const HttpRequest &request)
{
    // Never log the query or raw request: it carries codes and tokens (docs/security.md).
    // RFC 8252 §8.3 and DNS rebinding: the Host must be the exact IP literal and port.
    if (request.host != u"127.0.0.1:"_s + QString::number(m_server.serverPort())) {
        qCInfo(lcNet) << "loopback: GET with an unexpected Host -> 400";
        respond(id, 400, StaticPage::badRequest());
        return;
    }
    const auto route = m_routes.constFind(request.path); // exact path match (docs/security.md)
    if (route == m_routes.cend()) {
        qCInfo(lcNet) << "loopback: GET to an unknown path -> 404";
        respond(id, 404, StaticPage::notFound());
        return;
    }
    const DeferredHandler handler = *route; // a copy: the handler may remove its own route
    hold(id, request.path);
    handler(request, LoopbackReply(this, id)); // may answer, close() or remove the route
}

void LoopbackListener::hold(quint64 id, const QString &path)
{
    Connection &connection = m_connections.at(id);
    connection.stage = Stage::Held;
    connection.path = path;
    // docs/security.md: a held browser tab is answered within the reply timeout (15 s) whatever
    // the route's owner does.
    QTimer::singleShot(m_replyTimeout, connection.socket, [this, id] {
        if (!isHeld(id))
            return;
        qCInfo(lcNet) << "loopback: no answer within the reply timeout";
        answer(id, {504, StaticPage::signInIncomplete()});
    });
}

bool LoopbackListener::isHeld(quint64 id) const
{
    const auto it = m_connections.find(id);
    return it != m_connections.end() && it->second.stage == Stage::Held;
}

bool LoopbackListener::answer(quint64 id, const LoopbackResponse &response)
{
    if (!isHeld(id))
        return false; // answered already, or the connection is gone
    const QString path = m_connections.at(id).path;
    qCInfo(lcNet).noquote() << "loopback: GET" << path << "->" << response.status;
    respond(id, response.status, response.page);
    Q_EMIT requestHandled(path, response.status);
    return true;
}

void LoopbackListener::respond(quint64 id, int status, const StaticPage &page)
{
    Connection &connection = m_connections.at(id);
    connection.stage = Stage::Answered;
    QTcpSocket *socket = connection.socket;
    socket->write(responseBytes(status, page.toHtml()));
    // Into the kernel now: the listener may be destroyed before the event loop writes it.
    socket->flush();
    socket->disconnectFromHost(); // closes once written (Connection: close); may release(id)
}

void LoopbackListener::drop(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    it->second.socket->abort(); // may emit disconnected(), which releases it
    release(id);
}

void LoopbackListener::release(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    it->second.socket->deleteLater();
    m_connections.erase(it);
}

} // namespace latchkey
