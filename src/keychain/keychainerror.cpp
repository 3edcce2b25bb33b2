#include "keychainerror.h"

using namespace Qt::StringLiterals;

namespace latchkey {

namespace {

QString operationPhrase(KeychainOperation operation)
{
    switch (operation) {
    case KeychainOperation::Read:
        return u"read your sign-in from the system keychain"_s;
    case KeychainOperation::Write:
        return u"save your sign-in in the system keychain"_s;
    case KeychainOperation::Remove:
        return u"delete your sign-in from the system keychain"_s;
    }
    return u"use the system keychain"_s;
}

// The backend's words in parentheses, or nothing when it gave none.
QString quoted(const QString &detail)
{
    const QString trimmed = detail.trimmed();
    if (trimmed.isEmpty())
        return {};
    return u" ("_s + trimmed + u")"_s;
}

} // namespace

Status keychainStatus(QKeychain::Error code, const QString &detail, KeychainOperation operation)
{
    const QString number = QString::number(static_cast<int>(code));
    const QString what = operationPhrase(operation);
    switch (code) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        // SecretStore contract: an absent entry is NotFound. libsecret also answers this way when
        // a locked keyring hides its items from a read (tests/harness/README.md "OS keychain").
        return Error::make(ErrorKind::NotFound, ErrorCode::NotFound,
                           u"Nothing is stored under this name in the system keychain"_s +
                                   quoted(detail) + u"."_s,
                           number);
    case QKeychain::CouldNotDeleteEntry:
        return Error::make(ErrorKind::Keychain, ErrorCode::KeychainFailed,
                           u"The system keychain could not delete the entry"_s + quoted(detail) +
                                   u". Unlock your keyring and sign out again, or remove the "
                                   u"\"latchkey\" entries with your keyring manager (Seahorse, "
                                   u"KWalletManager)."_s,
                           number);
    case QKeychain::AccessDeniedByUser:
        return Error::make(ErrorKind::Keychain, ErrorCode::KeychainDenied,
                           u"Access to the system keychain was refused at its prompt"_s +
                                   quoted(detail) + u", so Latchkey could not "_s + what +
                                   u". Try again and allow access when your keyring asks; "
                                   u"Latchkey will not store your sign-in until then."_s,
                           number);
    case QKeychain::AccessDenied:
        // libsecret SECRET_ERROR_IS_LOCKED: a keyring that exists but was never unlocked.
        return Error::make(ErrorKind::Keychain, ErrorCode::KeychainLocked,
                           u"The keychain is locked"_s + quoted(detail) +
                                   u", so Latchkey could not "_s + what +
                                   u". Unlock it (GNOME Keyring: log in again or open Passwords "
                                   u"and Keys; KWallet: open the wallet) and try again; Latchkey "
                                   u"will not store your sign-in until then."_s,
                           number);
    case QKeychain::NoBackendAvailable:
        return Error::make(ErrorKind::Keychain, ErrorCode::KeychainUnavailable,
                           u"No system keychain was found on this computer"_s + quoted(detail) +
                                   u". Install and start a keyring (GNOME Keyring, KWallet) and "
                                   u"try again; Latchkey will not store your sign-in until then."_s,
                           number);
    case QKeychain::NotImplemented:
        return Error::make(ErrorKind::Keychain, ErrorCode::KeychainFailed,
                           u"The system keychain on this platform cannot do this"_s +
                                   quoted(detail) + u", so Latchkey could not "_s + what +
                                   u". Please report this to the Latchkey developers."_s,
                           number);
    case QKeychain::OtherError:
        break;
    }
    // OtherError and any code a newer QtKeychain adds: no session bus, no Secret Service, a keyring
    // that does not exist yet (tests/harness/README.md "OS keychain").
    return Error::make(ErrorKind::Keychain, ErrorCode::KeychainUnavailable,
                       u"The system keychain is not available"_s + quoted(detail) +
                               u". Start and unlock your keyring (GNOME Keyring, KWallet) and try "
                               u"again; Latchkey will not store your sign-in until then."_s,
                       number);
}

Error keychainTimeoutError(KeychainOperation operation, int timeoutMs)
{
    return Error::make(ErrorKind::Timeout, ErrorCode::KeychainTimedOut,
                       u"The system keychain did not answer within "_s +
                               QString::number(timeoutMs / 1000.0, 'g', 3) +
                               u" s, so Latchkey could not "_s + operationPhrase(operation) +
                               u". It may be waiting for a password prompt: unlock your keyring "
                               u"(GNOME Keyring, KWallet) and try again; Latchkey will not store "
                               u"your sign-in until then."_s,
                       u"timeout"_s);
}

} // namespace latchkey
