#pragma once

#include "core/clock.h"
#include "core/digest.h"
#include "core/result.h"
#include "session/jwtsession.h"
#include "session/session.h"
#include "storage/records.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

#include <functional>
#include <optional>

namespace latchkey {

class Database;
class KeychainPolicy;
class SecretStore;

/// Holds this device's sessions. For each account signed in here, the keychain entry
/// `session/<user id>` holds its token: under the database strategy 256 random bits whose SHA-256
/// is a row of the `sessions` table; under the jwt strategy an encrypted JWT (session/jwtsession.h)
/// under the keychain's `jwt-key`, checked against the user's session generation instead of a
/// row. One account is active (the `device_accounts` table says which); current() is its session.
/// A start with the other strategy than the last one signs every account out first.
///
///     restore() ─► active account? ─┬─ none ─► SignedOut (the keychain is not read)
///                                   └─ one ──► its keychain entry:
///         no entry ─► keyring locked? yes: Error, no: SignedOut
///         keychain error ─► Error (sign-in works, not remembered)
///         token ─► row lookup (jwt: decrypt, generation) ─► valid: SignedIn · expired: Expired
///                                                                        · other: SignedOut
///     establish(user) ─► its old rows deleted ─► active ─► keychain write ─► row ─► SignedIn
///     switchTo(user) ─► its keychain entry ─► row lookup ─► active ─► SignedIn (others stay)
///     signOut() ─► row deleted ─► keychain entry erased ─► SignedOut (other accounts stay)
///     SignedIn, the clock passes `expires` (looked at then, and every minute) ─► Expired
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

    /// Signs the active account out: deletes its session row, its keychain entry and the cached
    /// session; then SignedOut. The device's other accounts stay signed in. Always ends signed
    /// out, even if the keychain cannot be reached (the row is gone, so the token is useless);
    /// such a problem is reported through the callback.
    void signOut(QObject *context, DoneCallback callback);

    /// Signs account `userId` out of this device (signOut() when it is the active one). The
    /// callback gets what the keychain said.
    void signOutAccount(qint64 userId, QObject *context, DoneCallback callback);

    /// The accounts signed in on this device, the active one first and then the most recently
    /// used. Accounts whose session ran out are dropped from the list (and their keychain entry
    /// erased) as they are found.
    Result<QList<SignedInAccount>> accounts();

    /// Makes account `userId` (signed in on this device) the active one: its token is read from
    /// the keychain and checked like at restore(). The session of the account active before stays
    /// signed in. AccountNotOnDevice when `userId` has no valid session here (its leftovers are
    /// removed); the active account is then unchanged. stateChanged() follows a switch.
    void switchTo(qint64 userId, QObject *context, SessionCallback callback);

    /// How often, at most, a signed-in manager checks that its session still holds while the
    /// program runs: that it has not run out (also after the computer slept past the expiry: the
    /// timers' monotonic clock does not count sleep) and was not ended elsewhere (the command line,
    /// another window, "sign out everywhere" on another session). One indexed read of the
    /// database; a session that ended is then closed here (stateChanged). Default kExpiryCheck.
    void setExpiryCheckInterval(std::chrono::milliseconds interval);
    static constexpr std::chrono::milliseconds kExpiryCheck{2'000};

    /// Notes that the person just proved it is them again (a step-up): the session's
    /// authenticatedAt becomes now. Returns the session as validSession() does.
    Result<Session> markAuthenticated();

    /// The active account's sessions, most recently seen first. Under the jwt strategy only the
    /// one in use: other jwt sessions have no row to list (their id is 0).
    Result<QList<SessionRecord>> sessions();
    /// Ends session `sessionId` of the active account (not the one in use): NotFound when it has
    /// no such session.
    Status endSession(qint64 sessionId);
    /// Ends every session of the active account but the one in use; returns how many ended
    /// (under the jwt strategy 0: every other token of the account stops working, but they
    /// cannot be counted).
    Result<int> endOtherSessions();

    /// When the keychain refused this run's session (persistent() false), removes its row now:
    /// call it before the program ends, so no row is left that no token can open. Does nothing
    /// for a session kept in the keychain.
    void endVolatileSession();

signals:
    /// The state changed (also emitted when the signed-in user's details change).
    void stateChanged(latchkey::SessionState state);
    /// Account `userId` is no longer signed in on this device (signed out, or its session ran out
    /// or was found gone): what is kept for it here alone, such as its picture, goes too.
    void accountLeft(qint64 userId);

private:
    static QString legacySessionKey();
    void restoreAccount(qint64 userId);
    void readAccount(qint64 userId);
    void restoreLegacy();
    /// Adopts `token`, read from account `userId`'s keychain entry, as the active session.
    Result<Session> adopt(qint64 userId, const QByteArray &token);
    /// Forgets account `userId` here: its place in the list and its keychain entry.
    void dropAccount(qint64 userId);
    /// dropAccount(), but only while the keychain entry still holds the token hashing to `hash`
    /// (or nothing): a newer sign-in of that account by another process is left alone.
    void forgetOwnToken(qint64 userId, const QByteArray &hash);
    Result<Session> load(const QByteArray &tokenHash, bool renew);
    /// The session of user `userId` as the database has it now (its user and sign-in methods).
    Result<Session> sessionOf(qint64 userId, qint64 sessionId, const QDateTime &expires,
                              const QString &method, const QDateTime &authenticatedAt);
    /// Signs every account out when this start's strategy is not the last one's.
    void leaveOtherStrategy();
    bool jwt() const { return m_policy.strategy == SessionStrategy::Jwt; }
    /// jwt strategy: has `next` run once the key is in memory (read from the keychain, or, with
    /// `create`, made and stored when there is none). Runs it at once under the database one.
    void withJwtKey(bool create, std::function<void(Status)> next);
    /// jwt strategy: decrypts and checks the shape of `token` (the reason when it fails).
    Result<jwtsession::Claims> openJwt(const QByteArray &token) const;
    /// jwt strategy: checks `claims` (expiry, the user's generation) and moves them on when
    /// renewal is due (`renewed` then true).
    Result<Session> checkJwt(jwtsession::Claims &claims, bool renew, bool *renewed);
    /// jwt strategy: stores the current claims, re-encrypted, as the active account's token.
    void reissueJwt();
    /// Ends the sessions of `userId` on this device: its rows, or its jwt generation.
    void endSessionsOf(qint64 userId);
    /// The session's row (database strategy) or, given `claims`, its record (jwt strategy).
    Result<Session> createRow(const QByteArray &hash, qint64 userId, const QString &method,
                              const QDateTime &now, std::optional<jwtsession::Claims> claims);
    void readAndSwitch(qint64 userId, const SessionCallback &answer,
                       const std::function<Error()> &notHere);
    void setState(SessionState state);
    void scheduleExpiryCheck();
    /// True when the database says this session is gone (its row, or its JWT generation moved).
    bool endedElsewhere();
    void clearLocal();

    Database &m_db;
    KeychainPolicy &m_secrets;
    const Clock &m_clock;
    SessionPolicy m_policy;
    SessionState m_state = SessionState::Loading;
    std::optional<Session> m_session;
    std::optional<Error> m_storageProblem;
    QByteArray m_tokenHash;
    QByteArray m_jwtKey; ///< jwt strategy: the key, once read
    std::optional<jwtsession::Claims> m_claims; ///< jwt strategy: the current session's
    QTimer m_expiryTimer;
    std::chrono::milliseconds m_expiryCheck = kExpiryCheck;
};

/// The gate's answer when nobody is signed in (the desktop twin of HTTP 403).
Error notSignedIn();
/// The gate's answer when the session ran out.
Error sessionExpired();

} // namespace latchkey
