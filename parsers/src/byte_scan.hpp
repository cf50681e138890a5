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

// Characters XML forbids: C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF
// (EF BF BE, EF BF BF in UTF-8).
inline bool is_forbidden_control(unsigned char c) {
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// A forbidden character starts at p (p < end).
inline bool forbidden_at(const unsigned char* p, const unsigned char* end) {
    if (*p < 0x20)
        return is_forbidden_control(*p);
    return *p == 0xEF && end - p >= 3 && p[1] == 0xBF && p[2] >= 0xBE;
}
inline bool forbidden_at(const char* p, const char* end) {
    return forbidden_at(reinterpret_cast<const unsigned char*>(p),
                        reinterpret_cast<const unsigned char*>(end));
}

// 64 bytes loaded once for several tests.
struct Group {
    Block part[4];

    explicit Group(const void* p) {
        const auto* bytes = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < 4; ++i)
            part[i] = load(bytes + i * k_block);
    }
    // One bit per byte equal to `a` or `b`, the first byte lowest.
    [[nodiscard]] std::uint64_t bits_equal(unsigned char a, unsigned char b) const {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < 4; ++i)
            bits |= std::uint64_t{bits_of((part[i] == a) | (part[i] == b))} << (i * k_block);
        return bits;
    }
    // One bit per byte equal to `a`, `b` or `c`.
    [[nodiscard]] std::uint64_t bits_equal(unsigned char a, unsigned char b,
                                           unsigned char c) const {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < 4; ++i)
            bits |= std::uint64_t{bits_of((part[i] == a) | (part[i] == b) | (part[i] == c))}
                    << (i * k_block);
        return bits;
    }
    [[nodiscard]] bool any_equal(unsigned char a, unsigned char b) const {
        Mask hits = (part[0] == a) | (part[0] == b);
        for (std::size_t i = 1; i < 4; ++i)
            hits |= (part[i] == a) | (part[i] == b);
        return any_set(hits);
    }
    // False when no byte is below 0x20 or from 0xEF up, which most groups are not: a cheap
    // test on the smallest and largest byte, before looking closer.
    [[nodiscard]] bool may_hold_controls() const {
        Block low = min(min(part[0], part[1]), min(part[2], part[3]));
        Block high = max(max(part[0], part[1]), max(part[2], part[3]));
        return any_set((low < 0x20) | (high >= 0xEF));
    }
    // False when no byte can start a forbidden character.
    [[nodiscard]] bool may_hold_forbidden() const {
        if (!may_hold_controls())
            return false;
        Mask suspect{};
        for (const Block& block : part)
            suspect |= ((block < 0x20) & (block != '\t') & (block != '\n') & (block != '\r')) |
                       (block == 0xEF);
        return any_set(suspect);
    }
};

inline bool may_hold_forbidden(const void* p) {
    return Group(p).may_hold_forbidden();
}

} // namespace newsmon::parsers::scan
