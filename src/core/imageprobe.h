#pragma once

#include <QByteArray>
#include <QSize>

#include <optional>

namespace latchkey {

/// What the first bytes of a picture say it is.
struct ImageProbe
{
    QByteArray format; ///< "png", "jpeg", "gif" or "webp"
    QSize size; ///< never empty
};

/// Reads the format and the dimensions of a PNG, JPEG, GIF or WebP from its header, without
/// decoding it (the library does not link Qt Gui). Anything else, SVG included, is nothing. A pure
/// function of untrusted bytes (a provider's picture), fuzzed (tests/fuzz/fuzz_imageprobe.cpp).
std::optional<ImageProbe> probeImage(const QByteArray &data);

} // namespace latchkey
