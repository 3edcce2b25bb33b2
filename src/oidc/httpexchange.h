#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// What came back from one HTTP exchange. Any status is a value here: the caller decides what an
/// error status means for its protocol message.
struct HttpResponse
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

/// Limits of one exchange.
struct HttpOptions
{
    int timeoutMs = 15000;
    qsizetype maxBodyBytes = 1024 * 1024;
    /// Sent as `Authorization` when not empty (e.g. "Basic …", "Bearer …").
    QByteArray authorization;
    /// More request headers, set after the defaults (so `Accept` may be replaced), e.g. a
    /// REST API's version header and User-Agent.
    QList<QPair<QByteArray, QByteArray>> headers;
};

using HttpCallback = std::function<void(Result<HttpResponse>)>;
using FormFields = QList<QPair<QString, QString>>;

/// GETs `url` (Accept: application/json). The callback runs exactly once, from the event loop, and
/// not at all once `context` is destroyed. Transport failures are Network errors, the timeout a
/// Timeout error, an oversized body a Protocol error. Redirects are not followed.
void httpGet(QNetworkAccessManager &manager, const QUrl &url, QObject *context,
             HttpCallback callback, const HttpOptions &options = {});

/// POSTs `fields` as application/x-www-form-urlencoded (RFC 6749 Appendix B encoding).
void httpPostForm(QNetworkAccessManager &manager, const QUrl &url, const FormFields &fields,
                  QObject *context, HttpCallback callback, const HttpOptions &options = {});

/// Sends `body` (of `contentType`) with `method` ("DELETE", "PATCH", ...), as httpGet() does.
void httpSend(QNetworkAccessManager &manager, const QByteArray &method, const QUrl &url,
              const QByteArray &contentType, const QByteArray &body, QObject *context,
              HttpCallback callback, const HttpOptions &options = {});

/// True when `url` is an absolute http(s) URL with a host: the shape every endpoint must have
/// before a request is made (whether http is acceptable is decided at discovery).
bool isHttpEndpoint(const QUrl &url);

/// Encodes form fields per RFC 6749 Appendix B (application/x-www-form-urlencoded, UTF-8).
QByteArray encodeForm(const FormFields &fields);

} // namespace latchkey::oidc
