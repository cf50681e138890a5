#include "fetch/private_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>

namespace newsmon::fetch {

namespace {

bool is_private_v4(std::uint32_t ip) {
    struct Block {
        std::uint32_t network;
        int prefix;
    };
    static constexpr Block k_blocks[] = {
        {0x00000000, 8},  // "this network" 0.0.0.0/8
        {0x0A000000, 8},  // private 10.0.0.0/8
        {0x64400000, 10}, // carrier-grade NAT 100.64.0.0/10
        {0x7F000000, 8},  // loopback 127.0.0.0/8
        {0xA9FE0000, 16}, // link-local 169.254.0.0/16 (cloud metadata)
        {0xAC100000, 12}, // private 172.16.0.0/12
        {0xC0000000, 24}, // IETF protocol assignments 192.0.0.0/24
        {0xC0A80000, 16}, // private 192.168.0.0/16
        {0xC6120000, 15}, // benchmarking 198.18.0.0/15
        {0xE0000000, 4},  // multicast 224.0.0.0/4
        {0xF0000000, 4},  // reserved and broadcast 240.0.0.0/4
    };
    return std::any_of(std::begin(k_blocks), std::end(k_blocks), [ip](const Block& block) {
        std::uint32_t mask = ~std::uint32_t{0} << (32 - block.prefix);
        return (ip & mask) == block.network;
    });
}

std::uint32_t v4_at(const unsigned char* bytes) {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

bool starts_with_bytes(const unsigned char* bytes, std::initializer_list<unsigned char> prefix) {
    return std::equal(prefix.begin(), prefix.end(), bytes);
}

bool is_private_v6(const in6_addr& address) {
    const unsigned char* b = address.s6_addr;
    // Addresses that carry an IPv4 address are judged by it: IPv4-mapped ::ffff:0:0/96 and
    // IPv4-compatible ::/96, NAT64 64:ff9b::/96, and 6to4 2002::/16 (the IPv4 in bytes 2-5).
    static constexpr unsigned char k_zero[10] = {};
    if (std::equal(std::begin(k_zero), std::end(k_zero), b) &&
        ((b[10] == 0xFF && b[11] == 0xFF) || (b[10] == 0 && b[11] == 0)))
        return is_private_v4(v4_at(b + 12)); // also ::1 and :: (0.0.0.1, 0.0.0.0)
    if (starts_with_bytes(b, {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0}))
        return is_private_v4(v4_at(b + 12));
    if (starts_with_bytes(b, {0x20, 0x02}))
        return is_private_v4(v4_at(b + 2));
    return starts_with_bytes(b, {0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01}) || // local NAT64 /48
           (b[0] & 0xFE) == 0xFC ||                                      // unique local fc00::/7
           (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) ||                    // link-local fe80::/10
           (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) ||                    // site-local fec0::/10
           b[0] == 0xFF;                                                 // multicast ff00::/8
}

} // namespace

bool is_private_address(const sockaddr* address) {
    if (address->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
        return is_private_v4(ntohl(v4->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6)
        return is_private_v6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
    return false;
}

} // namespace newsmon::fetch
