#pragma once

#include "core/result.h"

#include <QString>

namespace latchkey {

/// The one email canonicaliser, used for lookup, storage and sending (docs/security.md, email
/// section).
///
/// NFKC → trim → exactly one `@` → reject quotes, comments, angle brackets, commas, semicolons,
/// whitespace, control characters and look-alike `@` (e.g. fullwidth U+FF20) → reject a local
/// part NFKC changed (look-alike letters), RFC 2047 encoded words (`=?`) and relay routes (`%`,
/// `!`) → length limits → lowercase local part and domain (as Auth.js does) → IDNA (punycode)
/// domain.
/// Returns the canonical address, or an InvalidInput error whose message says what is wrong.
/// A rejected address never reaches SMTP.
Result<QString> canonicalizeEmail(const QString &input);

/// A sender as configured: "Name <address>" or an address alone.
struct NamedAddress
{
    QString name; ///< trimmed; empty when there is none
    QString address; ///< trimmed, as written (not canonicalised)
};

/// Splits "Name <address>" (a name without `<`, `>` or `"`, an address without `<` or `>`); any
/// other text is an address alone.
NamedAddress splitNamedAddress(const QString &text);

} // namespace latchkey
