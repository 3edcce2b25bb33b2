#include "sealedbox.h"

#include "core/random.h"

#include <openssl/evp.h>

#include <memory>

namespace latchkey::sealedbox {

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using Context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

unsigned char *bytes(QByteArray &data) { return reinterpret_cast<unsigned char *>(data.data()); }

Error failed(const QString &what)
{
    return Error::make(ErrorKind::InvalidInput, QStringLiteral("The sealed data %1.").arg(what),
                       QStringLiteral("sealed_box"));
}

} // namespace

Result<QByteArray> seal(const QByteArray &key, const QByteArray &plaintext, const QByteArray &aad)
{
    Q_ASSERT(key.size() == kKeyBytes);
    const QByteArray nonce = random::bytes(kNonceBytes);
    QByteArray box(kNonceBytes + plaintext.size() + kTagBytes, '\0');
    std::copy(nonce.cbegin(), nonce.cend(), box.begin());
    Context ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int written = 0;
    int finalWritten = 0;
    unsigned char *out = bytes(box) + kNonceBytes;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(aad), int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &written, bytes(plaintext), int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + written, &finalWritten) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                            out + written + finalWritten) != 1) {
        return failed(QStringLiteral("could not be encrypted"));
    }
    return box;
}

Result<QByteArray> open(const QByteArray &key, const QByteArray &box, const QByteArray &aad)
{
    if (key.size() != kKeyBytes || box.size() < kNonceBytes + kTagBytes)
        return failed(QStringLiteral("is too short or its key is wrong"));
    const qsizetype cipherBytes = box.size() - kNonceBytes - kTagBytes;
    QByteArray plaintext(cipherBytes, '\0');
    QByteArray tag = box.right(kTagBytes);
    Context ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int written = 0;
    int finalWritten = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(box)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(aad), int(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &written, bytes(box) + kNonceBytes,
                          int(cipherBytes)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + written, &finalWritten) != 1) {
        return failed(QStringLiteral("was altered or belongs to another key"));
    }
    return plaintext;
}

} // namespace latchkey::sealedbox
