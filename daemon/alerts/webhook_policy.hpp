// Where webhooks may go: public addresses always; private, loopback and link-local ones only
// when [alerts] webhook_allow lists the host or a network holding the address. Checked on the
// addresses a transfer actually connects to, after name resolution.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/network_entry.hpp"

struct sockaddr;

namespace newsmon::alerts {

class WebhookPolicy {
public:
    WebhookPolicy() = default;
    // Entries that are not a network are host names; entries config::check_address_entry
    // refuses are left out.
    explicit WebhookPolicy(const std::vector<std::string>& allow);

    // Whether a transfer to `host` (as the URL spells it) may connect to `address`.
    [[nodiscard]] bool allows(std::string_view host, const sockaddr* address) const;

private:
    [[nodiscard]] bool listed(const sockaddr* address) const;

    std::vector<std::string> m_hosts; // lower case
    std::vector<config::Network> m_networks;
};

} // namespace newsmon::alerts
