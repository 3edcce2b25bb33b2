#pragma once

// A picture server on 127.0.0.1 for the avatar tests: each path answers with raw bytes written as
// given (any headers, chunked or no length, a body that never ends), and every connection is
// counted, so a test can tell that a picture came from the cache and not from the network.

#include <QByteArray>
#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace latchkey::test {

class PictureServer
{
public:
    PictureServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this]() { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }

    /// `path` answers 200 with `body` and an honest Content-Length.
    void serve(const QByteArray &path, const QByteArray &body,
               const QByteArray &contentType = "image/png")
    {
        serveRaw(path,
                 "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    }
    /// `path` answers with exactly `response`; the connection is closed after it unless
    /// `keepOpen` (a body that never ends).
    void serveRaw(const QByteArray &path, const QByteArray &response, bool keepOpen = false)
    {
        m_responses.insert(path, {response, keepOpen});
    }

    int connections() const { return m_connections; }
    const QList<QByteArray> &paths() const { return m_paths; }

private:
    struct Response
    {
        QByteArray bytes;
        bool keepOpen = false;
    };

    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer]() {
                *buffer += socket->readAll();
                if (!buffer->contains("\r\n\r\n"))
                    return;
                const QByteArray path = buffer->left(buffer->indexOf("\r\n")).split(' ').value(1);
                buffer->clear();
                m_paths.append(path);
                const Response response = m_responses.value(
                        path.left(path.indexOf('?') < 0 ? path.size() : path.indexOf('?')),
                        {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: "
                         "close\r\n\r\n",
                         false});
                socket->write(response.bytes);
                if (!response.keepOpen)
                    socket->disconnectFromHost();
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    QTcpServer m_server;
    QHash<QByteArray, Response> m_responses;
    QList<QByteArray> m_paths;
    int m_connections = 0;
};

} // namespace latchkey::test
