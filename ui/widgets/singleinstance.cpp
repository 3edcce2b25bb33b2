#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>

namespace latchkey::gui {

namespace {

Q_LOGGING_CATEGORY(lcInstance, "latchkey.window")

// One line each way: "latchkey-open <view>\n", answered "ok\n".
constexpr QByteArrayView kRequest = "latchkey-open ";
constexpr QByteArrayView kAnswer = "ok\n";
constexpr int kMaxLine = 64;
/// How long a start waits for a running window: it answers from its event loop, within a frame
/// unless it is busy or hung.
constexpr int kAnswerMs = 3000;

} // namespace

SingleInstance::SingleInstance(const QString &dataFolder, QObject *parent) : QObject(parent)
{
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty())
        return;
    const QByteArray key = QCryptographicHash::hash(
            QFileInfo(dataFolder).absoluteFilePath().toUtf8(), QCryptographicHash::Sha256);
    m_path = QDir(runtime).filePath(
            QStringLiteral("latchkey-%1.socket").arg(QLatin1StringView(key.toHex().left(16))));
    connect(&m_server, &QLocalServer::newConnection, this, [this]() {
        while (QLocalSocket *socket = m_server.nextPendingConnection())
            serve(socket);
    });
}

SingleInstance::Role SingleInstance::start(const QString &view)
{
    if (m_path.isEmpty()) {
        qCInfo(lcInstance) << "no runtime folder: a second start opens a second window";
        return Role::Alone;
    }
    Answer answer = handOver(view);
    if (answer == Answer::NoWindow && !m_server.listen(m_path) &&
        m_server.serverError() == QAbstractSocket::AddressInUseError) {
        // Nobody answered on it: left behind by a window that crashed, unless one started just
        // now. Ask once more before replacing it.
        answer = handOver(view);
        if (answer == Answer::NoWindow)
            QLocalServer::removeServer(m_path);
    }
    switch (answer) {
    case Answer::Taken:
        return Role::HandedOver;
    case Answer::Silent:
        qCWarning(lcInstance) << "the running Latchkey window does not answer; opening another";
        return Role::Alone;
    case Answer::NoWindow:
        break;
    }
    if (m_server.isListening() || m_server.listen(m_path)) {
        // The runtime folder is the user's alone (0700); the socket is too. (Not with Qt's
        // UserAccessOption: it binds elsewhere and renames over the path, replacing a running
        // window's socket instead of finding it.)
        QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
        return Role::First;
    }
    qCWarning(lcInstance) << "cannot listen on" << m_path << ':' << m_server.errorString();
    return Role::Alone;
}

SingleInstance::Answer SingleInstance::handOver(const QString &view) const
{
    QLocalSocket socket;
    socket.connectToServer(m_path);
    if (!socket.waitForConnected(kAnswerMs))
        return socket.error() == QLocalSocket::SocketTimeoutError ? Answer::Silent
                                                                  : Answer::NoWindow;
    socket.write(kRequest.toByteArray() + view.toUtf8() + '\n');
    QByteArray answer;
    while (!answer.endsWith('\n') && socket.waitForReadyRead(kAnswerMs))
        answer += socket.readAll();
    return answer == kAnswer ? Answer::Taken : Answer::Silent;
}

void SingleInstance::serve(QLocalSocket *socket)
{
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    const auto refuse = [socket]() {
        socket->abort();
        socket->deleteLater();
    };
    connect(socket, &QLocalSocket::readyRead, this, [this, socket, refuse]() {
        if (!socket->canReadLine()) {
            if (socket->bytesAvailable() > kMaxLine)
                refuse(); // not one of ours
            return;
        }
        const QByteArray line = socket->readLine(kMaxLine + 1).trimmed();
        if (!line.startsWith(kRequest.trimmed())) {
            refuse();
            return;
        }
        socket->write(kAnswer.toByteArray());
        socket->disconnectFromServer();
        emit activated(QString::fromUtf8(line.mid(kRequest.size() - 1).trimmed()));
    });
}

} // namespace latchkey::gui
