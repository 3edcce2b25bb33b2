#pragma once

// A picture server on 127.0.0.1 for the avatar tests, over plain HTTP or TLS: each path answers
// with raw bytes written as given (any headers, chunked or no length, a body that never ends), and
// every connection is counted, so a test can tell that a picture came from the cache and not from
// the network.

#include <QByteArray>
#include <QHash>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>

namespace latchkey::test {

class PictureServer
{
public:
    /// Plain HTTP.
    bool listen() { return start(std::make_unique<QTcpServer>()); }
    /// HTTPS with `certificate` and `key`; a connection counts once its handshake began.
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key)
    {
        auto server = std::make_unique<QSslServer>();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(certificate);
        tls.setPrivateKey(key);
        server->setSslConfiguration(tls);
        QObject::connect(server.get(), &QSslServer::startedEncryptionHandshake, server.get(),
                         [this](QSslSocket *) { ++m_connections; });
        m_tls = true;
        return start(std::move(server));
    }
    QString url(const QString &path) const
    {
        return QStringLiteral("%1://127.0.0.1:%2%3")
                .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                .arg(m_server->serverPort())
                .arg(path);
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
    bool start(std::unique_ptr<QTcpServer> server)
    {
        m_server = std::move(server);
        // Emitted once a connection is ready (after the TLS handshake, for TLS).
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(),
                         [this]() { accept(); });
        return m_server->listen(QHostAddress::LocalHost, 0);
    }

    struct Response
    {
        QByteArray bytes;
        bool keepOpen = false;
    };

    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            if (!m_tls)
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

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QHash<QByteArray, Response> m_responses;
    QList<QByteArray> m_paths;
    int m_connections = 0;
};

} // namespace latchkey::test
