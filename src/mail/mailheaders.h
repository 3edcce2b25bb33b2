#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

/// Header encoding shared by every Mailer (one place, so the SMTP and outbox messages agree).
/// All functions are pure and return 7-bit ASCII ready to follow "Name: " on a header line.
namespace latchkey::mailheaders {

/// `value` with every control character removed (C0 incl. CR and LF, DEL, C1, U+2028/U+2029),
/// TAB turned into a space, and surrounding whitespace trimmed. docs/security.md "Mail headers": a
/// caller-supplied value must never start a new header line (header injection).
QString sanitize(const QString &value);

/// An unstructured header value (RFC 5322 §3.2.5, e.g. Subject): sanitised, then printable ASCII
/// as is, anything else (or a word too long to fold) as UTF-8 "B" encoded-words of at most 64
/// characters each, separated by a space, never splitting a character (RFC 2047 §2, §5 rule 1).
QByteArray encodeUnstructured(const QString &value);

/// A mailbox (RFC 5322 §3.4): `addrSpec` alone, or `"Display Name" <addrSpec>` with the name
/// sanitised and quoted, or as encoded-words when it is not ASCII or has a word too long to fold
/// (RFC 2047 §5 rule 3). Precondition: `addrSpec` came from addrSpec().
QByteArray mailbox(const QByteArray &addrSpec, const QString &displayName);

/// The header field "Name: value", folded (RFC 5322 §2.2.3: CRLF inserted before a space) so no
/// line is longer than 76 characters where a space allows. `value` comes from the functions above,
/// which keep every word short enough; only an address or a Message-ID can make a line longer
/// (at most 998 characters, RFC 5322 §2.1.1). No CRLF at the end.
QByteArray field(QByteArrayView name, const QByteArray &value);

/// `address` as an ASCII addr-spec (RFC 5321 §4.1.2): exactly one "@", a non-empty local part of
/// printable ASCII without specials or whitespace, the domain in IDNA ASCII form. Anything else is
/// an Error of kind InvalidInput that names `role` ("sender", "recipient").
Result<QByteArray> addrSpec(const QString &address, const QString &role);

/// `at` as an RFC 5322 §3.3 date-time in UTC, e.g. "Thu, 01 Jan 2026 12:00:00 +0000".
QByteArray date(const QDateTime &at);

/// A fresh Message-ID (RFC 5322 §3.6.4) "<128-bit random@domain>", with `domain` taken from the
/// sender's address.
QByteArray messageId(const QByteArray &senderAddrSpec);

/// `text` with every line ending (CRLF, CR or LF) made CRLF, as RFC 5322 §2.3 requires.
QByteArray crlfLines(const QString &text);

/// `data` quoted-printable encoded (RFC 2045 §6.7), lines at most 76 characters. `data` uses CRLF
/// line endings; a "." starting a line is encoded too, so no line can end an SMTP DATA section.
QByteArray quotedPrintable(const QByteArray &data);

} // namespace latchkey::mailheaders
