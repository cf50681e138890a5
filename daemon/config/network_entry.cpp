#include "config/network_entry.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace newsmon::config {
namespace {

bool plausible_host(std::string_view host) {
    return !host.empty() && host.size() <= 253 &&
           std::all_of(host.begin(), host.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '.' || c == '_';
           });
}

} // namespace

std::optional<Network> parse_network(std::string_view text) {
    Network network;
    auto slash = text.find('/');
    std::string address(text.substr(0, slash));
    if (inet_pton(AF_INET, address.c_str(), network.bytes.data()) == 1) {
        network.prefix = 32;
    } else if (inet_pton(AF_INET6, address.c_str(), network.bytes.data()) == 1) {
        network.v6 = true;
        network.prefix = 128;
    } else {
        return std::nullopt;
    }
    if (slash != std::string_view::npos) {
        auto digits = text.substr(slash + 1);
        int prefix = -1;
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
            prefix < 0 || prefix > network.prefix)
            return std::nullopt;
        network.prefix = prefix;
    }
    return network;
}

std::optional<std::string> check_address_entry(const std::string& entry) {
    if (parse_network(entry))
        return std::nullopt;
    if (entry.find_first_of("/:") == std::string::npos && plausible_host(entry))
        return std::nullopt;
    return "expected a host name, an address or a network such as 10.1.0.0/16, got \"" + entry +
           "\"";
}

} // namespace newsmon::config
