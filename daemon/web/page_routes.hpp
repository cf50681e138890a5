// The dashboard's routes on `newsmon web`'s server: /, /search, /articles/ID, /stories/ID and
// the stylesheet. Each page reads what it shows through store/ on a pooled connection and
// answers as HTML, errors included.
#pragma once

#include "config/config.hpp"

namespace httplib {
class Server;
}

namespace newsmon::web {

class ConnectionPool;

// `config` and `pool` must outlive the server.
void add_page_routes(httplib::Server& server, const config::Config& config, ConnectionPool& pool);

} // namespace newsmon::web
