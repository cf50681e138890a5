// `newsmon alert test NAME|QUERY`: what a saved rule or a query would have matched among the
// stored articles, and for a spike rule the series of its windows and the episodes it would
// have alerted.
#pragma once

#include "cli/commands.hpp"
#include "config/config.hpp"

namespace newsmon::cli {

int test_rule_or_query(const config::Config& config, const AlertCommand& command);

} // namespace newsmon::cli
