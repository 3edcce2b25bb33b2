#include "imageprobe.h"

#include <QtEndian>

#include <climits>

namespace latchkey {

namespace {

quint32 be16(const QByteArray &d, qsizetype at)
{
    return qFromBigEndian<quint16>(reinterpret_cast<const uchar *>(d.constData() + at));
}
quint32 le16(const QByteArray &d, qsizetype at)
{
    return qFromLittleEndian<quint16>(reinterpret_cast<const uchar *>(d.constData() + at));
}
quint32 le24(const QByteArray &d, qsizetype at)
{
    return le16(d, at) | (quint32(uchar(d[at + 2])) << 16);
}

std::optional<QSize> jpegSize(const QByteArray &d)
{
    // Markers after SOI (ITU T.81 Annex B): skip segments up to a start-of-frame, which holds
    // the height and width.
    qsizetype at = 2;
    while (at + 4 <= d.size()) {
        if (uchar(d[at]) != 0xFF)
            return std::nullopt;
        const uchar marker = uchar(d[at + 1]);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
            at += 2;
            continue;
        }
        const qsizetype length = be16(d, at + 2);
        if (length < 2)
            return std::nullopt;
        const bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
                marker != 0xC8 && marker != 0xCC;
        if (startOfFrame) {
            if (at + 9 > d.size())
                return std::nullopt;
            return QSize(int(be16(d, at + 7)), int(be16(d, at + 5)));
        }
        if (marker == 0xD9 || marker == 0xDA) // end of image, start of scan: no frame header
            return std::nullopt;
        at += 2 + length;
    }
    return std::nullopt;
}

std::optional<QSize> webpSize(const QByteArray &d)
{
    // RIFF container (RFC 9649): the first chunk is VP8, VP8L or VP8X.
    if (d.size() < 30)
        return std::nullopt;
    const QByteArray chunk = d.mid(12, 4);
    if (chunk == "VP8 " && d.mid(23, 3) == QByteArray("\x9d\x01\x2a", 3))
        return QSize(int(le16(d, 26) & 0x3fff), int(le16(d, 28) & 0x3fff));
    if (chunk == "VP8L" && uchar(d[20]) == 0x2f) {
        const quint32 bits =
                qFromLittleEndian<quint32>(reinterpret_cast<const uchar *>(d.constData() + 21));
        return QSize(int((bits & 0x3fff) + 1), int(((bits >> 14) & 0x3fff) + 1));
    }
    if (chunk == "VP8X")
        return QSize(int(le24(d, 24) + 1), int(le24(d, 27) + 1));
    return std::nullopt;
}

} // namespace

std::optional<ImageProbe> probeImage(const QByteArray &d)
{
    std::optional<ImageProbe> probe;
    if (d.startsWith("\x89PNG\r\n\x1a\n") && d.size() >= 24 && d.mid(12, 4) == "IHDR") {
        const auto *p = reinterpret_cast<const uchar *>(d.constData());
        const quint32 w = qFromBigEndian<quint32>(p + 16);
        const quint32 h = qFromBigEndian<quint32>(p + 20);
        if (w <= quint32(INT_MAX) && h <= quint32(INT_MAX))
            probe = ImageProbe{"png", QSize(int(w), int(h))};
    } else if ((d.startsWith("GIF87a") || d.startsWith("GIF89a")) && d.size() >= 10) {
        probe = ImageProbe{"gif", QSize(int(le16(d, 6)), int(le16(d, 8)))};
    } else if (d.startsWith("\xff\xd8\xff")) {
        if (auto size = jpegSize(d))
            probe = ImageProbe{"jpeg", *size};
    } else if (d.startsWith("RIFF") && d.mid(8, 4) == "WEBP") {
        if (auto size = webpSize(d))
            probe = ImageProbe{"webp", *size};
    }
    if (probe && probe->size.isEmpty())
        return std::nullopt;
    return probe;
}

} // namespace latchkey
