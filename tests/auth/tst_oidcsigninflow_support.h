#pragma once

// Shared by the OpenID Connect sign-in integration tests: a QNetworkAccessManager that records
// (and can divert) every request the library makes, raw loopback clients, the harness browser, and
// a sign-in done by hand with the library's protocol types to obtain real provider tokens.

#include "net/loopbacklistener.h"
#include "oidc/authorizationrequest.h"
#include "oidc/clientauth.h"
#include "oidc/pendingauthorization.h"
#include "oidc/providermetadata.h"
#include "oidc/tokenjob.h"
#include "oidc/tokenrequest.h"
#include "oidc/tokenresponse.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <optional>

namespace latchkey::test {

/// One request the library sent.
struct SentRequest
{
    QNetworkAccessManager::Operation operation;
    QUrl url; ///< where the library meant to send it (before any diversion)
    QByteArray body; ///< the form body of a POST
};

/// Records every request; requests to a URL in divert() go elsewhere (a canned server).
/// No Q_OBJECT: it only overrides a virtual function.
class RecordingNetworkAccessManager final : public QNetworkAccessManager
{
public:
    RecordingNetworkAccessManager() { setProxy(QNetworkProxy::NoProxy); }

    /// Requests to `from` are sent to `to` instead (still recorded under `from`).
    void divert(const QUrl &from, const QUrl &to) { m_diversions.insert(from, to); }

    /// Every request so far, oldest first.
    const QList<SentRequest> &sent() const { return m_sent; }

    /// The POSTs to a path ending in `/token` (token requests at any provider).
    QList<SentRequest> tokenRequests() const
    {
        QList<SentRequest> out;
        for (const SentRequest &request : m_sent) {
            if (request.operation == PostOperation && request.url.path().endsWith(u"/token"))
                out.append(request);
        }
        return out;
    }

protected:
    QNetworkReply *createRequest(Operation operation, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override
    {
        m_sent.append({operation, request.url(),
                       outgoingData ? outgoingData->peek(64 * 1024) : QByteArray()});
        QNetworkRequest actual(request);
        if (const auto it = m_diversions.constFind(request.url()); it != m_diversions.cend())
            actual.setUrl(*it);
        return QNetworkAccessManager::createRequest(operation, actual, outgoingData);
    }

private:
    QList<SentRequest> m_sent;
    QHash<QUrl, QUrl> m_diversions;
};

/// What a raw client saw from the loopback listener.
struct RawAnswer
{
    bool connected = false;
    int status = 0; ///< 0: closed without an HTTP answer
};

/// Connects to 127.0.0.1:`port`, writes `bytes`, and reads until the listener closes.
inline RawAnswer rawExchange(quint16 port, const QByteArray &bytes, int waitMs = 6000)
{
    RawAnswer answer;
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor(
                [&socket]() {
                    return socket.state() != QAbstractSocket::ConnectingState &&
                            socket.state() != QAbstractSocket::HostLookupState;
                },
                3000) ||
        socket.state() != QAbstractSocket::ConnectedState)
        return answer;
    answer.connected = true;
    socket.write(bytes);
    QByteArray received;
    // A listener that keeps the connection open just leaves `received` as it is.
    (void)QTest::qWaitFor(
            [&socket, &received]() {
                received += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            waitMs);
    received += socket.readAll();
    if (received.startsWith("HTTP/1.")) {
        const QList<QByteArray> parts = received.left(received.indexOf('\r')).split(' ');
        answer.status = parts.size() > 1 ? parts.at(1).toInt() : 0;
    }
    return answer;
}

/// A well-formed GET of `pathAndQuery` with the Host a browser sends for 127.0.0.1:`port`.
inline RawAnswer callbackGet(quint16 port, const QByteArray &pathAndQuery,
                             const QByteArray &host = {})
{
    const QByteArray hostHeader = host.isEmpty() ? "127.0.0.1:" + QByteArray::number(port) : host;
    return rawExchange(port,
                       "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader +
                               "\r\nUser-Agent: test\r\nAccept: text/html\r\n\r\n");
}

/// The query items of an authorization URL (state, nonce, redirect_uri, …).
inline QString queryValue(const QUrl &url, const QString &name)
{
    return QUrlQuery(url).queryItemValue(name, QUrl::FullyDecoded);
}

/// The harness browser (`$LATCHKEY_TEST_BROWSER url [--login NAME] [--deny]`), asynchronously:
/// the caller keeps the event loop running (the app's listener answers the browser).
inline std::unique_ptr<QProcess> startBrowser(const QUrl &url, const QStringList &flags = {})
{
    auto browser = std::make_unique<QProcess>();
    browser->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    browser->start(qEnvironmentVariable("LATCHKEY_TEST_BROWSER"),
                   QStringList{url.toString(QUrl::FullyEncoded)} + flags);
    return browser;
}

/// The page the harness browser ended on, from the JSON line it prints on stdout
/// ({"path", "status", "heading"}); empty until it printed one. Does not consume the output.
inline QJsonObject browserPage(QProcess &browser)
{
    const QByteArray out = browser.peek(64 * 1024);
    const qsizetype end = out.indexOf('\n');
    return end < 0 ? QJsonObject() : QJsonDocument::fromJson(out.left(end)).object();
}

/// Waits, with the event loop running (the app's listener still has to answer it), until the
/// browser exited; true when it did.
inline bool waitForExit(QProcess &browser, int timeoutMs = 30000)
{
    return QTest::qWaitFor([&browser]() { return browser.state() == QProcess::NotRunning; },
                           timeoutMs);
}

/// Signs in by hand with the library's protocol types (not OidcSignInFlow): a listener of the
/// test's own, the real browser, then the token request. Gives real provider tokens (ID token
/// with this sign-in's nonce, refresh token with offline_access) for tests that need them.
/// `redirectPath` must be registered at the provider (/callback/<id>).
inline Result<oidc::TokenResponse> signInByHand(QNetworkAccessManager &network, const Clock &clock,
                                                const oidc::ProviderMetadata &metadata,
                                                const oidc::ClientAuthentication &client,
                                                const QString &redirectPath, const QString &login)
{
    LoopbackListener listener;
    std::optional<QList<QPair<QString, QString>>> callback;
    listener.addRoute(redirectPath, [&callback](const HttpRequest &request) {
        if (!callback)
            callback = request.query;
        return LoopbackResponse{};
    });
    if (auto listening = listener.listen(); !listening)
        return listening.error();
    const auto pending = oidc::PendingAuthorization::create(
            QStringLiteral("by-hand"), metadata.issuer, client.clientId,
            QUrl(listener.redirectUri(redirectPath)), clock.now());
    const auto url = oidc::AuthorizationRequest::forFlow(
                             metadata.authorizationEndpoint, pending,
                             {QStringLiteral("openid"), QStringLiteral("email"),
                              QStringLiteral("profile"), QStringLiteral("offline_access")},
                             {{QStringLiteral("prompt"), QStringLiteral("consent")}})
                             .build();
    if (!url)
        return url.error();
    auto browser = startBrowser(url.value(), {QStringLiteral("--login"), login});
    if (!QTest::qWaitFor([&callback]() { return callback.has_value(); }, 30000))
        return Error::make(ErrorKind::Timeout, QStringLiteral("the browser did not come back"));
    // The browser loads the listener's page and exits; only then is the listener closed.
    (void)waitForExit(*browser);
    listener.close();
    QString code;
    for (const auto &[name, value] : *callback) {
        if (name == u"code")
            code = value;
    }
    oidc::TokenJob job(network,
                       oidc::TokenRequest::authorizationCode(metadata.tokenEndpoint, code,
                                                             pending.redirectUri,
                                                             pending.codeVerifier),
                       client, clock);
    std::optional<Result<oidc::TokenResponse>> tokens;
    QObject::connect(&job, &oidc::TokenJob::finished, &job,
                     [&tokens](const Result<oidc::TokenResponse> &result) { tokens = result; });
    job.start();
    if (!QTest::qWaitFor([&tokens]() { return tokens.has_value(); }, 15000))
        return Error::make(ErrorKind::Timeout, QStringLiteral("no token response"));
    return *tokens;
}

} // namespace latchkey::test
