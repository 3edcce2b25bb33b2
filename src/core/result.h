#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace latchkey {

/// What went wrong, grouped in the AppAuth spirit so the UI can map each kind to actionable text.
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
    RateLimited, ///< too many attempts; try again later
    NotFound, ///< the thing asked for does not exist (or no longer does)
    Unauthorized, ///< no valid session (the desktop twin of HTTP 403)
};

/// Human-readable, non-translated name of an error kind (for logs and the CLI's JSON output).
QString errorKindName(ErrorKind kind);

/// An error: its kind, a message for a person (what happened and what to do), and an optional
/// machine-readable code (for example an OAuth `error` value or a QtKeychain error number).
/// Never put secrets (tokens, codes, verifiers, passwords) in any of these fields.
struct Error
{
    ErrorKind kind = ErrorKind::Protocol;
    QString message;
    QString code;

    static Error make(ErrorKind kind, QString message, QString code = {})
    {
        return Error{kind, std::move(message), std::move(code)};
    }
};

/// A value of type T, or an Error. No exceptions cross the library's public API.
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
