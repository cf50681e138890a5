#include "cli/command_support.hpp"

#include <fmt/core.h>

#include "service/log.hpp"

namespace newsmon::cli {

// Loads the config and prints every diagnostic; nullopt when the config cannot be used.
std::optional<config::Config> load_or_report(const GlobalOptions& options) {
    auto path = config::default_config_path(options.config_file);
    auto loaded = config::load_config(path);
    for (const auto& diagnostic : loaded.diagnostics)
        fmt::print(stderr, "{}\n", diagnostic.to_string());
    if (loaded.config)
        log::setup(loaded.config->log, options.log_level);
    return std::move(loaded.config);
}

std::unique_ptr<store::Store> open_store(const config::Config& config) {
    try {
        return std::make_unique<store::Store>(config.database.url);
    } catch (const std::exception& error) {
        fmt::print(stderr, "error: cannot connect to the database: {}\n", error.what());
        return nullptr;
    }
}

} // namespace newsmon::cli
