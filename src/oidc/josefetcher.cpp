#include "josefetcher.h"

#include <QNetworkAccessManager>

namespace latchkey::oidc {

DocumentFetcher networkDocumentFetcher(QNetworkAccessManager *manager)
{
    return [manager](const QUrl &url, QObject *context, HttpCallback callback) {
        httpGet(*manager, url, context, std::move(callback));
    };
}

} // namespace latchkey::oidc
