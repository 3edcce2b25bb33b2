#include "emailaddress.h"

#include <QUrl>

#include <algorithm>

namespace latchkey {

namespace {

constexpr qsizetype kMaxAddress = 254; // RFC 5321 §4.5.3.1.3 (path minus the angle brackets)
constexpr qsizetype kMaxLocalPart = 64; // RFC 5321 §4.5.3.1.1
constexpr qsizetype kMaxDomain = 253;
constexpr qsizetype kMaxLabel = 63;
constexpr qsizetype kMaxInput = 512;

Error invalid(const QString &why)
{
    return Error::make(ErrorKind::InvalidInput, ErrorCode::EmailAddressInvalid,
                       QStringLiteral("That email address can't be used: %1.").arg(why));
}

// RFC 5322 atext without the characters docs/security.md forbids; '.' handled separately.
// '%' and '!' are left out: old relays route "a%evil.example@relay" and "evil!a" elsewhere.
bool isLocalPartChar(QChar c)
{
    if (c.unicode() > 0x7e)
        return false;
    if (c.isLetterOrNumber())
        return true;
    return QStringView(u"#$&'*+-/=?^_`{|}~").contains(c);
}

bool isDotAtom(QStringView part)
{
    if (part.isEmpty() || part.startsWith(u'.') || part.endsWith(u'.') || part.contains(u".."))
        return false;
    for (QChar c : part) {
        if (c != u'.' && !isLocalPartChar(c))
            return false;
    }
    return true;
}

bool isHostnameLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > kMaxLabel || label.startsWith(u'-') ||
        label.endsWith(u'-'))
        return false;
    for (QChar c : label) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

Result<QString> canonicalizeEmail(const QString &input)
{
    if (input.size() > kMaxInput)
        return invalid(QStringLiteral("it is too long"));

    const QString normalized = input.normalized(QString::NormalizationForm_KC).trimmed();
    if (normalized.isEmpty())
        return invalid(QStringLiteral("it is empty"));

    // NFKC folds look-alikes such as the fullwidth '＠' (U+FF20) into '@'; an address that only
    // becomes valid through such folding is refused rather than silently rewritten.
    if (normalized.count(u'@') != input.count(u'@'))
        return invalid(QStringLiteral("it contains a look-alike of the @ sign; type a plain @"));

    for (QChar c : normalized) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return invalid(QStringLiteral("it contains a control character"));
        if (c.isSpace())
            return invalid(QStringLiteral("it contains a space"));
        if (QStringView(u"\"()<>,;:[]\\").contains(c))
            return invalid(QStringLiteral("it contains the character %1").arg(c));
    }

    if (normalized.count(u'@') != 1)
        return invalid(QStringLiteral("it must contain exactly one @"));
    const qsizetype at = normalized.indexOf(u'@');
    // A local part that NFKC changed (fullwidth or styled letters, ligatures) shows one address
    // and sends to another: refused, like the look-alike @ above.
    if (normalized.left(at) != input.trimmed().left(input.trimmed().indexOf(u'@')))
        return invalid(QStringLiteral("the part before the @ contains look-alike characters; "
                                      "type it with plain letters"));
    const QString local = normalized.left(at).toLower();
    const QString domainInput = normalized.mid(at + 1).toLower();

    if (local.isEmpty())
        return invalid(QStringLiteral("the part before the @ is empty"));
    if (local.size() > kMaxLocalPart)
        return invalid(QStringLiteral("the part before the @ is longer than 64 characters"));
    if (!isDotAtom(local))
        return invalid(QStringLiteral("the part before the @ has characters that are not allowed"));
    // RFC 2047 encoded words ("=?utf-8?q?...?=") are decoded by some mail programs into a
    // different address or display text than the one the user typed.
    if (local.contains(u"=?"))
        return invalid(QStringLiteral("the part before the @ contains \"=?\", which mail "
                                      "programs may decode into another address"));

    if (domainInput.isEmpty())
        return invalid(QStringLiteral("the domain after the @ is empty"));
    // IDNA (UTS #46 via Qt): a Unicode domain becomes its ASCII (punycode) form.
    const QString domain = QString::fromLatin1(QUrl::toAce(domainInput));
    if (domain.isEmpty() || domain.size() > kMaxDomain)
        return invalid(QStringLiteral("the domain after the @ is not valid"));
    const QStringList labels = domain.split(u'.');
    if (labels.size() < 2)
        return invalid(QStringLiteral("the domain after the @ needs a dot, like example.com"));
    for (const QString &label : labels) {
        if (!isHostnameLabel(label))
            return invalid(QStringLiteral("the domain after the @ is not valid"));
    }

    const QString address = local + u'@' + domain;
    if (address.size() > kMaxAddress)
        return invalid(QStringLiteral("it is longer than 254 characters"));
    return address;
}

NamedAddress splitNamedAddress(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype open = trimmed.indexOf(u'<');
    if (open >= 0 && trimmed.endsWith(u'>')) {
        const QString name = trimmed.left(open);
        const QString address = trimmed.mid(open + 1, trimmed.size() - open - 2);
        const auto without = [](const QString &part, QStringView chars) {
            return std::none_of(part.cbegin(), part.cend(),
                                [chars](QChar c) { return chars.contains(c); });
        };
        if (!address.trimmed().isEmpty() && without(name, u"<>\"") && without(address, u"<>"))
            return {name.trimmed(), address.trimmed()};
    }
    return {{}, trimmed};
}

} // namespace latchkey
