#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

namespace latchkey::gui {

/// One window per data folder. The first start listens on a local socket in the user's runtime
/// folder (`$XDG_RUNTIME_DIR`, readable by the user only); a later start hands its request (a
/// view to open, or none) to that window, which comes to the front, and exits.
///
/// A socket left behind by a window that crashed (`kill -9`) answers no one: the next start
/// replaces it. Two data folders (`LATCHKEY_DATA_DIR`, or `DATABASE_URL`'s folder) are two
/// instances.
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    enum class Role {
        First, ///< no window was running: this one listens now
        HandedOver, ///< a running window took the request: this start ends here
        Alone, ///< no socket could be used (or the running window did not answer): runs alone
    };

    /// `dataFolder` is Options::dataFolder(): it keys the socket.
    explicit SingleInstance(const QString &dataFolder, QObject *parent = nullptr);

    /// Hands `view` ("home", "dashboard", "profile", or empty) to a running window, or becomes
    /// the running window. Blocks for at most a few seconds when a window is hung.
    Role start(const QString &view);

    /// The socket's path (in the runtime folder); empty when there is no runtime folder.
    QString socketPath() const { return m_path; }

signals:
    /// A later start asked for `view` (empty: none). The window comes to the front.
    void activated(const QString &view);

private:
    enum class Answer { Taken, NoWindow, Silent };
    Answer handOver(const QString &view) const;
    void serve(class QLocalSocket *socket);

    QString m_path;
    QLocalServer m_server;
};

} // namespace latchkey::gui
