// libFuzzer target for the picture header reader (docs/security.md "Fuzzing", "Provider
// pictures"): a provider's picture is read only as far as its header, and what it accepts is a
// raster format it really starts like, with a size that is not empty. Any broken invariant aborts.

#include "core/imageprobe.h"
#include "fuzz_support.h"

using namespace latchkey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzz::bytes(data, size).toByteArray();
    const std::optional<ImageProbe> probe = probeImage(input);
    if (!probe)
        return 0;
    FUZZ_CHECK(probe->size.width() > 0 && probe->size.height() > 0);
    if (probe->format == "png") {
        FUZZ_CHECK(input.startsWith("\x89PNG\r\n\x1a\n"));
    } else if (probe->format == "gif") {
        FUZZ_CHECK(input.startsWith("GIF87a") || input.startsWith("GIF89a"));
        FUZZ_CHECK(probe->size.width() <= 0xffff && probe->size.height() <= 0xffff);
    } else if (probe->format == "jpeg") {
        FUZZ_CHECK(input.startsWith("\xff\xd8\xff"));
        FUZZ_CHECK(probe->size.width() <= 0xffff && probe->size.height() <= 0xffff);
    } else {
        FUZZ_CHECK(probe->format == "webp");
        FUZZ_CHECK(input.startsWith("RIFF") && input.mid(8, 4) == "WEBP");
        FUZZ_CHECK(probe->size.width() <= (1 << 24) && probe->size.height() <= (1 << 24));
    }
    // Read from the header only: what follows it changes nothing.
    const std::optional<ImageProbe> longer = probeImage(input + QByteArray(64, '\0'));
    FUZZ_CHECK(longer && longer->format == probe->format && longer->size == probe->size);
    return 0;
}
