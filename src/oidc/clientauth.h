#pragma once

#include "core/result.h"
#include "httpexchange.h"

#include <QByteArray>
#include <QString>

namespace latchkey::oidc {

struct ProviderMetadata;

/// How the client authenticates at the token and revocation endpoints (RFC 6749 §2.3.1,
/// OIDC Core 9). A desktop app is a public client: a "desktop" client secret is not a secret
/// (docs/security.md), but providers such as Google still require it to be sent.
enum class ClientAuthMethod {
    None, ///< `none`: client_id in the body, no secret (PKCE is what protects the code)
    ClientSecretPost, ///< `client_secret_post`: client_id and client_secret in the body
    ClientSecretBasic, ///< `client_secret_basic`: HTTP Basic with form-encoded id and secret
};

/// The client's identity and the way it is presented to the provider.
struct ClientAuthentication
{
    QString clientId;
    QString clientSecret; ///< empty for method None. Never log it.
    ClientAuthMethod method = ClientAuthMethod::None;

    /// How to authenticate to a provider described by `metadata` as client `clientId`: none for
    /// a public client (no secret; PKCE protects the code), else the secret by
    /// `client_secret_post` when the provider lists it, otherwise `client_secret_basic` (the OIDC
    /// Discovery §3 default).
    static ClientAuthentication choose(const QString &clientId, const QString &clientSecret,
                                       const ProviderMetadata &metadata);

    /// Parses a `token_endpoint_auth_method` name ("none", "client_secret_post",
    /// "client_secret_basic"); any other name is a Config error.
    static Result<ClientAuthMethod> methodFromName(const QString &name);

    /// Adds the body fields for this method to `fields` (client_id for None and
    /// ClientSecretPost, client_secret for ClientSecretPost; nothing for ClientSecretBasic).
    void addFormFields(FormFields &fields) const;

    /// The `Authorization` header value for ClientSecretBasic: "Basic " + base64(
    /// form-encode(client_id) ":" form-encode(client_secret)) (RFC 6749 §2.3.1, Appendix B);
    /// empty for the other methods.
    QByteArray authorizationHeader() const;

    /// A Config error when the id is empty, or a secret method has no secret.
    Status check() const;
};

} // namespace latchkey::oidc
