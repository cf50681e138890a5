#include "alerts/webhook_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
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

} // namespace

WebhookPolicy::WebhookPolicy(const std::vector<std::string>& allow) {
    for (const auto& entry : allow) {
        if (config::check_address_entry(entry))
            continue;
        if (auto network = config::parse_network(entry))
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
    return std::any_of(m_networks.begin(), m_networks.end(), [&](const config::Network& network) {
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

} // namespace newsmon::alerts
