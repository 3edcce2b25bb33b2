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

} // namespace latchkey
