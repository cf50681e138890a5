// The entries of an address list in the config ([alerts] webhook_allow): an address, a network
// in CIDR form ("10.1.0.0/16"), or a host name. Checked as the config loads; matched by the
// policy that uses the list.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newsmon::config {

struct Network {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{}; // network byte order; IPv4 in the first four
    int prefix = 0;                       // bits that must match
};

// An address ("127.0.0.1", "::1") or a network ("10.1.0.0/16"); nullopt for anything else.
[[nodiscard]] std::optional<Network> parse_network(std::string_view text);

// Why `entry` is neither a network nor a plausible host name; nullopt when it is one.
[[nodiscard]] std::optional<std::string> check_address_entry(const std::string& entry);

} // namespace newsmon::config
