// Internal: sixteen bytes at a time, for the scans that look at every byte of a feed. GCC's
// vector extensions compile to SSE2 on x86-64 and to NEON on arm64, with no runtime dispatch.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace newsmon::parsers::scan {

using Block = unsigned char __attribute__((vector_size(16)));
using Mask = signed char __attribute__((vector_size(16))); // comparisons: each byte 0 or -1
constexpr std::size_t k_block = sizeof(Block);

inline Block load(const void* bytes) {
    Block block;
    std::memcpy(&block, bytes, k_block);
    return block;
}

// The index of the first byte set in `mask`, or k_block when none is.
inline std::size_t first_set(Mask mask) {
    std::uint64_t halves[2];
    std::memcpy(halves, &mask, k_block);
    if constexpr (std::endian::native == std::endian::little) {
        if (halves[0] != 0)
            return static_cast<std::size_t>(std::countr_zero(halves[0])) / 8;
        if (halves[1] != 0)
            return 8 + static_cast<std::size_t>(std::countr_zero(halves[1])) / 8;
    } else {
        if (halves[0] != 0)
            return static_cast<std::size_t>(std::countl_zero(halves[0])) / 8;
        if (halves[1] != 0)
            return 8 + static_cast<std::size_t>(std::countl_zero(halves[1])) / 8;
    }
    return k_block;
}

inline bool any_set(Mask mask) {
    std::uint64_t halves[2];
    std::memcpy(halves, &mask, k_block);
    return (halves[0] | halves[1]) != 0;
}

} // namespace newsmon::parsers::scan
