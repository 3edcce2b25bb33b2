#pragma once

#include "outboxmessage.h"

#include <QDialog>

#include <optional>

class QLabel;
class QPushButton;

namespace latchkey::gui {

/// The developer mailbox inside the app: the latest sign-in email of the outbox, read without a
/// mail program — subject, recipient, the code in large selectable digits with a Copy button,
/// and the sign-in link as a button. Says so when the outbox has no message yet.
class OutboxViewer : public QDialog
{
    Q_OBJECT

public:
    /// Shows the message at `path` (an .eml file; empty or unreadable: the empty state).
    explicit OutboxViewer(const QString &path, QWidget *parent = nullptr);

private:
    void showMessage(const OutboxMessage &message);
    void showEmpty();

    QWidget *m_details = nullptr; // everything but the empty state
    QLabel *m_subject = nullptr;
    QLabel *m_recipient = nullptr;
    QLabel *m_code = nullptr;
    QLabel *m_hint = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_openLink = nullptr;
    QUrl m_link;
};

} // namespace latchkey::gui
