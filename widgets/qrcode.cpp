#include "qrcode.h"

#include <qrencode.h>

#include <memory>

namespace latchkey {

QrCode QrCode::encode(const QString &text)
{
    QrCode code;
    const QByteArray bytes = text.toUtf8();
    if (bytes.isEmpty())
        return code;
    // Byte mode, version chosen by libqrencode (0 = smallest that fits), level M.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> encoded(
            QRcode_encodeData(int(bytes.size()),
                              reinterpret_cast<const unsigned char *>(bytes.constData()), 0,
                              QR_ECLEVEL_M),
            &QRcode_free);
    if (!encoded)
        return code; // too long (or out of memory)
    code.m_size = encoded->width;
    code.m_modules.resize(qsizetype(code.m_size) * code.m_size);
    for (qsizetype i = 0; i < code.m_modules.size(); ++i)
        code.m_modules[i] = (encoded->data[i] & 1) != 0; // bit 0: dark module
    return code;
}

QList<QString> QrCode::toHalfBlocks(int quietZone) const
{
    QList<QString> lines;
    if (isEmpty())
        return lines;
    const int first = -quietZone;
    const int last = m_size + quietZone; // exclusive
    for (int y = first; y < last; y += 2) {
        QString line;
        for (int x = first; x < last; ++x) {
            // Drawn = light (see the header); below the last row counts as light quiet zone.
            const bool top = !dark(x, y);
            const bool bottom = y + 1 < last ? !dark(x, y + 1) : false;
            line += top && bottom ? u'█' : top ? u'▀' : bottom ? u'▄' : u' ';
        }
        lines.append(line);
    }
    return lines;
}

} // namespace latchkey
