// `newsmon web`: the read-side process, serving the JSON API until SIGTERM or SIGINT.
#include <csignal>

#include <fmt/core.h>

#include "base/log.hpp"
#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "service/signals.hpp"
#include "web/api_server.hpp"

namespace newsmon::cli {

int command_web(const GlobalOptions& options) {
    service::SignalWatcher signals; // before the workers start, so they inherit the mask
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto server = web::ApiServer::start(*config);
    if (!server) {
        fmt::print(stderr, "error: {}\n", server.error());
        return k_exit_failure;
    }
    log::info("web listening",
              {log::field("listen", config->web.listen), log::field("port", (*server)->port())});
    for (;;) {
        auto signal = signals.wait(std::chrono::seconds{60});
        if (signal && *signal != SIGHUP)
            break;
    }
    log::info("web stopping");
    (*server)->stop();
    return k_exit_ok;
}

} // namespace newsmon::cli
