#pragma once

#include "httpexchange.h"

#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace latchkey::oidc {

/// GETs one JSON document (a discovery document or a JWK Set). The callback runs exactly once,
/// from the event loop, and not at all once `context` is destroyed. Any HTTP status is a value;
/// transport failures are Network/Timeout errors. Injectable so unit tests run without a network.
using DocumentFetcher =
        std::function<void(const QUrl &url, QObject *context, HttpCallback callback)>;

/// The default fetcher: httpGet() over `manager` (which must outlive every fetch it starts).
DocumentFetcher networkDocumentFetcher(QNetworkAccessManager *manager);

} // namespace latchkey::oidc
