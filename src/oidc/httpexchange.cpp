#include "httpexchange.h"

#include "core/logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

namespace latchkey::oidc {

namespace {

QNetworkRequest makeRequest(const QUrl &url, const HttpOptions &options)
{
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(options.timeoutMs);
    if (!options.authorization.isEmpty())
        request.setRawHeader("Authorization", options.authorization);
    for (const auto &[name, value] : options.headers)
        request.setRawHeader(name, value);
    return request;
}

void watch(QNetworkReply *reply, QObject *context, HttpCallback callback,
           const HttpOptions &options)
{
    const QString host = reply->url().host();
    const qsizetype cap = options.maxBodyBytes;
    auto done = std::make_shared<bool>(false);
    auto finish = [reply, done, callback = std::move(callback)](Result<HttpResponse> result) {
        if (*done)
            return;
        *done = true;
        reply->disconnect();
        reply->abort();
        reply->deleteLater();
        callback(std::move(result));
    };

    QObject::connect(
            reply, &QNetworkReply::downloadProgress, context,
            [reply, cap, finish](qint64 received, qint64) {
                if (received > cap) {
                    finish(Error::make(ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                                       QStringLiteral("The server at %1 sent a response larger "
                                                      "than %2 bytes.")
                                               .arg(reply->url().host())
                                               .arg(cap)));
                }
            });
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, host, finish]() {
        const QNetworkReply::NetworkError error = reply->error();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (error == QNetworkReply::OperationCanceledError) {
            // setTransferTimeout() aborts the reply with OperationCanceledError.
            finish(Error::make(ErrorKind::Timeout,
                               QStringLiteral("%1 did not answer in time. Check your network "
                                              "connection and try again.")
                                       .arg(host)));
            return;
        }
        if (!status.isValid()) {
            qCInfo(lcOidc) << "request to" << host << "failed:" << reply->errorString();
            finish(Error::make(ErrorKind::Network, ErrorCode::NetworkUnreachable,
                               QStringLiteral("Could not reach %1 (%2). Check your network "
                                              "connection and try again.")
                                       .arg(host, reply->errorString())));
            return;
        }
        HttpResponse response;
        response.status = status.toInt();
        response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        response.body = reply->readAll();
        finish(std::move(response));
    });
}

} // namespace

void httpGet(QNetworkAccessManager &manager, const QUrl &url, QObject *context,
             HttpCallback callback, const HttpOptions &options)
{
    QNetworkReply *reply = manager.get(makeRequest(url, options));
    watch(reply, context, std::move(callback), options);
}

void httpPostForm(QNetworkAccessManager &manager, const QUrl &url, const FormFields &fields,
                  QObject *context, HttpCallback callback, const HttpOptions &options)
{
    QNetworkRequest request = makeRequest(url, options);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    QNetworkReply *reply = manager.post(request, encodeForm(fields));
    watch(reply, context, std::move(callback), options);
}

void httpSend(QNetworkAccessManager &manager, const QByteArray &method, const QUrl &url,
              const QByteArray &contentType, const QByteArray &body, QObject *context,
              HttpCallback callback, const HttpOptions &options)
{
    QNetworkRequest request = makeRequest(url, options);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    watch(reply, context, std::move(callback), options);
}

bool isHttpEndpoint(const QUrl &url)
{
    const QString scheme = url.scheme();
    return url.isValid() && !url.host().isEmpty() && (scheme == u"https" || scheme == u"http");
}

QByteArray encodeForm(const FormFields &fields)
{
    QByteArray out;
    for (const auto &[key, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace latchkey::oidc
