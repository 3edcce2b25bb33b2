#pragma once

#include "clientauth.h"
#include "core/result.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// Revokes one token at the provider (RFC 7009), used at sign-out.
///
///   start() ──► POST revocation_endpoint (token, token_type_hint, client auth) ──► 200 ──► ok
///                                                              other status / transport ──► Error
///
/// Sign-out never waits on this: the caller deletes its local session first and only reports a
/// failed revocation (docs/security.md). Exactly one finished() per job, never from inside start().
class RevocationJob : public QObject
{
    Q_OBJECT

public:
    /// The default overall time limit: short, since nobody should wait on it.
    static constexpr int kDefaultTimeoutMs = 10000;

    /// `tokenTypeHint` is "refresh_token", "access_token" or empty (not sent), RFC 7009 §2.1.
    RevocationJob(QNetworkAccessManager &manager, QUrl revocationEndpoint, QString token,
                  QString tokenTypeHint, ClientAuthentication client, QObject *parent = nullptr);

    /// Overall time limit (ms); set before start().
    void setTimeout(int milliseconds);

    /// Sends the request. Calling it twice, or after cancel(), does nothing.
    void start();

    /// Finishes at once with a Cancelled error, unless already finished.
    void cancel();

Q_SIGNALS:
    /// Success when the provider answered 200 (RFC 7009 §2.2: also for an already invalid
    /// token); otherwise the error (OAuthToken with the §2.2.1 code, Network, Timeout, …).
    void finished(const latchkey::Status &result);

private:
    void finish(Status result);

    QNetworkAccessManager &m_manager;
    QUrl m_endpoint;
    QString m_token;
    QString m_tokenTypeHint;
    ClientAuthentication m_client;
    int m_timeoutMs = kDefaultTimeoutMs;
    QTimer m_deadline;
    QPointer<QObject> m_exchange;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace latchkey::oidc
