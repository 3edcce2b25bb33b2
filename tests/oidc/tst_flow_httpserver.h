#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 for the oidc flow job tests: it records each request and
// answers from a queue of canned replies (or never answers, to exercise timeouts).

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace latchkey::test {

class CannedHttpServer
{
public:
    struct Reply
    {
        int status = 200;
        QByteArray contentType = "application/json";
        QByteArray body;
        bool hang = false; ///< never answer
        int delayMs = 0;
    };
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QHash<QByteArray, QByteArray> headers; ///< lower-case names
        QByteArray body;
        qint64 receivedAtMs = 0; ///< when it arrived, on the server's monotonic clock

        /// The body decoded as application/x-www-form-urlencoded, in order.
        QList<QPair<QString, QString>> form() const
        {
            QList<QPair<QString, QString>> out;
            for (const QByteArray &pair : body.split('&')) {
                if (pair.isEmpty())
                    continue;
                const qsizetype eq = pair.indexOf('=');
                auto decode = [](QByteArray raw) {
                    return QString::fromUtf8(
                            QByteArray::fromPercentEncoding(raw.replace('+', ' ')));
                };
                out.append({decode(pair.left(eq)), eq < 0 ? QString() : decode(pair.mid(eq + 1))});
            }
            return out;
        }
    };

    CannedHttpServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this]() { accept(); });
        m_elapsed.start();
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    void enqueue(Reply reply) { m_replies.append(std::move(reply)); }
    void enqueue(int status, const QByteArray &body)
    {
        Reply reply;
        reply.status = status;
        reply.body = body;
        enqueue(reply);
    }
    const QList<Request> &requests() const { return m_requests; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer]() {
                *buffer += socket->readAll();
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                Request request;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                request.method = first.value(0);
                request.target = first.value(1);
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const qsizetype colon = lines[i].indexOf(':');
                    if (colon > 0)
                        request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                               lines[i].mid(colon + 1).trimmed());
                }
                const qsizetype length = request.headers.value("content-length", "0").toLongLong();
                if (buffer->size() < end + 4 + length)
                    return;
                request.body = buffer->mid(end + 4, length);
                buffer->clear();
                request.receivedAtMs = m_elapsed.elapsed();
                m_requests.append(request);
                const Reply reply = m_replies.isEmpty()
                        ? Reply{500, "text/plain", "no reply queued"}
                        : m_replies.takeFirst();
                if (reply.hang)
                    return;
                QTimer::singleShot(reply.delayMs, socket, [socket, reply]() {
                    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\n";
                    out += "Content-Type: " + reply.contentType + "\r\n";
                    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
                    out += "Connection: close\r\n\r\n" + reply.body;
                    socket->write(out);
                    socket->disconnectFromHost();
                });
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    QTcpServer m_server;
    QElapsedTimer m_elapsed;
    QList<Reply> m_replies;
    QList<Request> m_requests;
};

} // namespace latchkey::test
