// Which addresses a public feed (or a webhook not listed in webhook_allow) must never make the
// daemon connect to. No libcurl: the fetcher, the alert channels and the config check share it.
#pragma once

struct sockaddr;

namespace newsmon::fetch {

// True for loopback, private, link-local, site-local, carrier-grade NAT, benchmarking, IETF
// protocol, reserved, unspecified and multicast addresses. An IPv6 address that carries an IPv4
// one (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address.
[[nodiscard]] bool is_private_address(const sockaddr* address);

} // namespace newsmon::fetch
