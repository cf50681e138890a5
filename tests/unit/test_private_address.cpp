#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "fetch/private_address.hpp"

using newsmon::fetch::is_private_address;

namespace {

// The address as text, v4 or v6, classified as the fetcher's socket check sees it.
bool is_private(const std::string& text) {
    sockaddr_in v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        return is_private_address(reinterpret_cast<const sockaddr*>(&v4));
    }
    sockaddr_in6 v6{};
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr), 1) << text;
    v6.sin6_family = AF_INET6;
    return is_private_address(reinterpret_cast<const sockaddr*>(&v6));
}

struct Range {
    const char* below; // the last address before the range (public), or nullptr
    const char* first;
    const char* last;
    const char* above; // the first address after the range (public), or nullptr
};

void expect_range(const Range& range) {
    if (range.below) {
        EXPECT_FALSE(is_private(range.below)) << range.below;
    }
    EXPECT_TRUE(is_private(range.first)) << range.first;
    EXPECT_TRUE(is_private(range.last)) << range.last;
    if (range.above) {
        EXPECT_FALSE(is_private(range.above)) << range.above;
    }
}

} // namespace

TEST(PrivateAddress, EveryIpv4RangeWithItsEdges) {
    expect_range({nullptr, "0.0.0.0", "0.255.255.255", "1.0.0.0"});
    expect_range({"9.255.255.255", "10.0.0.0", "10.255.255.255", "11.0.0.0"});
    expect_range({"100.63.255.255", "100.64.0.0", "100.127.255.255", "100.128.0.0"});
    expect_range({"126.255.255.255", "127.0.0.0", "127.255.255.255", "128.0.0.0"});
    expect_range({"169.253.255.255", "169.254.0.0", "169.254.255.255", "169.255.0.0"});
    expect_range({"172.15.255.255", "172.16.0.0", "172.31.255.255", "172.32.0.0"});
    expect_range({"191.255.255.255", "192.0.0.0", "192.0.0.255", "192.0.1.0"});
    expect_range({"192.167.255.255", "192.168.0.0", "192.168.255.255", "192.169.0.0"});
    expect_range({"198.17.255.255", "198.18.0.0", "198.19.255.255", "198.20.0.0"});
    expect_range({"223.255.255.255", "224.0.0.0", "255.255.255.255", nullptr});
    EXPECT_FALSE(is_private("8.8.8.8"));
}

TEST(PrivateAddress, EveryIpv6RangeWithItsEdges) {
    EXPECT_TRUE(is_private("::"));
    EXPECT_TRUE(is_private("::1"));
    expect_range({"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                  "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::"});
    expect_range({"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                  "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nullptr});
    expect_range({nullptr, "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nullptr});
    expect_range({"fe00::", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nullptr});
    expect_range({"64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff",
                  "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "64:ff9b:2::"});
    EXPECT_FALSE(is_private("2001:4860:4860::8888"));
}

TEST(PrivateAddress, Ipv6CarryingAnIpv4AddressIsJudgedByIt) {
    // IPv4-mapped ::ffff:0:0/96
    EXPECT_TRUE(is_private("::ffff:127.0.0.1"));
    EXPECT_TRUE(is_private("::ffff:169.254.169.254"));
    EXPECT_TRUE(is_private("::ffff:198.19.255.255"));
    EXPECT_FALSE(is_private("::ffff:198.20.0.0"));
    EXPECT_FALSE(is_private("::ffff:8.8.8.8"));
    // NAT64 64:ff9b::/96
    EXPECT_TRUE(is_private("64:ff9b::10.0.0.1"));
    EXPECT_TRUE(is_private("64:ff9b::169.254.169.254"));
    EXPECT_TRUE(is_private("64:ff9b::192.0.0.255"));
    EXPECT_FALSE(is_private("64:ff9b::192.0.1.0"));
    EXPECT_FALSE(is_private("64:ff9b::8.8.8.8"));
    // 6to4 2002::/16: the IPv4 address follows the prefix
    EXPECT_TRUE(is_private("2002:7f00:1::"));     // 127.0.0.1
    EXPECT_TRUE(is_private("2002:a9fe:a9fe::1")); // 169.254.169.254
    EXPECT_TRUE(is_private("2002:c612::"));       // 198.18.0.0
    EXPECT_FALSE(is_private("2002:808:808::1"));  // 8.8.8.8
    EXPECT_FALSE(is_private("2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    EXPECT_FALSE(is_private("2003::"));
    // IPv4-compatible ::/96
    EXPECT_TRUE(is_private("::10.1.2.3"));
    EXPECT_FALSE(is_private("::8.8.8.8"));
}
