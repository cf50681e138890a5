#include "archive/zstd_frame.hpp"

#include <memory>

#include <zstd.h>

namespace newsmon::archive {
namespace {

// Level 3, zstd's default: feeds and pages shrink five- to tenfold at a few hundred MB/s, so
// compressing in the fetch thread costs little beside parsing.
constexpr int k_level = 3;

struct CompressionContextDeleter {
    void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct DecompressionContextDeleter {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};
using CompressionContext = std::unique_ptr<ZSTD_CCtx, CompressionContextDeleter>;
using DecompressionContext = std::unique_ptr<ZSTD_DCtx, DecompressionContextDeleter>;

// One context per thread, reused: making one allocates its tables each time.
ZSTD_CCtx* compression_context() {
    thread_local CompressionContext context{ZSTD_createCCtx()};
    return context.get();
}

ZSTD_DCtx* decompression_context() {
    thread_local DecompressionContext context{ZSTD_createDCtx()};
    return context.get();
}

} // namespace

std::string compress(std::string_view input) {
    std::string frame(ZSTD_compressBound(input.size()), '\0');
    std::size_t size = ZSTD_compressCCtx(compression_context(), frame.data(), frame.size(),
                                         input.data(), input.size(), k_level);
    // Only a too-small buffer fails, and compressBound rules that out.
    if (ZSTD_isError(size))
        return {};
    frame.resize(size);
    return frame;
}

tl::expected<std::string, std::string> decompress(std::string_view frame, std::size_t max_size) {
    unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR)
        return tl::unexpected(std::string("not a zstd frame"));
    if (size == ZSTD_CONTENTSIZE_UNKNOWN)
        return tl::unexpected(std::string("a zstd frame without its size"));
    if (size > max_size)
        return tl::unexpected("a zstd frame of " + std::to_string(size) +
                              " bytes, over the limit of " + std::to_string(max_size));
    std::string output(static_cast<std::size_t>(size), '\0');
    std::size_t written = ZSTD_decompressDCtx(decompression_context(), output.data(), output.size(),
                                              frame.data(), frame.size());
    if (ZSTD_isError(written))
        return tl::unexpected(std::string("damaged zstd frame: ") + ZSTD_getErrorName(written));
    if (written != output.size())
        return tl::unexpected(std::string("damaged zstd frame: shorter than its header says"));
    return output;
}

} // namespace newsmon::archive
