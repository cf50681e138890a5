// The `newsmon` command line: global options and one function per subcommand.
#pragma once

namespace newsmon::cli {

// Exit statuses: 0 success, 1 a runtime failure (a feed or the database), 2 bad usage or config,
// 3 `search` found nothing.
constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;
constexpr int k_exit_nothing_found = 3;

int run(int argc, char** argv);

} // namespace newsmon::cli
