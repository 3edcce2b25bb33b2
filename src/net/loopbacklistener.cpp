#include "loopbacklistener.h"

#include "core/logging.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

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

LoopbackListener::LoopbackListener(QObject *parent) : QObject(parent)
{
    // The server accepts; the cap is enforced in onNewConnection() so extra connections are
    // closed rather than left queued in the backlog.
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackListener::onNewConnection);
}

LoopbackListener::~LoopbackListener()
{
    m_server.close();
    // The sockets die with m_server after this body; keep their signals from reaching us then.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets)
        disconnect(socket, nullptr, this, nullptr);
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
    const QList<QTcpSocket *> unanswered = m_pending.keys();
    for (QTcpSocket *socket : unanswered) {
        socket->abort();
        release(socket);
    }
}

void LoopbackListener::addRoute(const QString &path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

void LoopbackListener::removeRoute(const QString &path) { m_routes.remove(path); }

void LoopbackListener::setIdleTimeout(std::chrono::milliseconds timeout)
{
    m_idleTimeout = timeout;
}

void LoopbackListener::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // docs/security.md: a few connections at most; extra ones are closed at once.
        if (m_live.size() >= kMaxConnections) {
            qCWarning(lcNet) << "loopback: connection limit reached, closing a new connection";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_live.insert(socket);
        m_pending.insert(socket, {});
        socket->setReadBufferSize(kLimits.maxHeadBytes);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { release(socket); });
        // docs/security.md: the whole request must arrive within the idle timeout (~5 s), so a slow
        // or silent client cannot hold a connection slot.
        QTimer::singleShot(m_idleTimeout, socket, [this, socket] {
            if (m_pending.contains(socket))
                qCInfo(lcNet) << "loopback: dropping an idle connection";
            socket->abort();
            release(socket);
        });
    }
}

void LoopbackListener::onReadyRead(QTcpSocket *socket)
{
    auto it = m_pending.find(socket);
    if (it == m_pending.end()) {
        socket->readAll(); // answered already: one request per connection, the rest is ignored
        return;
    }
    QByteArray &buffer = *it;
    buffer += socket->read(kLimits.maxHeadBytes - buffer.size());
    const HttpParseResult parsed = parseHttpRequest(buffer, kLimits);
    if (parsed.needMore())
        return;
    m_pending.erase(it); // answered from here on; close() lets the response go out
    if (parsed.invalid()) {
        qCInfo(lcNet).noquote().nospace()
                << "loopback: rejected request (" << parsed.reason << ") -> " << parsed.status;
        respond(socket, parsed.status, StaticPage::badRequest());
        return;
    }
    serve(socket, parsed.request);
}

void LoopbackListener::serve(QTcpSocket *socket, const HttpRequest &request)
{
    // Never log the query or raw request: it carries codes and tokens (docs/security.md).
    // RFC 8252 §8.3 and DNS rebinding: the Host must be the exact IP literal and port.
    if (request.host != u"127.0.0.1:"_s + QString::number(port())) {
        qCInfo(lcNet) << "loopback: GET with an unexpected Host -> 400";
        respond(socket, 400, StaticPage::badRequest());
        return;
    }
    const auto route = m_routes.constFind(request.path); // exact path match (docs/security.md)
    if (route == m_routes.cend()) {
        qCInfo(lcNet) << "loopback: GET to an unknown path -> 404";
        respond(socket, 404, StaticPage::notFound());
        return;
    }
    const Handler handler = *route; // a copy: the handler may remove its own route
    const LoopbackResponse response = handler(request);
    qCInfo(lcNet).noquote() << "loopback: GET" << request.path << "->" << response.status;
    respond(socket, response.status, response.page);
    Q_EMIT requestHandled(request.path, response.status);
}

void LoopbackListener::respond(QTcpSocket *socket, int status, const StaticPage &page)
{
    socket->write(responseBytes(status, page.toHtml()));
    socket->disconnectFromHost(); // flushes, then closes (Connection: close)
}

void LoopbackListener::release(QTcpSocket *socket)
{
    m_pending.remove(socket);
    if (m_live.remove(socket))
        socket->deleteLater();
}

} // namespace latchkey
