#include "store/web_feeds.hpp"

#include <optional>
#include <string>

#include "store/json_field.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_feeds = R"sql(
SELECT h.feed, h.url,
       to_char(h.last_polled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       h.last_http_status, h.consecutive_failures, h.last_error, h.articles_24h,
       to_char(h.last_article_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(h.silent, false), h.consecutive_failures > 0,
       f.next_poll_at + f.poll_interval < now() AND coalesce(f.lease_until < now(), true),
       to_char(f.next_poll_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM feed_health h JOIN feeds f ON f.url = h.url
 ORDER BY h.feed, h.url
)sql";

} // namespace

nlohmann::json web_feeds(pqxx::connection& connection) {
    pqxx::read_transaction tx{connection};
    nlohmann::json feeds = nlohmann::json::array();
    for (const auto& row : tx.exec(k_feeds))
        feeds.push_back({{"name", row[0].as<std::string>()},
                         {"url", row[1].as<std::string>()},
                         {"last_polled_at", json_or_null<std::string>(row[2])},
                         {"last_http_status", json_or_null<int>(row[3])},
                         {"consecutive_failures", row[4].as<int>()},
                         {"last_error", json_or_null<std::string>(row[5])},
                         {"articles_24h", row[6].as<std::int64_t>()},
                         {"last_article_at", json_or_null<std::string>(row[7])},
                         {"next_poll_at", row[11].as<std::string>()},
                         {"health",
                          {{"failing", row[9].as<bool>()},
                           {"silent", row[8].as<bool>()},
                           {"overdue", row[10].as<bool>()}}}});
    return feeds;
}

} // namespace newsmon::store
