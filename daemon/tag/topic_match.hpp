// What tagging found of one topic in one article; the store writes it to article_topics.
#pragma once

#include <string>
#include <vector>

namespace newsmon::tag {

struct TopicMatch {
    std::string topic;
    int score = 0;
    int hits = 0;
    std::vector<std::string> matched_terms;
    bool in_title = false;
};

} // namespace newsmon::tag
