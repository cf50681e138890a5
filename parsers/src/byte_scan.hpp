// Internal: sixteen bytes at a time, for the scans that look at every byte of a feed. GCC's
// vector extensions compile to SSE2 on x86-64 and to NEON on arm64, with no runtime dispatch.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newsmon::parsers::scan {

using Block = unsigned char __attribute__((vector_size(16)));
using Mask = signed char __attribute__((vector_size(16))); // comparisons: each byte 0 or -1
constexpr std::size_t k_block = sizeof(Block);

inline Block load(const void* bytes) {
    Block block;
    std::memcpy(&block, bytes, k_block);
    return block;
}

inline Block min(Block a, Block b) {
    return a < b ? a : b;
}
inline Block max(Block a, Block b) {
    return a < b ? b : a;
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

// One bit per byte of `mask`, the first byte in the lowest bit.
inline std::uint16_t bits_of(Mask mask) {
#if defined(__SSE2__)
    return static_cast<std::uint16_t>(_mm_movemask_epi8(std::bit_cast<__m128i>(mask)));
#else
    std::uint16_t bits = 0;
    for (std::size_t i = 0; i < k_block; ++i)
        bits = static_cast<std::uint16_t>(bits | ((mask[i] != 0 ? 1U : 0U) << i));
    return bits;
#endif
}

inline bool any_set(Mask mask) {
    std::uint64_t halves[2];
    std::memcpy(halves, &mask, k_block);
    return (halves[0] | halves[1]) != 0;
}

// True when some byte of [p, end) is `limit` or below (unsigned).
inline bool any_at_most(const char* p, const char* end, unsigned char limit) {
    for (; end - p >= static_cast<std::ptrdiff_t>(k_block); p += k_block)
        if (any_set(load(p) <= limit))
            return true;
    for (; p < end; ++p)
        if (static_cast<unsigned char>(*p) <= limit)
            return true;
    return false;
}

} // namespace newsmon::parsers::scan
