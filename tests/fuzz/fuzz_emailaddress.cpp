// libFuzzer target for the email canonicaliser (docs/security.md "Fuzzing", "Email link and
// code"): what it accepts is canonical, stable and sendable; the input is read as UTF-8 and, to
// reach lone surrogates, as UTF-16. Any broken invariant aborts.

#include "core/emailaddress.h"
#include "fuzz_support.h"
#include "mail/mailheaders.h"

#include <cstring>

using namespace latchkey;

namespace {

void checkAddress(const QString &input)
{
    const Result<QString> result = canonicalizeEmail(input);
    if (!result) {
        fuzz::checkError(result.error());
        FUZZ_CHECK(result.error().code == ErrorCode::EmailAddressInvalid);
        return;
    }
    const QString &address = result.value();
    FUZZ_CHECK(address.size() <= 254); // RFC 5321 §4.5.3.1.3
    FUZZ_CHECK(address.count(u'@') == 1);
    FUZZ_CHECK(address.indexOf(u'@') <= 64); // RFC 5321 §4.5.3.1.1
    for (const QChar c : address) {
        FUZZ_CHECK(c.unicode() > 0x20 && c.unicode() < 0x7f);
        FUZZ_CHECK(!QStringView(u"\"()<>,;:[]\\").contains(c));
    }
    FUZZ_CHECK(address == address.toLower());
    // One canonical form: canonicalising it again changes nothing.
    const Result<QString> again = canonicalizeEmail(address);
    FUZZ_CHECK(again.ok() && again.value() == address);
    // What the canonicaliser accepts, the mailer can send to, unchanged.
    const Result<QByteArray> sendable = mailheaders::addrSpec(address, QStringLiteral("recipient"));
    FUZZ_CHECK(sendable.ok() && sendable.value() == address.toLatin1());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);
    checkAddress(QString::fromUtf8(input));
    QString utf16(input.size() / 2, Qt::Uninitialized);
    std::memcpy(utf16.data(), input.data(), static_cast<size_t>(utf16.size()) * sizeof(QChar));
    checkAddress(utf16);
    return 0;
}
