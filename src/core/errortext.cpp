#include "result.h"

#include <QCoreApplication>

#include <algorithm>

// The English names of kinds and codes (logs, JSON) and the translated sentences a person reads.
// Sentences say what happened and what the person can do; facts come from the Error's fields.

namespace latchkey {

namespace {

/// The translation context of every message here ("latchkey::Error").
struct ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(latchkey::Error)
};

/// "3 minutes" / "45 seconds", for retryAfterSecs.
QString waitText(qint64 seconds)
{
    if (seconds >= 120)
        return ErrorText::tr("%n minute(s)", nullptr, int((seconds + 59) / 60));
    return ErrorText::tr("%n second(s)", nullptr, int(std::max<qint64>(1, seconds)));
}

QString kindMessage(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Network:
        return ErrorText::tr(
                "The server could not be reached. Check your network connection and try "
                "again.");
    case ErrorKind::Timeout:
        return ErrorText::tr("This took too long and was stopped. Try again.");
    case ErrorKind::Cancelled:
        return ErrorText::tr("Sign-in was cancelled.");
    case ErrorKind::OAuthAuthorization:
        return ErrorText::tr(
                "The sign-in provider refused the sign-in. Try again, or check the provider's "
                "settings for this app.");
    case ErrorKind::OAuthToken:
        return ErrorText::tr("The sign-in provider refused to issue tokens. Sign in again.");
    case ErrorKind::IdTokenInvalid:
        return ErrorText::tr(
                "The sign-in provider's answer failed a security check, so it was not "
                "trusted. Try again; if it keeps happening, tell the app's developers.");
    case ErrorKind::Storage:
        return ErrorText::tr(
                "The sign-in database could not be read or written. Try again; if it keeps "
                "happening, check the disk and the file's permissions.");
    case ErrorKind::Keychain:
        return ErrorText::tr(
                "The system keychain could not be used, so your sign-in is kept only until "
                "the app quits. Start and unlock your keyring, then sign in again.");
    case ErrorKind::Mail:
        return ErrorText::tr(
                "The sign-in email could not be sent. Try again later, or sign in another "
                "way.");
    case ErrorKind::Config:
        return ErrorText::tr("The app's configuration has a problem.");
    case ErrorKind::Protocol:
        return ErrorText::tr("Something unexpected happened while signing in. Try again.");
    case ErrorKind::InvalidInput:
        return ErrorText::tr("What you entered was not accepted. Check it and try again.");
    case ErrorKind::RateLimited:
        return ErrorText::tr("Too many attempts. Wait a little and try again.");
    case ErrorKind::NotFound:
        return ErrorText::tr("What was asked for no longer exists. Start again.");
    case ErrorKind::Unauthorized:
        return ErrorText::tr("You are not signed in. Sign in to see this.");
    }
    return ErrorText::tr("Something went wrong. Try again.");
}

} // namespace

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Network:
        return QStringLiteral("network");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::OAuthAuthorization:
        return QStringLiteral("oauth_authorization");
    case ErrorKind::OAuthToken:
        return QStringLiteral("oauth_token");
    case ErrorKind::IdTokenInvalid:
        return QStringLiteral("id_token_invalid");
    case ErrorKind::Storage:
        return QStringLiteral("storage");
    case ErrorKind::Keychain:
        return QStringLiteral("keychain");
    case ErrorKind::Mail:
        return QStringLiteral("mail");
    case ErrorKind::Config:
        return QStringLiteral("config");
    case ErrorKind::Protocol:
        return QStringLiteral("protocol");
    case ErrorKind::InvalidInput:
        return QStringLiteral("invalid_input");
    case ErrorKind::RateLimited:
        return QStringLiteral("rate_limited");
    case ErrorKind::NotFound:
        return QStringLiteral("not_found");
    case ErrorKind::Unauthorized:
        return QStringLiteral("unauthorized");
    }
    return QStringLiteral("unknown");
}

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unspecified:
        return QStringLiteral("unspecified");
    case ErrorCode::NetworkUnreachable:
        return QStringLiteral("network_unreachable");
    case ErrorCode::KeychainTimedOut:
        return QStringLiteral("keychain_timed_out");
    case ErrorCode::SignInTimedOut:
        return QStringLiteral("sign_in_timed_out");
    case ErrorCode::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorCode::AccountSwitchDeclined:
        return QStringLiteral("account_switch_declined");
    case ErrorCode::DeviceCodeExpired:
        return QStringLiteral("device_code_expired");
    case ErrorCode::AccessDenied:
        return QStringLiteral("access_denied");
    case ErrorCode::AuthorizationRefused:
        return QStringLiteral("authorization_refused");
    case ErrorCode::InvalidGrant:
        return QStringLiteral("invalid_grant");
    case ErrorCode::TokenRequestRefused:
        return QStringLiteral("token_request_refused");
    case ErrorCode::IdTokenRejected:
        return QStringLiteral("id_token_rejected");
    case ErrorCode::NoIdToken:
        return QStringLiteral("no_id_token");
    case ErrorCode::NoRefreshToken:
        return QStringLiteral("no_refresh_token");
    case ErrorCode::IdentityChanged:
        return QStringLiteral("identity_changed");
    case ErrorCode::DeviceAccessDenied:
        return QStringLiteral("device_access_denied");
    case ErrorCode::AuthorizationCodeExpired:
        return QStringLiteral("authorization_code_expired");
    case ErrorCode::ProviderEmailUnverified:
        return QStringLiteral("provider_email_unverified");
    case ErrorCode::DeviceCodeRejected:
        return QStringLiteral("device_code_rejected");
    case ErrorCode::DatabaseBusy:
        return QStringLiteral("database_busy");
    case ErrorCode::DatabaseDamaged:
        return QStringLiteral("database_damaged");
    case ErrorCode::DatabaseNewer:
        return QStringLiteral("database_newer");
    case ErrorCode::DatabaseFailed:
        return QStringLiteral("database_failed");
    case ErrorCode::KeychainLocked:
        return QStringLiteral("keychain_locked");
    case ErrorCode::KeychainLockedAtStart:
        return QStringLiteral("keychain_locked_at_start");
    case ErrorCode::KeychainDenied:
        return QStringLiteral("keychain_denied");
    case ErrorCode::KeychainUnavailable:
        return QStringLiteral("keychain_unavailable");
    case ErrorCode::KeychainFailed:
        return QStringLiteral("keychain_failed");
    case ErrorCode::MailConnectFailed:
        return QStringLiteral("mail_connect_failed");
    case ErrorCode::MailTlsFailed:
        return QStringLiteral("mail_tls_failed");
    case ErrorCode::MailLoginRefused:
        return QStringLiteral("mail_login_refused");
    case ErrorCode::MailRecipientRefused:
        return QStringLiteral("mail_recipient_refused");
    case ErrorCode::MailFailed:
        return QStringLiteral("mail_failed");
    case ErrorCode::ConfigInvalid:
        return QStringLiteral("config_invalid");
    case ErrorCode::UnknownProvider:
        return QStringLiteral("unknown_provider");
    case ErrorCode::DeviceSignInUnsupported:
        return QStringLiteral("device_sign_in_unsupported");
    case ErrorCode::DeviceFlowDisabled:
        return QStringLiteral("device_flow_disabled");
    case ErrorCode::ProviderMisbehaved:
        return QStringLiteral("provider_misbehaved");
    case ErrorCode::ListenerFailed:
        return QStringLiteral("listener_failed");
    case ErrorCode::ModuleMissing:
        return QStringLiteral("module_missing");
    case ErrorCode::NotReady:
        return QStringLiteral("not_ready");
    case ErrorCode::BrowserFailed:
        return QStringLiteral("browser_failed");
    case ErrorCode::ProviderAccountIdMissing:
        return QStringLiteral("provider_account_id_missing");
    case ErrorCode::EmailAddressInvalid:
        return QStringLiteral("email_address_invalid");
    case ErrorCode::CodeWrong:
        return QStringLiteral("code_wrong");
    case ErrorCode::CodeOrLinkExpired:
        return QStringLiteral("code_or_link_expired");
    case ErrorCode::RequestVoid:
        return QStringLiteral("request_void");
    case ErrorCode::LinkForOtherAddress:
        return QStringLiteral("link_for_other_address");
    case ErrorCode::EmailInUse:
        return QStringLiteral("email_in_use");
    case ErrorCode::LinkedElsewhere:
        return QStringLiteral("linked_elsewhere");
    case ErrorCode::UnverifiedIdentity:
        return QStringLiteral("unverified_identity");
    case ErrorCode::LinkNotForThisSignIn:
        return QStringLiteral("link_not_for_this_sign_in");
    case ErrorCode::ResendTooSoon:
        return QStringLiteral("resend_too_soon");
    case ErrorCode::HourlyLimit:
        return QStringLiteral("hourly_limit");
    case ErrorCode::AddressLocked:
        return QStringLiteral("address_locked");
    case ErrorCode::SendLimit:
        return QStringLiteral("send_limit");
    case ErrorCode::NotFound:
        return QStringLiteral("not_found");
    case ErrorCode::NoPendingSignIn:
        return QStringLiteral("no_pending_sign_in");
    case ErrorCode::NoProviderAccount:
        return QStringLiteral("no_provider_account");
    case ErrorCode::AccountNotOnDevice:
        return QStringLiteral("account_not_on_device");
    case ErrorCode::NotSignedIn:
        return QStringLiteral("not_signed_in");
    case ErrorCode::SessionExpired:
        return QStringLiteral("session_expired");
    case ErrorCode::StepUpRequired:
        return QStringLiteral("step_up_required");
    case ErrorCode::NotTheSamePerson:
        return QStringLiteral("not_the_same_person");
    case ErrorCode::LastSignInMethod:
        return QStringLiteral("last_sign_in_method");
    case ErrorCode::SignInNotAllowed:
        return QStringLiteral("sign_in_not_allowed");
    case ErrorCode::StepUpUnavailable:
        return QStringLiteral("step_up_unavailable");
    }
    return QStringLiteral("unknown");
}

QString errorMessage(const Error &error)
{
    switch (error.code) {
    case ErrorCode::Unspecified:
        break;
    case ErrorCode::NetworkUnreachable:
        return ErrorText::tr(
                "The server could not be reached. Check your network connection and try "
                "again.");
    case ErrorCode::KeychainTimedOut:
        return ErrorText::tr(
                "The system keychain did not answer. It may be waiting for a password: unlock "
                "your keyring and try again. Meanwhile your sign-in is kept only until the "
                "app quits.");
    case ErrorCode::SignInTimedOut:
        return ErrorText::tr("The sign-in took too long and was stopped. Start again.");
    case ErrorCode::Cancelled:
        return ErrorText::tr("Sign-in was cancelled.");
    case ErrorCode::AccountSwitchDeclined:
        return ErrorText::tr("You stayed signed in as before; the other sign-in was not used.");
    case ErrorCode::DeviceCodeExpired:
        return ErrorText::tr(
                "The code expired before it was approved. Start again to get a new code.");
    case ErrorCode::AccessDenied:
        return ErrorText::tr(
                "You cancelled sign-in at the provider. Sign in again if that was a mistake.");
    case ErrorCode::AuthorizationRefused:
        return ErrorText::tr(
                       "The sign-in provider refused the sign-in (%1). Try again, or check the "
                       "provider's settings for this app.")
                .arg(error.reason);
    case ErrorCode::InvalidGrant:
        return ErrorText::tr("Your sign-in with the provider is no longer valid (it expired or was "
                             "revoked). Sign in with the provider again.");
    case ErrorCode::TokenRequestRefused:
        return ErrorText::
                tr("The sign-in provider refused to issue tokens (%1). Sign in again; if it keeps "
                   "happening, check the provider's client settings.")
                        .arg(error.reason);
    case ErrorCode::IdTokenRejected:
        return ErrorText::tr(
                       "The sign-in provider's answer failed a security check (%1), so it was not "
                       "trusted. Try again; if it keeps happening, check the provider's settings.")
                .arg(error.reason);
    case ErrorCode::IdentityChanged:
        return ErrorText::tr("While renewing your sign-in, the provider named a different person "
                             "than the one who signed in. You were signed out to be safe. Sign in "
                             "again.");
    case ErrorCode::DeviceAccessDenied:
        return ErrorText::tr("The sign-in was declined on the other device. Start again if that "
                             "was a mistake.");
    case ErrorCode::AuthorizationCodeExpired:
        return ErrorText::tr("The sign-in at the provider expired or was already used. Sign in "
                             "again.");
    case ErrorCode::ProviderEmailUnverified:
        return ErrorText::tr("%1 refused the sign-in because your primary email address is not "
                             "verified there. Verify it in your %1 email settings, then sign in "
                             "again.")
                .arg(error.subject);
    case ErrorCode::DeviceCodeRejected:
        return ErrorText::tr("%1 no longer accepts this sign-in's code. Start again to get a new "
                             "code.")
                .arg(error.subject);
    case ErrorCode::NoIdToken:
        return ErrorText::tr(
                "The sign-in provider did not prove who you are (no ID token). Check that the "
                "\"openid\" scope is configured.");
    case ErrorCode::NoRefreshToken:
        return ErrorText::tr(
                "Access to the provider has expired and cannot be renewed. Sign in with the "
                "provider again.");
    case ErrorCode::DatabaseBusy:
        return ErrorText::tr(
                "Another program is using the sign-in database. Close it and try again.");
    case ErrorCode::DatabaseDamaged:
        return ErrorText::tr(
                "The sign-in database is damaged or belongs to another program, so it was "
                "left untouched. Move it away or set DATABASE_URL to another file.");
    case ErrorCode::DatabaseNewer:
        return ErrorText::tr(
                "The sign-in database was written by a newer version of this app. Update the "
                "app, or set DATABASE_URL to another file.");
    case ErrorCode::DatabaseFailed:
        return ErrorText::tr(
                "The sign-in database could not be read or written. Check the disk and the "
                "file's permissions, then try again.");
    case ErrorCode::KeychainLockedAtStart:
        return ErrorText::tr("Your keyring is locked, so Latchkey cannot see whether you are "
                             "signed in. Unlock it to continue.");
    case ErrorCode::KeychainLocked:
        return ErrorText::tr(
                "Your keyring is locked, so your sign-in is kept only until the app quits. "
                "Unlock the keyring and sign in again to stay signed in.");
    case ErrorCode::KeychainDenied:
        return ErrorText::tr(
                "Access to the system keychain was refused, so your sign-in is kept only until "
                "the app quits. Allow access when your keyring asks, then sign in again.");
    case ErrorCode::KeychainUnavailable:
        return ErrorText::tr(
                "No system keychain is running, so your sign-in is kept only until the app "
                "quits. Install and start a keyring (GNOME Keyring, KWallet) to stay signed "
                "in.");
    case ErrorCode::KeychainFailed:
        return ErrorText::tr(
                "The system keychain could not be used, so your sign-in is kept only until the "
                "app quits. Unlock your keyring and try again.");
    case ErrorCode::MailConnectFailed:
        return ErrorText::tr("The mail server %1 could not be reached, so no email was sent. Check "
                             "EMAIL_SERVER and your network connection.")
                .arg(error.subject);
    case ErrorCode::MailTlsFailed:
        return ErrorText::tr(
                       "No secure connection to the mail server %1 could be made, so no email was "
                       "sent. Check that the server offers TLS and that its certificate is trusted "
                       "(EMAIL_CA_FILE).")
                .arg(error.subject);
    case ErrorCode::MailLoginRefused:
        return ErrorText::tr("The mail server %1 refused the login, so no email was sent. Check "
                             "EMAIL_USERNAME and EMAIL_PASSWORD.")
                .arg(error.subject);
    case ErrorCode::MailRecipientRefused:
        return ErrorText::tr("The mail server refused this address. Check the email address.");
    case ErrorCode::MailFailed:
        return ErrorText::tr(
                "The sign-in email could not be sent. Try again later, or sign in another "
                "way.");
    case ErrorCode::ConfigInvalid:
        // The detail names the key, where it came from and what is wrong (English, like the keys).
        return ErrorText::tr("The app's configuration has a problem: %1").arg(error.message);
    case ErrorCode::UnknownProvider:
        return ErrorText::tr("There is no sign-in provider \"%1\". Configured: %2.")
                .arg(error.subject, error.reason.isEmpty() ? ErrorText::tr("none") : error.reason);
    case ErrorCode::DeviceSignInUnsupported:
        return ErrorText::tr("%1 does not offer sign-in on another device. Sign in with the "
                             "browser on this computer instead.")
                .arg(error.subject);
    case ErrorCode::DeviceFlowDisabled:
        return ErrorText::tr("%1 has sign-in on another device turned off for this app. Enable "
                             "Device Flow in the OAuth app's settings at %1, or sign in with the "
                             "browser on this computer.")
                .arg(error.subject);
    case ErrorCode::ProviderMisbehaved:
        return ErrorText::tr(
                "The sign-in provider answered in a way that breaks the sign-in rules. Try "
                "again; if it keeps happening, contact the provider's administrator.");
    case ErrorCode::ListenerFailed:
        return ErrorText::tr("The app could not open a local port to receive the sign-in from your "
                             "browser. Close other apps that are signing in and try again.");
    case ErrorCode::NotReady:
        return ErrorText::tr("The app is still starting. Try again in a moment.");
    case ErrorCode::ModuleMissing:
        return ErrorText::tr("A part of Latchkey is missing or damaged (%1), so this cannot be "
                             "done. Reinstall Latchkey.")
                .arg(error.subject);
    case ErrorCode::BrowserFailed:
        return ErrorText::tr(
                "Your web browser could not be opened. Use \"Copy sign-in link\" and paste the "
                "link into a browser.");
    case ErrorCode::ProviderAccountIdMissing:
        return ErrorText::tr("%1 did not say which account signed in: its user information has no "
                             "account ID. Set %2 to the name of the field that holds the account "
                             "ID, then sign in again.")
                .arg(error.subject, error.reason);
    case ErrorCode::EmailAddressInvalid:
        return ErrorText::tr("That is not a usable email address. Check it and try again.");
    case ErrorCode::CodeWrong:
        if (error.remainingAttempts > 0)
            return ErrorText::tr("That code is not right. Check the newest email and try again "
                                 "(%n tries left).",
                                 nullptr, error.remainingAttempts);
        return ErrorText::tr("That code is not right. Check the newest email and try again.");
    case ErrorCode::CodeOrLinkExpired:
        return ErrorText::tr(
                "This sign-in link or code has expired or was already used. Request a new "
                "email.");
    case ErrorCode::RequestVoid:
        return ErrorText::tr(
                "Too many wrong codes. This email's link and code no longer work; request a new "
                "email.");
    case ErrorCode::LinkForOtherAddress:
        return ErrorText::tr(
                "This sign-in link was sent to a different email address. Open the link from "
                "the newest email.");
    case ErrorCode::EmailInUse:
        return ErrorText::tr(
                "This email address already belongs to an account that signs in another way. "
                "Sign in that way first, then link this provider from your Profile.");
    case ErrorCode::LinkedElsewhere:
        return ErrorText::tr(
                "This provider account is already linked to another user, so it cannot be "
                "linked here.");
    case ErrorCode::UnverifiedIdentity:
        return ErrorText::tr(
                "The sign-in provider did not say who you are. Try another way to sign in.");
    case ErrorCode::LinkNotForThisSignIn:
        return ErrorText::tr(
                "That link is not for the sign-in in progress, so it was not used. Open the link "
                "in the newest email, or type its code.");
    case ErrorCode::ResendTooSoon:
        return ErrorText::tr(
                       "An email was sent to this address a moment ago. You can ask for another in "
                       "%1.")
                .arg(waitText(error.retryAfterSecs));
    case ErrorCode::HourlyLimit:
        return ErrorText::tr(
                       "Several emails were sent to this address in the last hour. You can ask for "
                       "another in %1.")
                .arg(waitText(error.retryAfterSecs));
    case ErrorCode::AddressLocked:
        if (error.retryAfterSecs > 0)
            return ErrorText::tr(
                           "Too many wrong codes were typed for this address. You can ask for "
                           "a new email in %1.")
                    .arg(waitText(error.retryAfterSecs));
        return ErrorText::tr(
                "Too many wrong codes were typed for this address. Wait a while and ask for a new "
                "email.");
    case ErrorCode::SendLimit:
        return ErrorText::tr(
                       "This app has sent many sign-in emails in the last hour. You can ask for "
                       "another in %1.")
                .arg(waitText(error.retryAfterSecs));
    case ErrorCode::NotFound:
        return ErrorText::tr("What was asked for no longer exists. Start again.");
    case ErrorCode::NoPendingSignIn:
        return ErrorText::tr("No email sign-in is waiting. Ask for a new email.");
    case ErrorCode::NoProviderAccount:
        return ErrorText::tr("You have not linked %1 to this account. Link it from your Profile.")
                .arg(error.subject);
    case ErrorCode::AccountNotOnDevice:
        if (error.subject.isEmpty())
            return ErrorText::tr("That account is no longer signed in on this computer. Sign in "
                                 "with it again.");
        return ErrorText::tr("%1 is not signed in on this computer. Sign in with it first.")
                .arg(error.subject);
    case ErrorCode::NotSignedIn:
        return ErrorText::tr("You are not signed in. Sign in to see this.");
    case ErrorCode::SessionExpired:
        return ErrorText::tr("Your session has expired. Sign in again.");
    case ErrorCode::StepUpRequired:
        return ErrorText::tr("To do this, first confirm it is you: sign in again the way you "
                             "signed in. It stays confirmed for 10 minutes.");
    case ErrorCode::LastSignInMethod:
        return ErrorText::tr("This is the only way to sign in to this account, so it cannot be "
                             "unlinked. Link another way first.");
    case ErrorCode::NotTheSamePerson:
        return ErrorText::tr("You confirmed with a different %1 account than the one signed in "
                             "here. At %1, choose the account you signed in with and try again.")
                .arg(error.subject);
    case ErrorCode::SignInNotAllowed:
        if (error.reason == u"email_domain")
            return ErrorText::tr("Only addresses at %1 can sign in to this app. Use your address "
                                 "there.")
                    .arg(error.subject);
        if (error.reason == u"hosted_domain")
            return ErrorText::tr("Only accounts of %1 can sign in to this app. Choose your %1 "
                                 "account at the provider.")
                    .arg(error.subject);
        return ErrorText::tr("This account cannot sign in to this app. Ask the app's "
                             "administrator.");
    case ErrorCode::StepUpUnavailable:
        return ErrorText::tr("%1 cannot confirm that it is you. Confirm with another sign-in "
                             "method.")
                .arg(error.subject);
    }
    return kindMessage(error.kind);
}

} // namespace latchkey
