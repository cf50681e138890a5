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

struct sockaddr;

namespace newsmon::alerts {

class WebhookPolicy {
public:
    WebhookPolicy() = default;
    // Entries that are not a network are host names; entries check_allow_entry refuses are
    // left out.
    explicit WebhookPolicy(const std::vector<std::string>& allow);

    // Whether a transfer to `host` (as the URL spells it) may connect to `address`.
    [[nodiscard]] bool allows(std::string_view host, const sockaddr* address) const;

private:
    struct Network {
        bool v6 = false;
        std::array<std::uint8_t, 16> bytes{};
        int prefix = 0;
    };
    [[nodiscard]] static std::optional<Network> parse_network(std::string_view text);
    [[nodiscard]] bool listed(const sockaddr* address) const;

    std::vector<std::string> m_hosts; // lower case
    std::vector<Network> m_networks;

    friend std::optional<std::string> check_allow_entry(const std::string& entry);
};

// The config's check of one webhook_allow entry: an address, a network (CIDR) or a host name.
[[nodiscard]] std::optional<std::string> check_allow_entry(const std::string& entry);

} // namespace newsmon::alerts
