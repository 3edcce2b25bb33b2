#pragma once

#include <latchkey/error.h>
#include <latchkey/options.h>
#include <latchkey/types.h>

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace latchkey {

class BrowserLauncher;
class ClientPrivate;
struct ClientAdapters;

/// The newest successful sign-in on this device (Client::lastSignIn()): what a sign-in screen
/// offers first to a returning person.
struct LastSignIn
{
    QString providerId; ///< "email" or a provider id; empty when nobody signed in here yet
    QString email; ///< for an email sign-in, the address it proved; else empty
};

/// The front door of the library: sign-in, the session and provider tokens for one Qt program
/// (what NextAuth's `signIn`, `signOut`, `useSession` and `getSession` are for a web page).
///
///     Client client(Options::fromConfig().value());
///     client.setBrowserLauncher(&launcher);           // e.g. latchkey::DesktopBrowserLauncher
///     connect(&client, &Client::stateChanged, ...);
///     client.restore();                               // Loading → SignedIn | SignedOut | Error
///     client.signIn("google");                        // or signInWithEmail("a@example.com")
///
/// A Client lives on the thread that created it and is used from there only (QtSql and the
/// keychain jobs are thread-bound). Every operation is asynchronous and reports through signals;
/// nothing blocks the event loop. See docs/library.md.
class LATCHKEY_EXPORT Client : public QObject
{
    Q_OBJECT

public:
    /// Where the client is.
    enum class State {
        Loading, ///< restore() is reading the keychain and the database
        SignedOut, ///< nobody is signed in (sessionExpired() tells whether a session ran out)
        SigningIn, ///< a sign-in is waiting for the browser, the email or the code
        SignedIn, ///< session() holds the signed-in user
        Error, ///< the keychain or the database failed; problem() says how. Signing in still
               ///< works, for this run only, when the keychain is the problem
    };
    Q_ENUM(State)

    /// The real keychain (service Options::keychainService), SMTP or the developer outbox, the
    /// system clock and the network.
    explicit Client(Options options, QObject *parent = nullptr);
    /// For tests: the same client over other adapters (fake clock, secret store, mailer).
    Client(Options options, std::unique_ptr<ClientAdapters> adapters, QObject *parent = nullptr);
    ~Client() override;

    /// Starts reading, on a thread of its own, the saved session that a Client made later with
    /// the same `options` restores (the account signed in last on this device), so that the
    /// keychain answers while the program is still loading its window. Optional, for start-up
    /// speed only: call it first thing in main(), before the QApplication. The Client takes the
    /// answer over when it is for its keychain service and account; otherwise it reads as usual,
    /// and a problem is reported by restore() as always.
    static void prefetchSession(const Options &options);

    /// The options the client was built with.
    const Options &options() const;
    /// The configured providers, in configuration order.
    QList<Provider> providers() const;

    /// Who opens authorization URLs. Not owned; must outlive the client or be reset. Without one,
    /// signIn() only emits authorizationUrlReady() and the program shows the URL.
    void setBrowserLauncher(BrowserLauncher *launcher);

    /// Opens the database (synchronously: an unusable database or mail setting is returned here,
    /// and the state becomes Error) and then reads the stored session from the keychain: the
    /// state goes Loading → SignedIn, SignedOut or Error, and restored() follows. Call once.
    Status restore();

    /// Where the client is now; stateChanged() follows every change.
    State state() const;
    /// The signed-in session (cached). Protected data must go through validSession().
    std::optional<Session> session() const;
    /// True when the last session ran out (state SignedOut): "sign in again".
    bool sessionExpired() const;
    /// A keychain or database problem to tell the user about (also while signed in: "signed in
    /// for this run only"), or nothing.
    std::optional<latchkey::Error> problem() const;
    /// False when the keychain failed and the session lives in memory until the program quits
    /// (its database row goes when the client is destroyed).
    bool persistent() const;
    /// Asks the keyring to unlock (it shows its own password prompt) when problem() is
    /// KeychainLockedAtStart; once unlocked, the saved session is read again (stateChanged()
    /// follows). keychainUnlockFinished() reports the outcome (Cancelled: the prompt was
    /// dismissed).
    void unlockKeychain();
    /// When the keychain failed and this run keeps its secrets in memory (problem() is another
    /// Keychain code, or KeychainTimedOut; persistent() false): asks the keychain again, e.g.
    /// after the person started their keyring. If it answers, the secrets kept in memory move
    /// there, problem() clears (problemChanged()), persistent() is true again and a saved
    /// session is read again (stateChanged() follows). keychainRetryFinished() reports the
    /// outcome: success, or the keychain's error (nothing changed).
    void retryKeychain();
    /// Calls `callback` once no keychain write or removal and no provider-token revocation
    /// started by this client is running (later, from the event loop; not once `context` is
    /// gone). A command-line program waits for this before it exits, so a sign-out, a fail-closed
    /// removal or the clean-up after a crash is never cut off.
    void whenIdle(QObject *context, std::function<void()> callback);

    /// The gate: re-checks the session against the database now (row present, not expired, user
    /// present), renews it when older than the update age, and returns it. Any failure signs
    /// out (fail closed) and returns NotSignedIn or SessionExpired.
    Result<Session> validSession();
    /// Protected data through the gate (the desktop twin of `/api/data`), or NotSignedIn.
    Result<ProtectedData> protectedData();
    /// The signed-in user's sessions in this database, the current one marked; NotSignedIn when
    /// nobody is signed in. Under the jwt strategy only the current one (with id 0): jwt sessions
    /// have no rows to list.
    Result<QList<DeviceSession>> deviceSessions();

    /// The newest successful sign-in recorded on this device (signed out since or not), read from
    /// the activity trail: its method and, for an email sign-in, the address. Empty before
    /// restore(), when nobody signed in here yet, or once that person deleted their local data
    /// (deleteLocalData()) or the activity aged out.
    LastSignIn lastSignIn() const;
    /// The oldest sign-in method ("email" or a provider id) of the account on this device whose
    /// address is `address`, or empty: what an EmailInUse error (whose `subject` is the address)
    /// asks the person to sign in with.
    QString signInMethodOf(const QString &address) const;

    /// The accounts signed in on this device (the account switcher), the active one first and then
    /// the most recently used. Each keeps its own session and keychain entries.
    Result<QList<SignedInAccount>> accounts();
    /// The provider picture of account `userId` (signed in on this device, see accounts()) as a
    /// file: a PNG, JPEG, GIF or WebP of at most 1 MiB and 2048×2048 pixels, or empty while there
    /// is none (show initials). Never waits for the network: the first call for a user whose
    /// User::image is set starts one https download in the background, and avatarChanged()
    /// follows when the picture is there. A picture is downloaded once per URL and kept in
    /// `<Options::dataDir>/avatars` until the account signs out of this device. Decode it with a
    /// size check (QImageReader::size() before read()); see docs/library.md.
    QString avatarPath(qint64 userId) const;

    /// Makes account `userId` from accounts() the active one, if its session on this device is
    /// still valid; the account active before stays signed in. switchAccountFinished() reports
    /// the result (AccountNotOnDevice when that account's session is gone: sign in with it again);
    /// on success, stateChanged() and sessionChanged() come first.
    void switchAccount(qint64 userId);

    /// Signs in with provider `providerId` through the system browser and a loopback redirect.
    /// Emits authorizationUrlReady(), then signInFinished(). An unknown id finishes at once (later,
    /// from the event loop) with UnknownProvider. A sign-in already running is cancelled first.
    /// While someone is signed in, this adds an account: the new one becomes active and the one
    /// before stays signed in on this device (accounts()).
    void signIn(const QString &providerId);
    /// Like signIn(), but links the provider to the signed-in user instead (Profile's "Link
    /// Google"). signInFinished() reports the result; the session stays as it was.
    void linkProvider(const QString &providerId);
    /// Signs in with provider `providerId` on another device (RFC 8628 device sign-in, for a
    /// machine without a usable browser): deviceCodeReady() gives the code and the address to
    /// show, then signInFinished() ends it as for signIn() (DeviceAccessDenied when declined
    /// there, DeviceCodeExpired when nobody approved in time, DeviceSignInUnsupported when the
    /// provider's discovery document has no `device_authorization_endpoint`). cancel() stops it.
    void signInOnAnotherDevice(const QString &providerId);
    /// Calls `callback` once (from the event loop; not at all once `context` is destroyed) with
    /// whether provider `providerId` offers sign-in on another device: its discovery document
    /// lists `device_authorization_endpoint`. False for an unknown provider, before restore(), or
    /// when the document cannot be fetched now.
    void supportsDeviceSignIn(const QString &providerId, QObject *context,
                              std::function<void(bool)> callback);
    /// Sends a sign-in link and a 6-digit code to `address`: emailSent() when it went out, then
    /// signInFinished() when the link is opened or submitCode() gets the right code. An email an
    /// earlier run sent to `address` that is still valid is taken up instead of sending another.
    void signInWithEmail(const QString &address);
    /// Picks up an email sign-in sent before the program last quit, if its link still works:
    /// listens on the link's port again and emits emailSent() (later, from the event loop), after
    /// which the link or submitCode() finish it as usual. Returns false when there is none.
    /// Call after restored().
    bool resumeEmailSignIn();
    /// Redeems a typed code for the email sign-in in progress; a wrong one emits codeRejected().
    void submitCode(const QString &code);
    /// Sends a new email for the sign-in in progress (the earlier link and code stop working).
    void resendEmail();
    /// Opens the authorization URL again (the user closed the tab).
    Status openBrowserAgain();
    /// Ends the sign-in in progress: signInFinished() with Cancelled. While an account switch
    /// waits for an answer, it is declined.
    void cancel();

    /// Confirms that the person at the keyboard is the signed-in user before a sensitive action
    /// (a step-up, like GitHub's "sudo mode"): the sign-in method the session used is asked
    /// again — the provider with prompt=login and max_age=0, its ID token's `auth_time` checked
    /// and the same account required; or a fresh email code. Progress shows as for a sign-in
    /// (authorizationUrlReady(), emailSent(), codeRejected()); signInFinished() ends it with the
    /// session, whose authenticatedAt is now. Sensitive actions (signOutEverywhere()) answer
    /// StepUpRequired when the last sign-in or confirmation is older than 10 minutes.
    void confirmIdentity();
    /// True when a sensitive action would answer StepUpRequired now.
    bool needsIdentityConfirmation() const;

    /// Answers accountSwitchRequested(): signs the new person in as the active account (the one
    /// signed in now stays signed in on this device, see accounts()); signInFinished() follows.
    /// Does nothing when no switch is waiting.
    void confirmAccountSwitch();
    /// Answers accountSwitchRequested(): the person signed in now stays signed in, and the email
    /// sign-in ends with signInFinished(AccountSwitchDeclined). Does nothing when no switch is
    /// waiting.
    void declineAccountSwitch();
    /// True while accountSwitchRequested() waits for confirmAccountSwitch() or
    /// declineAccountSwitch().
    bool accountSwitchPending() const;

    /// The address the email sign-in in progress went to (empty when none).
    QString pendingEmail() const;
    /// Seconds until resendEmail() is allowed.
    qint64 resendWaitSecs() const;
    /// The authorization URL of the provider sign-in in progress (empty when none).
    QUrl authorizationUrl() const;
    /// The label of the provider whose sign-in is in progress.
    QString pendingProviderLabel() const;

    /// Signs the active account out on this device: its session row and keychain entry go at once
    /// (SignedOut before signOutFinished()), then its provider tokens are erased and revoked where
    /// the provider supports it (RFC 7009). A revocation failure never keeps anyone signed in. The
    /// device's other accounts stay signed in; switchAccount() opens one of them.
    void signOut();
    /// Like signOut(), for every account signed in on this device.
    void signOutAllAccounts();
    /// Unlinks sign-in method `accountId` (from session()->accounts) from the signed-in user: its
    /// provider tokens are erased and revoked in the background, and sessionChanged() follows.
    /// Never the last method (LastSignInMethod). Needs a recent sign-in (StepUpRequired, see
    /// confirmIdentity()).
    Status unlinkAccount(qint64 accountId);
    /// "Delete my local data": every provider token of the signed-in user (erased and revoked),
    /// their sessions and keychain entries, their user row with its sign-in methods and
    /// activity, and any email sign-in waiting for their address. Ends signed out;
    /// signOutFinished() follows. Needs a recent sign-in (StepUpRequired, nothing changed).
    void deleteLocalData();
    /// Ends one of deviceSessions() other than the current one. The current one is InvalidInput
    /// (use signOut()); a session that is not the signed-in user's is NotFound.
    Status revokeSession(qint64 sessionId);
    /// Ends every session of the signed-in user in deviceSessions() but the current one; returns
    /// how many. Under the jwt strategy every other token of the user stops working, and 0 is
    /// returned: they cannot be counted.
    Result<int> signOutOtherSessions();
    /// Ends every session of the signed-in user, this one included (as signOut()), and revokes
    /// every provider token of the user at the provider (RFC 7009). A provider that revokes the
    /// whole grant, as Google does, ends this app's sign-in on the user's other devices too.
    /// signOutFinished() follows; it reports StepUpRequired (nothing changed) when the last
    /// sign-in or confirmIdentity() is older than 10 minutes, NotSignedIn when nobody is.
    void signOutEverywhere();

    /// Hands `callback` a valid access token for the signed-in user's `providerId` account,
    /// refreshing it first when it has expired or is about to (Options::refreshLeewaySecs). One
    /// refresh runs at a time per account, and a rotated refresh token is stored before the new
    /// access token is used. `invalid_grant` erases that account's provider tokens, emits
    /// providerTokensRevoked() and gives InvalidGrant; a network failure is an error but never a
    /// sign-out. Right after a sign-in it waits for that sign-in's tokens to be saved (they follow
    /// signInFinished()). `callback` runs later, never inside this call, and not at all once
    /// `context` is destroyed.
    void withFreshAccessToken(const QString &providerId, QObject *context,
                              std::function<void(const Result<AccessToken> &)> callback);
    /// Like withFreshAccessToken(), but asks the provider for new tokens now, whatever their
    /// expiry (`latchkey refresh`).
    void refreshAccessToken(const QString &providerId, QObject *context,
                            std::function<void(const Result<AccessToken> &)> callback);

    /// The developer outbox folder when mail is not sent over SMTP (empty otherwise).
    QString outboxDir() const;
    /// The newest message in the developer outbox (empty when none).
    QString latestOutboxMessage() const;

signals:
    /// state() changed to `state`.
    void stateChanged(latchkey::Client::State state);
    /// The session or the signed-in user's details changed (sign-in, renewal, link, sign-out).
    void sessionChanged();
    /// problem() changed.
    void problemChanged();
    /// restore() finished: the first state after Loading is known.
    void restored();
    /// The one terminal signal of each signIn(), linkProvider(), confirmIdentity() and email
    /// sign-in.
    void signInFinished(const latchkey::Result<latchkey::Session> &result);
    /// switchAccount() finished: the session of the account now active, or why it stayed as it was.
    void switchAccountFinished(const latchkey::Result<latchkey::Session> &result);
    /// signOut() or signOutAllAccounts() finished (the state is SignedOut already). An error says
    /// what could not be erased from the keychain.
    void signOutFinished(const latchkey::Status &status);
    /// The browser should show `url` now (it was opened unless there is no launcher).
    void authorizationUrlReady(const QUrl &url);
    /// A device sign-in waits for the person: show `code.userCode` and `code.verificationUri`
    /// (or a QR code of `verificationUriComplete`) until `code.expiresAt`.
    void deviceCodeReady(const latchkey::DeviceCode &code);
    /// The browser came back to the loopback listener: a good moment to raise the window.
    void browserReturned();
    /// The email went out (also after resendEmail()).
    void emailSent(const QString &address);
    /// resendEmail() failed; the sign-in goes on.
    void resendFailed(const latchkey::Error &error);
    /// A typed code was refused; the user may try again while the sign-in goes on.
    void codeRejected(const latchkey::Error &error);
    /// An emailed link was opened but refused. A link that is not for the sign-in in progress
    /// (LinkNotForThisSignIn, LinkForOtherAddress) changes nothing: the sign-in goes on.
    void linkRejected(const latchkey::Error &error);
    /// An email sign-in proved `newAddress` while `signedInAs` (an address, or a name when the
    /// user has none) is signed in on this device. Nothing changes until the program asks the
    /// person ("Switch to B? A stays signed in.") and calls confirmAccountSwitch() or
    /// declineAccountSwitch(). Unanswered for 5 minutes, the sign-in ends with SignInTimedOut and
    /// `signedInAs` stays signed in.
    void accountSwitchRequested(const QString &signedInAs, const QString &newAddress);
    /// The provider refused the refresh token (`invalid_grant`): the account's provider tokens
    /// are erased; sign in with the provider again to get new ones. The session is unaffected.
    void providerTokensRevoked(const QString &providerId);
    /// After a sign-in with provider `providerId` (signInFinished() came first), its tokens could
    /// not be kept (`error`, e.g. the keychain refused them). The session stands, but the
    /// provider cannot be called on the person's behalf (withFreshAccessToken() fails) until they
    /// sign in with it again.
    void providerTokensNotSaved(const QString &providerId, const latchkey::Error &error);
    /// The session ended without signOut(): a renewed ID token failed its checks or named a
    /// different person than the one who signed in (OIDC Core §12.2; `reason` is IdentityChanged
    /// or IdTokenRejected). Emitted once the session row, its keychain entry and every provider
    /// token of the user are gone (state SignedOut). Tell the user `errorMessage(reason)`.
    void sessionEnded(const latchkey::Error &reason);
    /// The picture of account `userId` was downloaded: avatarPath() now names it.
    void avatarChanged(qint64 userId);
    /// unlockKeychain() finished: success, Cancelled, or the keyring's error.
    void keychainUnlockFinished(const latchkey::Status &status);
    /// retryKeychain() finished: success (the keychain is used again), or its error.
    void keychainRetryFinished(const latchkey::Status &status);
    /// Something happened to an account on this device (NextAuth's `events`): a sign-in, a
    /// sign-out, a new user, a method linked or unlinked, a session that ran out, a sign-in that
    /// failed (see ActivityEntry). Emitted after it was recorded, for what this Client did; what
    /// another program (the command line) did is in protectedData() but not announced here.
    void activityRecorded(const latchkey::ActivityEntry &entry);
    /// Signing out could not reach provider `providerId` to revoke its tokens (RFC 7009). They
    /// are already gone from the keychain; what revocation needs waits, encrypted, and is tried
    /// again at the next start, when the network comes back and every so often meanwhile.
    void revocationDeferred(const QString &providerId);

private:
    friend class ClientPrivate;
    std::unique_ptr<ClientPrivate> d;
};

/// Installs Latchkey's translations (its error messages, sign-in pages and emails) for `locale`
/// into the application, replacing ones installed earlier by this function. Returns false when
/// there is no translation for that language (English is built in).
LATCHKEY_EXPORT bool installTranslations(const QLocale &locale);

} // namespace latchkey
