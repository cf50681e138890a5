// The API's writes: adding an alert rule and switching one on or off. Each needs the bearer
// token (public_read never opens them) and runs as [web] write_role on a connection of its own,
// so the read workers keep their read-only analyst connections.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "config/config.hpp"

namespace newsmon::web {

// Registers POST /api/v1/alerts, /api/v1/alerts/{name}/enable and …/disable on `server`.
// `config` and `token` (the server's, nullopt: none configured) must outlive the server.
void add_write_routes(httplib::Server& server, const config::Config& config,
                      const std::optional<std::string>& token);

} // namespace newsmon::web
