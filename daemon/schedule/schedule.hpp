// When a feed is polled next: its interval with jitter, backoff after failures, and never
// sooner than the server allows.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace newsmon::schedule {

using Duration = std::chrono::milliseconds;

struct PollFacts {
    Duration interval;                   // the feed's configured (or adapted) interval
    bool failed = false;                 // this poll failed
    int consecutive_failures = 0;        // counting this poll
    std::optional<Duration> retry_after; // from a 429 or 503
    std::optional<Duration> max_age;     // Cache-Control: max-age
    std::optional<Duration> feed_ttl;    // RSS <ttl> or sy:updatePeriod
    Duration max_backoff = std::chrono::hours{24};
};

// `jitter` is a number in [-1, 1]: the delay moves by up to 10% either way, so feeds spread out.
[[nodiscard]] Duration next_delay(const PollFacts& facts, double jitter);

// interval = "auto": half the typical gap between the feed's recent articles (publication
// times, newest first), clamped to [minimum, maximum]; `fallback` with too few articles.
[[nodiscard]] Duration adaptive_interval(const std::vector<std::chrono::sys_seconds>& published,
                                         Duration minimum, Duration maximum, Duration fallback);

// Retry-After as seconds or an HTTP date, relative to `now`.
[[nodiscard]] std::optional<Duration> parse_retry_after(std::string_view value,
                                                        std::chrono::sys_seconds now);

// The max-age of a Cache-Control header, unless no-cache/no-store forbid caching.
[[nodiscard]] std::optional<Duration> parse_max_age(std::string_view cache_control);

} // namespace newsmon::schedule
