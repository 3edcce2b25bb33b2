#include "githubrevocation.h"

#include "githubapi.h"
#include "oidc/tokenerror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace latchkey::github {

void revokeToken(QNetworkAccessManager &network, const ProviderOptions &provider,
                 const QString &accessToken, QObject *context,
                 std::function<void(const Status &)> done)
{
    const QUrl url = apiEndpoint(
            provider,
            QStringLiteral("/applications/%1/token")
                    .arg(QString::fromLatin1(QUrl::toPercentEncoding(provider.clientId))));
    const QByteArray credentials =
            (provider.clientId + u':' + provider.clientSecret).toUtf8().toBase64();
    const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("access_token"), accessToken}})
                    .toJson(QJsonDocument::Compact);
    oidc::httpSend(
            network, "DELETE", url, "application/json", body, context,
            [done = std::move(done)](Result<oidc::HttpResponse> response) {
                if (!response) {
                    done(response.error());
                    return;
                }
                const int status = response->status;
                if (status == 204 || status == 200 || status == 404) {
                    done({});
                    return;
                }
                if (status >= 500 || status == 429) {
                    done(oidc::tokenEndpointError(status, response->body,
                                                  QStringLiteral("token revocation")));
                    return;
                }
                done(Error::make(
                        ErrorKind::Protocol, ErrorCode::ProviderMisbehaved,
                        QStringLiteral("GitHub refused to revoke the token (HTTP %1).").arg(status),
                        QString::number(status)));
            },
            apiOptions(QByteArrayLiteral("Basic ") + credentials));
}

} // namespace latchkey::github
