#include "store/feed_health.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_health = R"sql(
SELECT h.feed, h.url,
       to_char(h.last_polled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char((SELECT max(l.started_at) FROM fetch_log l
                 WHERE l.feed_id = f.id AND l.error IS NULL)
               AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       h.last_http_status, h.consecutive_failures, h.last_error, h.articles_24h,
       to_char(h.last_article_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(f.next_poll_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       h.consecutive_failures > 0, coalesce(h.silent, false),
       f.next_poll_at + f.poll_interval < now() AND coalesce(f.lease_until < now(), true)
  FROM feed_health h JOIN feeds f ON f.url = h.url
 ORDER BY h.feed, h.url
)sql";

template <class Value> std::optional<Value> nullable(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return field.as<Value>();
}

} // namespace

std::vector<FeedHealth> feed_health(pqxx::connection& connection) {
    pqxx::read_transaction tx{connection};
    std::vector<FeedHealth> feeds;
    for (const auto& row : tx.exec(k_health))
        feeds.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                         nullable<std::string>(row[2]), nullable<std::string>(row[3]),
                         nullable<int>(row[4]), row[5].as<int>(), nullable<std::string>(row[6]),
                         row[7].as<std::int64_t>(), nullable<std::string>(row[8]),
                         row[9].as<std::string>(), row[10].as<bool>(), row[11].as<bool>(),
                         row[12].as<bool>()});
    return feeds;
}

} // namespace newsmon::store
