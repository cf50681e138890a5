// A topic as newsmon.toml defines it ([[topic]]): what the tagger compiles and looks for.
#pragma once

#include <string>
#include <vector>

namespace newsmon::tag {

struct TopicConfig {
    std::string name;
    std::string description;
    std::vector<std::string> terms;
    std::vector<std::string> exclude;
    int min_score = 1;
};

} // namespace newsmon::tag
