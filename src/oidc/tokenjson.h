#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace latchkey::oidc {

/// Parses a JSON response body that must be one object with unique member names.
///
/// The body is first checked with jansson (`JSON_REJECT_DUPLICATES`, in the `jose` module:
/// core/joseapi.h): a duplicated member is a classic parser-differential trick, so it is an error
/// here rather than "last one wins" (docs/security.md, RFC 8259 §4). `what` names the response in
/// the error message ("token response"). Errors are Protocol errors with code "invalid_json" or
/// "duplicate_member"; ModuleMissing (kind Config) without the module.
Result<QJsonObject> parseStrictJsonObject(const QByteArray &body, const QString &what);

/// Reads an optional string member. Absent or null → empty string; present but not a string →
/// Protocol error naming the member.
Result<QString> optionalStringMember(const QJsonObject &object, const QString &name,
                                     const QString &what);

} // namespace latchkey::oidc
