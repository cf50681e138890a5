// What the subcommands share: loading the config with its diagnostics printed, and opening the
// database with a clear error.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace newsmon::cli {

// Loads the config and prints every diagnostic; nullopt when the config cannot be used.
[[nodiscard]] std::optional<config::Config> load_or_report(const GlobalOptions& options);

// Connects, or prints "cannot connect to the database" and returns null.
[[nodiscard]] std::unique_ptr<store::Store> open_store(const config::Config& config);
// The same for a command that only reads: to [database] read_url when it is set.
[[nodiscard]] std::unique_ptr<store::Store> open_read_store(const config::Config& config);

// The whole of a file, or of standard input for "-", into `bytes`; prints why not and returns
// the exit status for usage errors when it cannot.
// "2025-11-01", "2025-11-01T10:00:00Z" or a duration back from now ("30d"), as RFC 3339.
[[nodiscard]] std::optional<std::string> since_timestamp(const std::string& text);

// The --since option as RFC 3339 into `since` (left alone when `text` is empty); false after
// saying what is wrong.
[[nodiscard]] bool read_since_option(const std::string& text, std::optional<std::string>& since);

// Whether the config has a topic of that name; false after saying it has not.
[[nodiscard]] bool check_topic_option(const config::Config& config, const std::string& topic);

// Prints on stderr what the query may not mean as written (an operator not in capitals).
void print_query_warnings(const std::string& query);

int read_input(const std::string& input, std::string& bytes);

} // namespace newsmon::cli
