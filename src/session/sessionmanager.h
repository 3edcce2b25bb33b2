#pragma once

#include "core/clock.h"
#include "core/digest.h"
#include "core/result.h"
#include "session/session.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace latchkey {

class Database;
class KeychainPolicy;
class SecretStore;

/// Holds this device's session (database strategy): a 256-bit random token in the keychain and
/// its SHA-256 in the `sessions` table.
///
///     restore() ─► Loading ─► keychain read ─┬─ no entry ─► keyring locked? ─┬─ no ─► SignedOut
///                                            │                               └─ yes ► Error
///                                            ├─ keychain error ────────► Error (sign-in works,
///                                            │                            not remembered)
///                                            └─ token ─► row lookup ─┬─ valid ─► SignedIn
///                                                                    ├─ expired ► Expired
///                                                                    └─ other ──► SignedOut
///     establish(user) ─► old row deleted ─► keychain write ─► new row ─► SignedIn
///     signOut() ─► row deleted ─► keychain entry erased ─► SignedOut
///
/// The gate fails closed (docs/security.md): any read, lookup or expiry failure means signed out.
class SessionManager : public QObject
{
    Q_OBJECT

public:
    using SessionCallback = std::function<void(Result<Session>)>;
    using DoneCallback = std::function<void(Status)>;

    /// `db`, `secrets` and `clock` must outlive the manager. When the keychain fails, `secrets`
    /// keeps the token in memory for this run and the state says so.
    SessionManager(Database &db, KeychainPolicy &secrets, const Clock &clock, SessionPolicy policy,
                   QObject *parent = nullptr);

    /// Reads the stored session (asynchronously) and moves to SignedIn, SignedOut, Expired or
    /// Error (also when nothing was found because the keyring is locked: problem() then says
    /// KeychainLockedAtStart). Emits stateChanged() when done.
    void restore();

    SessionState state() const { return m_state; }
    /// The session while SignedIn (cached; use validSession() before showing protected data).
    const std::optional<Session> &current() const { return m_session; }
    /// The last keychain or storage problem, to show the user (none when all is well).
    std::optional<Error> problem() const;
    /// False when the keychain failed and the session lives in memory for this run only.
    bool persistent() const;

    /// Where this run keeps secrets: the keychain, or memory after the keychain failed.
    KeychainPolicy &secrets() { return m_secrets; }

    /// The gate: re-checks the session against the database now (row present, not expired, user
    /// present) and renews it when older than updateAge. Any failure signs out and returns an
    /// Unauthorized error ("not signed in", the twin of HTTP 403).
    Result<Session> validSession();

    /// Starts a new session for `userId` after a successful sign-in: a new token (never reused)
    /// in the keychain, then its hash in the database (in that order, so a crash never leaves a
    /// row without its token). Replaces this device's previous session. The callback gets the
    /// session; stateChanged() follows.
    void establish(qint64 userId, const QString &method, QObject *context,
                   SessionCallback callback);

    /// Deletes the session row, the keychain entry and the cached session; then SignedOut.
    /// Always ends signed out, even if the keychain cannot be reached (the row is gone, so the
    /// token is useless); such a problem is reported through the callback.
    void signOut(QObject *context, DoneCallback callback);

    /// When the keychain refused this run's session (persistent() false), removes its row now:
    /// call it before the program ends, so no row is left that no token can open. Does nothing
    /// for a session kept in the keychain.
    void endVolatileSession();

signals:
    /// The state changed (also emitted when the signed-in user's details change).
    void stateChanged(latchkey::SessionState state);

private:
    Result<Session> load(const QByteArray &tokenHash, bool renew);
    Result<Session> createRow(const QByteArray &hash, qint64 userId, const QString &method,
                              const QDateTime &now);
    void setState(SessionState state);
    void clearLocal();

    Database &m_db;
    KeychainPolicy &m_secrets;
    const Clock &m_clock;
    SessionPolicy m_policy;
    SessionState m_state = SessionState::Loading;
    std::optional<Session> m_session;
    std::optional<Error> m_storageProblem;
    QByteArray m_tokenHash;
};

/// The gate's answer when nobody is signed in (the desktop twin of HTTP 403).
Error notSignedIn();

} // namespace latchkey
