// The Atom feeds `newsmon web` serves beside the JSON API: a search, a topic, an alert rule's
// deliveries, each as the newest articles in an Atom 1.0 document. Parameters are read as the
// API reads them, and refused the same way (JSON errors naming the parameter).
#pragma once

#include "config/config.hpp"

namespace httplib {
class Server;
}

namespace newsmon::web {

class ConnectionPool;

// GET /feeds/search.atom, /feeds/topics/{topic}.atom and /feeds/alerts/{name}.atom on
// `server`, reading through `pool`; `config` (topics and feeds are checked against it) and
// `pool` must outlive the server.
void add_atom_routes(httplib::Server& server, const config::Config& config, ConnectionPool& pool);

} // namespace newsmon::web
