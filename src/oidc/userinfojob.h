#pragma once

#include "core/result.h"
#include "userinfo.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// Fetches the UserInfo claims (OIDC Core 5.3) with the access token as a Bearer header
/// (RFC 6750 §2.1) and checks that `sub` equals the ID token's.
///
///   start() ──► GET userinfo_endpoint (Authorization: Bearer …) ──► finished(UserInfo | Error)
///
/// Exactly one finished() per job, never from inside start(). The job does not delete itself.
class UserInfoJob : public QObject
{
    Q_OBJECT

public:
    /// The default overall time limit.
    static constexpr int kDefaultTimeoutMs = 15000;

    /// `expectedSubject` is the validated ID token's `sub`. `manager` must outlive the job.
    UserInfoJob(QNetworkAccessManager &manager, QUrl userInfoEndpoint, QString accessToken,
                QString expectedSubject, QObject *parent = nullptr);

    /// Overall time limit (ms); set before start().
    void setTimeout(int milliseconds);

    /// Sends the request. Calling it twice, or after cancel(), does nothing.
    void start();

    /// Finishes at once with a Cancelled error, unless already finished.
    void cancel();

Q_SIGNALS:
    /// The checked claims, or why there are none. Emitted exactly once.
    void finished(const latchkey::Result<latchkey::oidc::UserInfo> &result);

private:
    void finish(Result<UserInfo> result);

    QNetworkAccessManager &m_manager;
    QUrl m_endpoint;
    QString m_accessToken;
    QString m_expectedSubject;
    int m_timeoutMs = kDefaultTimeoutMs;
    QTimer m_deadline;
    QPointer<QObject> m_exchange;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace latchkey::oidc
