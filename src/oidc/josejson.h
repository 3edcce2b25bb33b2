#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

/// Strict decoding helpers shared by discovery, the JWKS cache and ID token validation.
/// One JSON parser (jansson, in the `jose` module: core/joseapi.h) decides what a document means,
/// so no two parsers can disagree about a duplicated member (RFC 8725 §3.2, RFC 7515 §5.2 step 4).
namespace latchkey::oidc::jose {

/// Parses `json` as one JSON object with jansson's JSON_REJECT_DUPLICATES and converts it to a
/// QJsonObject. `what` names the document in the error message ("the ID token header", …).
/// Errors: ErrorKind `errorKind` with a message naming `what`; ModuleMissing without the module.
Result<QJsonObject> parseObjectStrict(const QByteArray &json, const QString &what,
                                      ErrorKind errorKind);

/// Decodes unpadded base64url (RFC 7515 §2, RFC 4648 §5). Rejects padding, whitespace and any
/// character outside the base64url alphabet. Returns nothing on failure.
std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded);

} // namespace latchkey::oidc::jose
