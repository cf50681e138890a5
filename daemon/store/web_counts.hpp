// A topic's volume over time for the web API: articles and stories opened per hour or per day.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace newsmon::store {

struct TopicCountQuery {
    std::string topic;
    bool hourly = false; // else daily (UTC days)
    std::string since;   // RFC 3339: the first bucket holds this time
};

// One entry per bucket from `since` to now, empty buckets included: {"start", "articles",
// "stories"}: the topic's articles published in the bucket, republications not counted, and the
// stories opened in it (their first article is one of those). Read from the topic rollups.
[[nodiscard]] nlohmann::json web_topic_counts(pqxx::connection& connection,
                                              const TopicCountQuery& query);

} // namespace newsmon::store
