#pragma once

// "Sign in on another device" (RFC 8628): the code to type, the address, its QR code, a
// countdown, and Cancel. Private to Latchkey::Widgets.

#include <latchkey/types.h>

#include <QDateTime>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace latchkey {

class DevicePage : public QWidget
{
    Q_OBJECT

public:
    explicit DevicePage(QWidget *parent = nullptr);

    /// Shows `code` for `providerLabel` and starts the countdown to its expiry.
    void showCode(const QString &providerLabel, const DeviceCode &code);
    /// The code no longer works: says so (with `message` when given) and offers a new one.
    void showExpired(const QString &message = {});
    bool isExpired() const { return m_expired; }
    QString providerId() const { return m_providerId; }

    /// The QR code of `text` as black modules on white with a 4-module quiet zone, each module
    /// a whole number of pixels (at least 2) so that it stays sharp; about `target` pixels wide.
    static QImage qrImage(const QString &text, int target);

signals:
    void cancelRequested();
    void newCodeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void tick();

    QLabel *m_title = nullptr;
    QLabel *m_instructions = nullptr;
    QLabel *m_userCode = nullptr;
    QPushButton *m_copyButton = nullptr;
    QLabel *m_qr = nullptr;
    QLabel *m_countdown = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_newCodeButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QTimer m_timer;
    QDateTime m_expiresAt;
    QString m_providerId;
    bool m_expired = false;
};

} // namespace latchkey
