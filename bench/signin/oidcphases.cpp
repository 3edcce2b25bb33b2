#include "oidcphases.h"

#include "auth/accountlinker.h"
#include "benchsupport.h"
#include "core/emailaddress.h"
#include "core/random.h"
#include "keychain/qtkeychainstore.h"
#include "keychain/secretkeys.h"
#include "oidc/idtokenvalidator.h"
#include "oidc/josefetcher.h"
#include "oidc/jwkscache.h"
#include "storage/accountrepository.h"
#include "storage/database.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace latchkey::bench {

namespace {

constexpr int kStepMs = 10000;
const QString kScenario = u"oidc-phase"_s;
const QString kProvider = u"test"_s;

/// One part of a compact JWS (RFC 7515 §7.1) as JSON; the ID token is never printed.
QJsonObject jwsPart(const QByteArray &compact, int index)
{
    const QByteArray part = compact.split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(part,
                                                          QByteArray::Base64UrlEncoding |
                                                                  QByteArray::OmitTrailingEquals))
            .object();
}

/// `size` random base64url characters: a stand-in of the real token's size for the keychain.
QByteArray secretOfSize(qsizetype size)
{
    return random::base64Url(int(size)).toLatin1().left(size);
}

} // namespace

OidcPhases::OidcPhases(QNetworkAccessManager &network, const Clock &clock,
                       const oidc::ProviderMetadata &metadata, QString clientId)
    : m_network(network), m_clock(clock), m_metadata(metadata), m_clientId(std::move(clientId))
{ }

void OidcPhases::measure(int run, const CapturedTokens &tokens, const RunHome &home)
{
    QObject guard;
    const QJsonObject header = jwsPart(tokens.idToken, 0);
    const QJsonObject payload = jwsPart(tokens.idToken, 1);

    // JWKS fetch, on a fresh cache as the first sign-in of an app run does.
    oidc::JwksCache jwks(m_metadata.jwksUri, oidc::networkDocumentFetcher(&m_network), m_clock);
    qint64 jwksDoneNs = kUnset;
    const qint64 jwksNs = nowNs();
    jwks.findKey(header.value(u"kid"_s).toString(), header.value(u"alg"_s).toString(), &guard,
                 [&jwksDoneNs](const Result<oidc::JwksCache::Key> &key) {
                     if (!key)
                         fail(u"JWKS: "_s + key.error().message);
                     jwksDoneNs = nowNs();
                 });
    if (!waitFor([&jwksDoneNs]() { return jwksDoneNs != kUnset; }, kStepMs))
        fail(u"the JWKS fetch did not finish"_s);

    // ID token validation with the now warm cache: signature (cjose) and every claim rule. The
    // expected nonce is the token's own (the flow's nonce is private to it).
    oidc::IdTokenExpectations expected;
    expected.issuer = m_metadata.issuer;
    expected.clientId = m_clientId;
    expected.nonce = payload.value(u"nonce"_s).toString();
    oidc::IdTokenValidator validator(jwks, m_clock);
    std::optional<oidc::IdToken> idToken;
    qint64 validatedNs = kUnset;
    const qint64 validateNs = nowNs();
    validator.validate(tokens.idToken, expected, &guard,
                       [&idToken, &validatedNs](const Result<oidc::IdToken> &token) {
                           validatedNs = nowNs();
                           if (!token)
                               fail(u"ID token: "_s + token.error().message);
                           idToken = token.value();
                       });
    if (!waitFor([&validatedNs]() { return validatedNs != kUnset; }, kStepMs))
        fail(u"the ID token validation did not finish"_s);

    // Storage: a new user's user and account rows in a fresh SQLite file (schema made first,
    // not timed), then the account lookup the flow does next.
    auto db = Database::open(home.filePath(u"phases.db"_s));
    if (!db)
        fail(u"database: "_s + db.error().message);
    OidcIdentity identity;
    identity.provider = kProvider;
    identity.issuer = m_metadata.issuer;
    identity.subject = idToken->subject;
    if (auto email = canonicalizeEmail(idToken->email))
        identity.email = email.value();
    identity.emailVerified = idToken->emailVerified;
    identity.name = idToken->name;
    identity.picture = idToken->picture;
    const qint64 storageNs = nowNs();
    auto user = AccountLinker(*db.value(), m_clock).signInWithOidc(identity);
    if (!user)
        fail(u"AccountLinker: "_s + user.error().message);
    auto account =
            AccountRepository(*db.value()).findByProviderAccount(kProvider, identity.subject);
    if (!account)
        fail(u"AccountRepository: "_s + account.error().message);
    const qint64 storedNs = nowNs();

    // Keychain: the access and refresh token, then the session token, one after another.
    QtKeychainStore keychain;
    keychain.setService(home.service() + u"-phases"_s);
    const QString accountId = QString::number(account->id);
    const QList<std::pair<QString, QByteArray>> writes = {
            {secretkeys::providerToken(kProvider, accountId, secretkeys::TokenPurpose::Access),
             secretOfSize(tokens.accessTokenSize)},
            {secretkeys::providerToken(kProvider, accountId, secretkeys::TokenPurpose::Refresh),
             secretOfSize(tokens.refreshTokenSize)},
            {secretkeys::sessionToken(user->user.id), random::base64Url(32).toLatin1()},
    };
    QList<qint64> writtenNs;
    const qint64 keychainNs = nowNs();
    for (const auto &[key, secret] : writes) {
        bool written = false;
        keychain.write(key, secret, &guard, [&written, &writtenNs](Status status) {
            if (!status)
                fail(u"keychain write: "_s + status.error().message);
            writtenNs.append(nowNs());
            written = true;
        });
        if (!waitFor([&written]() { return written; }, kStepMs))
            fail(u"a keychain write did not finish"_s);
    }

    if (run == 0)
        return;
    report(kScenario, run, u"jwks_fetch"_s, jwksNs, jwksDoneNs);
    report(kScenario, run, u"id_token_validate"_s, validateNs, validatedNs);
    report(kScenario, run, u"storage_user_account"_s, storageNs, storedNs);
    report(kScenario, run, u"keychain_token_writes"_s, keychainNs, writtenNs.value(1, kUnset));
    report(kScenario, run, u"keychain_session_write"_s, writtenNs.value(1, kUnset),
           writtenNs.value(2, kUnset));
    report(kScenario, run, u"keychain_all_writes"_s, keychainNs, writtenNs.value(2, kUnset));
}

} // namespace latchkey::bench
