#include "sealedbox.h"

#include "core/josemodule.h"
#include "core/random.h"

namespace latchkey::sealedbox {

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

Error failed(const QString &what)
{
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("The sealed data %1.").arg(what),
                       QStringLiteral("sealed_box"));
}

} // namespace

Result<QByteArray> seal(const QByteArray &key, const QByteArray &plaintext, const QByteArray &aad)
{
    Q_ASSERT(key.size() == kKeyBytes);
    const auto jose = joseapi::api(); // AES-GCM is libcrypto's, in the `jose` module
    if (!jose)
        return jose.error();
    const QByteArray nonce = random::bytes(kNonceBytes);
    const QByteArray sealed = jose.value()->gcmSeal(key, nonce, plaintext, aad);
    if (sealed.isEmpty())
        return failed(QStringLiteral("could not be encrypted"));
    return QByteArray(nonce + sealed);
}

Result<QByteArray> open(const QByteArray &key, const QByteArray &box, const QByteArray &aad)
{
    if (key.size() != kKeyBytes || box.size() < kNonceBytes + kTagBytes)
        return failed(QStringLiteral("is too short or its key is wrong"));
    const auto jose = joseapi::api();
    if (!jose)
        return jose.error();
    QByteArray plaintext;
    if (!jose.value()->gcmOpen(key, box.left(kNonceBytes), box.mid(kNonceBytes), aad, &plaintext))
        return failed(QStringLiteral("was altered or belongs to another key"));
    return plaintext;
}

} // namespace latchkey::sealedbox
