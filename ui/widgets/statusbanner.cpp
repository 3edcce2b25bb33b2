#include "statusbanner.h"

#include "outboxviewer.h"
#include "windowstate.h"

#include <QDir>

namespace latchkey::gui {

namespace {

const QString kNotice = QStringLiteral("notice");
const QString kLocked = QStringLiteral("keychainLocked");
const QString kKeychainFailed = QStringLiteral("keychainFailed");
const QString kProblem = QStringLiteral("problem");
const QString kKeyringNote = QStringLiteral("keyringNote");
const QString kOutbox = QStringLiteral("outbox");
const QString kKeyringExplainedKey = QStringLiteral("keyringExplained");

/// The keychain failed and this run keeps secrets in memory: asking it again may help.
bool keychainFellBack(const Error &problem)
{
    return (problem.kind == ErrorKind::Keychain || problem.kind == ErrorKind::Timeout) &&
            problem.code != ErrorCode::KeychainLockedAtStart;
}

} // namespace

StatusBanner::StatusBanner(Client &client, WindowState &state, QWidget *parent)
    : Banner(parent), m_client(client), m_state(state)
{
    connect(&m_client, &Client::problemChanged, this, &StatusBanner::refresh);
    connect(&m_client, &Client::stateChanged, this, &StatusBanner::refresh);
    connect(&m_client, &Client::signInFinished, this, [this](const Result<Session> &result) {
        if (result && m_client.persistent())
            rememberKeyringExplained(); // the keychain holds a session now
        refresh();
    });
    // A retry or unlock that failed leaves the row; say it again so it is noticed.
    connect(&m_client, &Client::keychainRetryFinished, this, [this](const Status &status) {
        if (!status)
            alert(kKeychainFailed);
    });
    connect(&m_client, &Client::keychainUnlockFinished, this, [this](const Status &status) {
        if (!status)
            alert(kLocked);
    });
    refresh();
}

void StatusBanner::setNotice(const QString &text)
{
    if (text.isEmpty()) {
        removeMessage(kNotice);
        return;
    }
    setMessage({kNotice, Severity::Warning, text, tr("Dismiss"), QStringLiteral("dismissNotice"),
                [this]() {
                    removeMessage(kNotice);
                    emit noticeDismissed();
                }});
}

void StatusBanner::refresh()
{
    showProblem();
    showKeyringNote();
    showOutbox();
}

void StatusBanner::showProblem()
{
    const auto problem = m_client.problem();
    const bool locked = problem && problem->code == ErrorCode::KeychainLockedAtStart;
    const bool fellBack = problem && keychainFellBack(*problem);
    if (locked) {
        setMessage({kLocked, Severity::Warning, errorMessage(*problem), tr("Unlock"),
                    QStringLiteral("unlockKeychain"), [this]() {
                        emit unlockRequested();
                        m_client.unlockKeychain();
                    }});
    } else {
        removeMessage(kLocked);
    }
    if (fellBack) {
        setMessage({kKeychainFailed, Severity::Error, errorMessage(*problem), tr("Try again"),
                    QStringLiteral("retryKeychain"), [this]() { m_client.retryKeychain(); }});
    } else {
        removeMessage(kKeychainFailed);
    }
    if (problem && !locked && !fellBack)
        setMessage({kProblem, Severity::Error, errorMessage(*problem), {}, {}, {}});
    else
        removeMessage(kProblem);
}

void StatusBanner::showKeyringNote()
{
    if (!firstRun()) {
        removeMessage(kKeyringNote);
        return;
    }
    setMessage({kKeyringNote, Severity::Info,
                tr("Latchkey keeps your sign-in in the system keyring. When you sign in for the "
                   "first time, your system may ask you to create or unlock a keyring; that "
                   "request comes from your system, and its password stays with it."),
                tr("Dismiss"), QStringLiteral("dismissKeyringNote"), [this]() {
                    rememberKeyringExplained();
                    removeMessage(kKeyringNote);
                }});
}

void StatusBanner::showOutbox()
{
    const QString outbox = m_client.outboxDir();
    if (outbox.isEmpty()) {
        removeMessage(kOutbox);
        return;
    }
    setMessage({kOutbox, Severity::Info,
                tr("Developer mailbox: sign-in emails are saved in %1 instead of being sent. "
                   "Set EMAIL_SERVER to send real email.")
                        .arg(QDir::toNativeSeparators(outbox)),
                tr("Open latest message"), QStringLiteral("openOutbox"),
                [this]() { openOutbox(); }});
}

void StatusBanner::openOutbox()
{
    auto *viewer = new OutboxViewer(m_client.latestOutboxMessage(), window());
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    viewer->open();
}

bool StatusBanner::firstRun()
{
    // Also while Loading: the window shows this before the keychain is first read, so the
    // explanation is there before the system's prompt can be. Once explained, nothing is read.
    if (m_state.value(kKeyringExplainedKey).toBool() || !m_client.persistent() ||
        m_client.problem())
        return false;
    if (!m_client.accounts().valueOr({}).isEmpty()) {
        rememberKeyringExplained(); // a session is kept here already
        return false;
    }
    return true;
}

void StatusBanner::rememberKeyringExplained() { m_state.setValue(kKeyringExplainedKey, true); }

} // namespace latchkey::gui
