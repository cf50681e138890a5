// libFuzzer target: any bytes as a stored archive frame, and as a body to archive. Properties:
// a frame of any shape decompresses to at most the limit or is refused, never a crash; any body
// comes back from its frame byte for byte; a frame cut short is refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "archive/zstd_frame.hpp"

using namespace newsmon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t k_limit = 1U << 20;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto read = archive::decompress(bytes, k_limit); read && read->size() > k_limit)
        std::abort();
    std::string frame = archive::compress(bytes);
    auto restored = archive::decompress(frame, bytes.size());
    if (!restored || *restored != bytes)
        std::abort();
    if (!frame.empty() && archive::decompress(frame.substr(0, frame.size() - 1), k_limit))
        std::abort();
    return 0;
}
