#include "random.h"

#include <QRandomGenerator>

namespace latchkey::random {

QByteArray bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    auto *generator = QRandomGenerator::system();
    int i = 0;
    for (; i + 4 <= count; i += 4) {
        const quint32 word = generator->generate();
        memcpy(out.data() + i, &word, 4);
    }
    if (i < count) {
        const quint32 word = generator->generate();
        memcpy(out.data() + i, &word, static_cast<size_t>(count - i));
    }
    return out;
}

QString base64Url(int count)
{
    return QString::fromLatin1(
            bytes(count).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString digits(int count)
{
    QString out;
    out.reserve(count);
    auto *generator = QRandomGenerator::system();
    for (int i = 0; i < count; ++i) {
        // bounded() uses rejection sampling, so every digit is equally likely.
        out.append(QChar(u'0' + static_cast<char16_t>(generator->bounded(10))));
    }
    return out;
}

} // namespace latchkey::random
