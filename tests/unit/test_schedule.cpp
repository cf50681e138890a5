#include <gtest/gtest.h>

#include "schedule/schedule.hpp"

using namespace newsmon::schedule;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

PollFacts facts_for(Duration interval, bool failed = false, int failures = 0) {
    PollFacts facts;
    facts.interval = interval;
    facts.failed = failed;
    facts.consecutive_failures = failures;
    return facts;
}

} // namespace

TEST(Schedule, JitterSpreadsByTenPercentAtMost) {
    PollFacts facts = facts_for(15min);
    EXPECT_EQ(next_delay(facts, 0.0), 15min);
    EXPECT_EQ(next_delay(facts, 1.0), duration_cast<Duration>(16min + 30s));
    EXPECT_EQ(next_delay(facts, -1.0), duration_cast<Duration>(13min + 30s));
    EXPECT_EQ(next_delay(facts, 7.0), next_delay(facts, 1.0)); // clamped
}

TEST(Schedule, FailuresBackOffExponentiallyUpToTheCap) {
    PollFacts facts = facts_for(15min, true, 1);
    EXPECT_EQ(next_delay(facts, 0), 15min);
    facts.consecutive_failures = 3;
    EXPECT_EQ(next_delay(facts, 0), 60min);
    facts.consecutive_failures = 12;
    EXPECT_EQ(next_delay(facts, 0), 24h);
    facts.max_backoff = 6h;
    EXPECT_EQ(next_delay(facts, 0), 6h);
    facts.consecutive_failures = 500; // never overflows, never gives up
    EXPECT_EQ(next_delay(facts, 0), 6h);
    EXPECT_EQ(next_delay(facts, 1.0), 6h); // jitter never pushes past the cap
}

TEST(Schedule, NeverSoonerThanTheServerAllows) {
    PollFacts facts = facts_for(15min);
    facts.retry_after = 2h;
    EXPECT_EQ(next_delay(facts, -1.0), 2h);
    facts.retry_after.reset();
    facts.max_age = 1h;
    EXPECT_EQ(next_delay(facts, 0), 1h);
    facts.max_age = 1min; // shorter than the interval: the interval stands
    EXPECT_EQ(next_delay(facts, 0), 15min);
    facts.feed_ttl = 30min;
    EXPECT_EQ(next_delay(facts, 0), 30min);
}

TEST(Schedule, RetryAfterInSecondsOrAsADate) {
    auto now = sys_seconds{sys_days{2025y / 11 / 7}} + 10h;
    EXPECT_EQ(parse_retry_after("120", now), Duration{120s});
    EXPECT_EQ(parse_retry_after(" 3600\r", now), Duration{3600s});
    EXPECT_EQ(parse_retry_after("Fri, 07 Nov 2025 10:30:00 GMT", now), Duration{30min});
    EXPECT_EQ(parse_retry_after("Fri, 07 Nov 2025 09:00:00 GMT", now), Duration{0s});
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_FALSE(parse_retry_after("-5", now));
}

TEST(Schedule, MaxAgeUnlessCachingIsForbidden) {
    EXPECT_EQ(parse_max_age("public, max-age=600"), Duration{600s});
    EXPECT_EQ(parse_max_age("Max-Age=60, must-revalidate"), Duration{60s});
    EXPECT_FALSE(parse_max_age("no-cache, max-age=600"));
    EXPECT_FALSE(parse_max_age("private"));
    EXPECT_FALSE(parse_max_age("max-age=abc"));
}

TEST(Schedule, AutoIntervalFollowsThePublishingRhythm) {
    auto t = sys_seconds{sys_days{2025y / 11 / 7}};
    std::vector<sys_seconds> wire, blog;
    for (int i = 0; i < 20; ++i) {
        wire.push_back(t - minutes{10 * i}); // every 10 minutes
        blog.push_back(t - days{7 * i});     // weekly
    }
    EXPECT_EQ(adaptive_interval(wire, 2min, 24h, 15min), 5min);
    EXPECT_EQ(adaptive_interval(blog, 2min, 24h, 15min), 24h);
    EXPECT_EQ(adaptive_interval({t}, 2min, 24h, 15min), 15min);
    EXPECT_EQ(adaptive_interval(wire, 8min, 24h, 15min), 8min);
}
