#include "alerts/webhook_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "fetch/private_address.hpp"

namespace newsmon::alerts {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// A URL's host as the policy compares it: lower case, IPv6 brackets and a final dot dropped.
std::string host_key(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.ends_with('.'))
        host.remove_suffix(1);
    return lower(host);
}

bool plausible_host(std::string_view host) {
    return !host.empty() && host.size() <= 253 &&
           std::all_of(host.begin(), host.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '.' || c == '_';
           });
}

} // namespace

std::optional<WebhookPolicy::Network> WebhookPolicy::parse_network(std::string_view text) {
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

WebhookPolicy::WebhookPolicy(const std::vector<std::string>& allow) {
    for (const auto& entry : allow) {
        if (check_allow_entry(entry))
            continue;
        if (auto network = parse_network(entry))
            m_networks.push_back(*network);
        else
            m_hosts.push_back(host_key(entry));
    }
}

bool WebhookPolicy::listed(const sockaddr* address) const {
    const std::uint8_t* bytes = nullptr;
    bool v6 = address->sa_family == AF_INET6;
    if (address->sa_family == AF_INET)
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
    else if (v6)
        bytes = reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
    else
        return false;
    return std::any_of(m_networks.begin(), m_networks.end(), [&](const Network& network) {
        if (network.v6 != v6)
            return false;
        int whole = network.prefix / 8, bits = network.prefix % 8;
        if (std::memcmp(bytes, network.bytes.data(), static_cast<std::size_t>(whole)) != 0)
            return false;
        if (bits == 0)
            return true;
        auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits));
        auto at = static_cast<std::size_t>(whole);
        return (bytes[at] & mask) == (network.bytes[at] & mask);
    });
}

bool WebhookPolicy::allows(std::string_view host, const sockaddr* address) const {
    if (!fetch::is_private_address(address))
        return true;
    if (std::find(m_hosts.begin(), m_hosts.end(), host_key(host)) != m_hosts.end())
        return true;
    return listed(address);
}

std::optional<std::string> check_allow_entry(const std::string& entry) {
    if (WebhookPolicy::parse_network(entry))
        return std::nullopt;
    if (entry.find_first_of("/:") == std::string::npos && plausible_host(entry))
        return std::nullopt;
    return "expected a host name, an address or a network such as 10.1.0.0/16, got \"" + entry +
           "\"";
}

} // namespace newsmon::alerts
