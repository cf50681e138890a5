#include "cli/command_support.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/cli.hpp"

#include "base/log.hpp"
#include "config/units.hpp"
#include "newsmon/parsers/dates.hpp"
#include "rules/query.hpp"
#include "store/redact.hpp"

namespace newsmon::cli {

// Loads the config and prints every diagnostic; nullopt when the config cannot be used.
std::optional<config::Config> load_or_report(const GlobalOptions& options) {
    auto path = config::default_config_path(options.config_file);
    auto loaded = config::load_config(path);
    for (const auto& diagnostic : loaded.diagnostics)
        fmt::print(stderr, "{}\n", diagnostic.to_string());
    if (loaded.config)
        log::setup(loaded.config->log.level, loaded.config->log.format, options.log_level);
    return std::move(loaded.config);
}

namespace {

std::unique_ptr<store::Store> connect(const std::string& url) {
    try {
        return std::make_unique<store::Store>(url);
    } catch (const std::exception& error) {
        fmt::print(stderr, "error: cannot connect to the database: {}\n",
                   store::redact_passwords(error.what()));
        return nullptr;
    }
}

} // namespace

std::unique_ptr<store::Store> open_store(const config::Config& config) {
    return connect(config.database.url);
}

std::unique_ptr<store::Store> open_read_store(const config::Config& config) {
    return connect(config.database.reads());
}

// The whole of a file, or of standard input for "-".
int read_input(const std::string& input, std::string& bytes) {
    if (input == "-") {
        bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        return k_exit_ok;
    }
    std::ifstream in(input, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "error: {}: cannot open the file\n", input);
        return k_exit_usage;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return k_exit_ok;
}

std::optional<std::string> since_timestamp(const std::string& text) {
    if (auto instant = parsers::parse_date(text))
        return parsers::format_rfc3339(*instant);
    if (auto age = config::parse_duration(text)) {
        auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        return parsers::format_rfc3339(now -
                                       std::chrono::duration_cast<std::chrono::seconds>(*age));
    }
    return std::nullopt;
}

bool read_since_option(const std::string& text, std::optional<std::string>& since) {
    if (text.empty())
        return true;
    since = since_timestamp(text);
    if (since)
        return true;
    fmt::print(stderr,
               "error: --since: expected a date (2025-11-01), a time (2025-11-01T10:00:00Z) or a "
               "duration (30d), got \"{}\"\n",
               text);
    return false;
}

bool check_topic_option(const config::Config& config, const std::string& topic) {
    bool known = std::any_of(config.topics.begin(), config.topics.end(),
                             [&](const auto& configured) { return configured.name == topic; });
    if (!known)
        fmt::print(stderr, "error: --topic: no topic named \"{}\" in the config\n", topic);
    return known;
}

void print_query_warnings(const std::string& query) {
    for (const auto& warning : rules::query_warnings(query))
        fmt::print(stderr, "warning: {}\n", warning.to_string());
}

} // namespace newsmon::cli
