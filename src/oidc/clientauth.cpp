#include "clientauth.h"

#include "oidc/providermetadata.h"

#include <QJsonArray>

namespace latchkey::oidc {

namespace {

// RFC 6749 Appendix B: application/x-www-form-urlencoded, UTF-8, space as '+'.
QByteArray formEncode(const QString &text)
{
    return QUrl::toPercentEncoding(text).replace("%20", "+");
}

} // namespace

Result<ClientAuthMethod> ClientAuthentication::methodFromName(const QString &name)
{
    if (name == u"none")
        return ClientAuthMethod::None;
    if (name == u"client_secret_post")
        return ClientAuthMethod::ClientSecretPost;
    if (name == u"client_secret_basic")
        return ClientAuthMethod::ClientSecretBasic;
    return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                       QStringLiteral("The client authentication method \"%1\" is not supported. "
                                      "Use none, client_secret_post or client_secret_basic.")
                               .arg(name),
                       QStringLiteral("unsupported_client_auth"));
}

void ClientAuthentication::addFormFields(FormFields &fields) const
{
    switch (method) {
    case ClientAuthMethod::None:
        // RFC 6749 §4.1.3: a client that does not authenticate sends client_id.
        fields.append({QStringLiteral("client_id"), clientId});
        break;
    case ClientAuthMethod::ClientSecretPost:
        // RFC 6749 §2.3.1: both credentials in the request body.
        fields.append({QStringLiteral("client_id"), clientId});
        fields.append({QStringLiteral("client_secret"), clientSecret});
        break;
    case ClientAuthMethod::ClientSecretBasic:
        break; // the credentials go in the Authorization header only
    }
}

QByteArray ClientAuthentication::authorizationHeader() const
{
    if (method != ClientAuthMethod::ClientSecretBasic)
        return {};
    // RFC 6749 §2.3.1: id and secret are form-encoded before Basic (RFC 7617) encoding.
    const QByteArray credentials = formEncode(clientId) + ':' + formEncode(clientSecret);
    return QByteArrayLiteral("Basic ") + credentials.toBase64();
}

Status ClientAuthentication::check() const
{
    if (clientId.isEmpty()) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The client id is empty. Set the provider's client id "
                                          "in the configuration."),
                           QStringLiteral("missing_client_id"));
    }
    if (method != ClientAuthMethod::None && clientSecret.isEmpty()) {
        return Error::make(ErrorKind::Config, ErrorCode::ConfigInvalid,
                           QStringLiteral("The provider needs a client secret for client %1. Set "
                                          "the provider's client secret in the configuration.")
                                   .arg(clientId),
                           QStringLiteral("missing_client_secret"));
    }
    return {};
}

ClientAuthentication ClientAuthentication::choose(const QString &clientId,
                                                  const QString &clientSecret,
                                                  const ProviderMetadata &metadata)
{
    ClientAuthentication client;
    client.clientId = clientId;
    client.clientSecret = clientSecret;
    if (clientSecret.isEmpty()) {
        client.method = ClientAuthMethod::None; // a public client: PKCE protects the code
        return client;
    }
    // OIDC Discovery §3: client_secret_basic is the default when the list is absent.
    const QJsonArray methods =
            metadata.raw.value(QStringLiteral("token_endpoint_auth_methods_supported")).toArray();
    client.method = methods.contains(QStringLiteral("client_secret_post"))
            ? ClientAuthMethod::ClientSecretPost
            : ClientAuthMethod::ClientSecretBasic;
    return client;
}

} // namespace latchkey::oidc
