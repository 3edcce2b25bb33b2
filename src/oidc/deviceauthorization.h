#pragma once

#include "core/result.h"
#include "providermetadata.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

namespace latchkey::oidc {

/// A device authorization response (RFC 8628 §3.2), validated. A value type; `deviceCode` is a
/// secret (it is what the token requests present): never log or show it. The user code is meant
/// to be shown.
struct DeviceAuthorization
{
    /// RFC 8628 §3.2: the polling interval when the provider names none.
    static constexpr int kDefaultIntervalSecs = 5;
    /// The longest this app waits for an approval, whatever `expires_in` says.
    static constexpr qint64 kMaxLifetimeSecs = 30 * 60;
    /// Limits on what a provider may send (bytes/characters).
    static constexpr qsizetype kMaxBodyBytes = 16 * 1024;
    static constexpr qsizetype kMaxDeviceCodeChars = 2048;
    static constexpr qsizetype kMaxUserCodeChars = 64;
    static constexpr qsizetype kMaxUriChars = 2048;

    QString deviceCode; ///< Never log it.
    QString userCode; ///< what the person types on the other device
    QUrl verificationUri; ///< where the person goes
    QUrl verificationUriComplete; ///< the same with the user code in it; empty when not sent
    QDateTime expiresAt; ///< now + expires_in, capped at kMaxLifetimeSecs
    int intervalSecs = kDefaultIntervalSecs; ///< the wait between token requests

    /// Interprets one device authorization endpoint answer received at `now`.
    ///
    /// - 200 with a JSON object (unique members) carrying non-empty string `device_code` and
    ///   `user_code` (printable ASCII, no spaces), `verification_uri` (Google: `verification_url`)
    ///   and optional `verification_uri_complete` that pass ProviderMetadata::isAcceptableEndpoint
    ///   with `options` (https; http only to a loopback IP when allowed), an integer `expires_in`
    ///   of 1 s to one day, and an optional integer `interval` of 1 to 600 s → the authorization.
    /// - 400/401 with an RFC 6749 §5.2 error → OAuthToken error (tokenEndpointError()).
    /// - anything else, or a member too long → Protocol error (ProviderMisbehaved).
    static Result<DeviceAuthorization> parse(int httpStatus, const QByteArray &body,
                                             const QDateTime &now, const MetadataOptions &options);
};

} // namespace latchkey::oidc
