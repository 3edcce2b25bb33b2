#pragma once

#include <latchkey/global.h>

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace latchkey {

/// What went wrong, grouped in the AppAuth spirit so a program can decide what to do by kind.
/// Only OAuth errors (and an invalid session) end a session; a network blip never signs anyone out.
enum class ErrorKind {
    Network, ///< a peer could not be reached or the connection broke
    Timeout, ///< an operation did not finish in time
    Cancelled, ///< the user or the caller cancelled
    OAuthAuthorization, ///< the authorization endpoint answered with an error (RFC 6749 §4.1.2.1)
    OAuthToken, ///< the token endpoint answered with an error (RFC 6749 §5.2)
    IdTokenInvalid, ///< the ID token failed validation (OIDC Core 3.1.3.7)
    Storage, ///< the SQLite database could not be opened, read or written
    Keychain, ///< the OS keychain refused, was locked or unavailable
    Mail, ///< a message could not be sent
    Config, ///< the configuration is invalid
    Protocol, ///< a peer broke the protocol (malformed request or response)
    InvalidInput, ///< input from the user or the caller was rejected
    RateLimited, ///< too many attempts; try again later (Error::retryAfterSecs says when)
    NotFound, ///< the thing asked for does not exist (or no longer does)
    Unauthorized, ///< no valid session (the desktop twin of HTTP 403)
};

/// What exactly went wrong, within its kind. Programs branch on these (never on text) and
/// errorMessage() turns them into translated sentences. New codes may be added in later versions:
/// treat an unknown code by its kind.
enum class ErrorCode {
    Unspecified = 0, ///< no finer code: use the kind

    // Network, Timeout, Cancelled
    NetworkUnreachable, ///< a server could not be reached
    KeychainTimedOut, ///< the keychain did not answer (often an unseen password prompt)
    SignInTimedOut, ///< the browser or the email never came back in time
    Cancelled, ///< the user or the program cancelled
    AccountSwitchDeclined, ///< an email sign-in for another person was not allowed to replace the
                           ///< signed-in one (Client::declineAccountSwitch()); still signed in
    DeviceCodeExpired, ///< a device sign-in's code expired before anyone approved it: start again

    // OAuthAuthorization, OAuthToken, IdTokenInvalid
    AccessDenied, ///< the person declined at the provider (`access_denied`)
    AuthorizationRefused, ///< the provider refused the authorization request for another reason
    InvalidGrant, ///< the refresh token or code is dead (`invalid_grant`): sign in again
    TokenRequestRefused, ///< the token endpoint refused for another reason
    IdTokenRejected, ///< the ID token failed a check; `reason` names the rule
    NoIdToken, ///< the provider sent no ID token (the `openid` scope is missing)
    NoRefreshToken, ///< an access token expired and there is no refresh token to renew it
    IdentityChanged, ///< a renewed ID token names another person: the session was ended
    DeviceAccessDenied, ///< the sign-in was declined on the other device (device sign-in)
    AuthorizationCodeExpired, ///< the provider's authorization code expired or was used: sign in
                              ///< again (GitHub's `bad_verification_code`)
    ProviderEmailUnverified, ///< the provider refused because the account's primary email is
                             ///< not verified there (GitHub's `unverified_user_email`)
    DeviceCodeRejected, ///< the provider no longer knows a device sign-in's code (GitHub's
                        ///< `incorrect_device_code`): start again

    // Storage
    DatabaseBusy, ///< another program holds the database locked
    DatabaseDamaged, ///< the file is not a Latchkey database, or is damaged
    DatabaseNewer, ///< written by a newer Latchkey
    DatabaseFailed, ///< any other database failure

    // Keychain
    KeychainLocked, ///< the keyring is locked
    KeychainLockedAtStart, ///< the keyring is locked, so the saved sign-in cannot be read: unlock
    KeychainDenied, ///< access was refused at the keyring's prompt
    KeychainUnavailable, ///< no keyring / Secret Service is running
    KeychainFailed, ///< any other keychain failure

    // Mail
    MailConnectFailed, ///< the SMTP server could not be reached
    MailTlsFailed, ///< STARTTLS refused, or the server's certificate is not trusted
    MailLoginRefused, ///< the SMTP server refused the user name or password
    MailRecipientRefused, ///< the SMTP server refused the address
    MailFailed, ///< any other sending failure

    // Config
    ConfigInvalid, ///< a setting is wrong; `subject` names the key, `message` says how
    UnknownProvider, ///< no provider with that id; `subject` is the id, `reason` the configured
                     ///< ids, comma-separated
    DeviceSignInUnsupported, ///< the provider offers no device sign-in (no
                             ///< `device_authorization_endpoint`); `subject` is its label
    DeviceFlowDisabled, ///< the provider has device sign-in, but not for this app (GitHub's
                        ///< `device_flow_disabled`: enable Device Flow in the OAuth app's
                        ///< settings); `subject` is the provider's label

    // Protocol
    ProviderMisbehaved, ///< a provider sent something that breaks the protocol
    ListenerFailed, ///< the loopback listener could not start
    NotReady, ///< the client has not finished restore() yet
    BrowserFailed, ///< the browser could not be started: copy the link instead
    ProviderAccountIdMissing, ///< a plain OAuth 2.0 provider's user endpoint named no account id;
                              ///< `subject` is its label, `reason` the setting that names the
                              ///< member (OAUTH2_<ID>_ACCOUNT_ID)

    // InvalidInput
    EmailAddressInvalid, ///< not a usable email address
    CodeWrong, ///< a wrong code; `remainingAttempts` says how many tries are left
    CodeOrLinkExpired, ///< the link or code expired or was already used
    RequestVoid, ///< too many wrong codes: the email's link and code no longer work
    LinkForOtherAddress, ///< the link was sent to another address
    EmailInUse, ///< the provider's address belongs to another account: link it from Profile
    LinkedElsewhere, ///< that provider identity is linked to another account
    UnverifiedIdentity, ///< the provider did not give what identifies the person
    LinkNotForThisSignIn, ///< the link belongs to no sign-in in progress (an older or a foreign
                          ///< email); it was ignored and the sign-in goes on

    // RateLimited
    ResendTooSoon, ///< an email went out a moment ago; `retryAfterSecs`
    HourlyLimit, ///< too many emails this hour; `retryAfterSecs`
    AddressLocked, ///< too many wrong codes for this address: it cools down; `retryAfterSecs`
    SendLimit, ///< this program sent many sign-in emails in the last hour; `retryAfterSecs`

    // NotFound
    NotFound, ///< nothing stored under that name
    NoPendingSignIn, ///< no email sign-in is waiting
    NoProviderAccount, ///< the user has not linked that provider
    AccountNotOnDevice, ///< no account signed in on this device matches `subject` (or its session
                        ///< is gone): sign in with it again

    // Unauthorized
    NotSignedIn, ///< no valid session (HTTP 403's twin)
    SessionExpired, ///< the session ran out: sign in again
    StepUpRequired, ///< this needs a sign-in within the last 10 minutes: Client::confirmIdentity()
    NotTheSamePerson, ///< confirmIdentity() was answered with another account than the signed-in
                      ///< one; `subject` is the provider's label
    LastSignInMethod, ///< the only sign-in method of an account cannot be unlinked
    SignInNotAllowed, ///< the sign-in policy refused this person; `reason` says which rule
                      ///< ("email_domain", "hosted_domain", "app"), `subject` the domains
    StepUpUnavailable, ///< that provider cannot confirm a recent sign-in (GitHub); `subject` is
                       ///< its label: confirm with another method

    // Config (added in 0.3)
    ModuleMissing, ///< a part of the installation that is loaded when first needed (sending mail,
                   ///< checking ID tokens) is missing or broken; `subject` is its file name:
                   ///< reinstall Latchkey
};

/// An error: its kind, its code, and facts a message may need. Never holds a secret.
struct LATCHKEY_EXPORT Error
{
    ErrorKind kind = ErrorKind::Protocol;
    ErrorCode code = ErrorCode::Unspecified;
    /// An English description for logs and developers. Show people errorMessage() instead.
    QString message;
    /// A peer's own machine-readable word, when there is one: the OAuth `error` value, the
    /// QtKeychain error number, the failed ID-token rule, the storage reason. For logs and tests.
    QString reason;
    /// What the error is about, when a message names it: a configuration key, a provider, a file.
    QString subject;
    /// For RateLimited: seconds until trying again makes sense (-1: unknown). For a device
    /// sign-in's `slow_down` (OAuthToken): the provider's new polling interval, when it sent one.
    qint64 retryAfterSecs = -1;
    /// For CodeWrong: tries left on this email's code (-1: unknown).
    int remainingAttempts = -1;

    static Error make(ErrorKind kind, QString message, QString reason = {})
    {
        Error error;
        error.kind = kind;
        error.message = std::move(message);
        error.reason = std::move(reason);
        return error;
    }
    static Error make(ErrorKind kind, ErrorCode code, QString message, QString reason = {})
    {
        Error error = make(kind, std::move(message), std::move(reason));
        error.code = code;
        return error;
    }
};

/// The English, untranslated name of a kind ("keychain"), for logs and JSON output.
LATCHKEY_EXPORT QString errorKindName(ErrorKind kind);

/// The English, untranslated name of a code ("code_wrong"), for logs and JSON output.
LATCHKEY_EXPORT QString errorCodeName(ErrorCode code);

/// A sentence for a person: what happened and what they can do, in the language of the installed
/// translation (see installTranslations()). Falls back to a sentence for the kind when the code
/// is Unspecified.
LATCHKEY_EXPORT QString errorMessage(const Error &error);

/// A value of type T, or an Error. No exceptions cross the library's API.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) { } // NOLINT(google-explicit-constructor)
    Result(Error error) : m_data(std::move(error)) { } // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    /// Precondition: ok().
    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    /// Precondition: !ok().
    const Error &error() const { return std::get<Error>(m_data); }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_data;
};

/// A Result that carries no value: success, or an Error.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { } // NOLINT(google-explicit-constructor)

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    /// Precondition: !ok().
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace latchkey

Q_DECLARE_METATYPE(latchkey::Error)
