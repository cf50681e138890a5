#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "signals/spike_detector.hpp"
#include "signals/spike_replay.hpp"

using namespace newsmon::signals;

namespace {

constexpr int k_minutes_per_day = 24 * 60;
constexpr int k_baseline_days = 14;
constexpr int k_window_minutes = 60;
constexpr int k_poll_minutes = 15;

// Stories per hour at minute t of the generated history (day 0 a Monday): a daily rhythm
// (quiet nights, busy afternoons) and a weekly one (weekends at half the weekday level).
double rate_per_hour(int minute, double peak) {
    double hour = (minute % k_minutes_per_day) / 60.0;
    double daily = 0.15 + 0.85 * (1 - std::cos(2 * std::numbers::pi * (hour - 3) / 24)) / 2;
    int weekday = (minute / k_minutes_per_day) % 7;
    double weekly = weekday == 5 ? 0.5 : weekday == 6 ? 0.4 : 1.0;
    return peak * daily * weekly;
}

// New stories per minute: a Poisson flow at the rhythm's rate, seeded, so every run is alike.
class History {
public:
    History(int days, double peak, unsigned seed)
        : m_before(static_cast<std::size_t>(days * k_minutes_per_day) + 1, 0) {
        std::mt19937 random(seed);
        for (std::size_t minute = 0; minute + 1 < m_before.size(); ++minute) {
            std::poisson_distribution<int> flow(rate_per_hour(static_cast<int>(minute), peak) / 60);
            m_before[minute + 1] = m_before[minute] + flow(random);
        }
    }

    void add(int minute, int stories) {
        for (auto at = static_cast<std::size_t>(minute) + 1; at < m_before.size(); ++at)
            m_before[at] += stories;
    }

    // The series the store would give at `now` (a minute): windows ending at now, newest first.
    SpikeSeries series_at(int now, int window = k_window_minutes) const {
        SpikeSeries series;
        series.windows_per_day = k_minutes_per_day / window;
        series.windows_into_day = (now % k_minutes_per_day + window / 2) / window;
        series.history_days = std::min(k_baseline_days, now / k_minutes_per_day - 1);
        int windows = (k_baseline_days + 1) * series.windows_per_day;
        for (int k = 0; k < windows; ++k) {
            series.counts.push_back(stories_before(now - k * window) -
                                    stories_before(now - (k + 1) * window));
        }
        return series;
    }

    [[nodiscard]] int minutes() const { return static_cast<int>(m_before.size()) - 1; }

private:
    // Stories before minute t (prefix sums), 0 before the history starts.
    double stories_before(int minute) const {
        return minute <= 0 ? 0 : m_before[static_cast<std::size_t>(minute)];
    }
    std::vector<double> m_before;
};

struct Fired {
    int minute;
    SpikeVerdict verdict;
};

// Evaluates every 15 minutes from the end of the baseline to the end, carrying the episode
// state as the store does, and returns the evaluations that fired.
std::vector<Fired> run(const History& history, const SpikeSettings& settings = {}) {
    std::vector<Fired> fired;
    bool in_episode = false;
    for (int now = (k_baseline_days + 1) * k_minutes_per_day; now <= history.minutes();
         now += k_poll_minutes) {
        auto verdict = evaluate_spike(history.series_at(now), in_episode, settings);
        if (verdict.fire)
            fired.push_back({now, verdict});
        in_episode = verdict.in_episode;
    }
    return fired;
}

constexpr int k_days = k_baseline_days + 1 + 30;

} // namespace

TEST(SpikeDetector, ASteadyFlowWithDailyAndWeeklyRhythmFiresNothingInThirtyDays) {
    for (unsigned seed : {1u, 2u, 3u}) {
        for (double peak : {0.5, 3.0, 12.0, 60.0}) {
            History history(k_days, peak, seed);
            auto fired = run(history);
            EXPECT_TRUE(fired.empty())
                << "seed " << seed << " peak " << peak << ": fired at minute "
                << fired.front().minute << " count " << fired.front().verdict.count << " expected "
                << fired.front().verdict.expected;
        }
    }
}

TEST(SpikeDetector, ABurstFiresOnceWithinOnePollCycle) {
    History history(k_days, 6.0, 11);
    int burst = 20 * k_minutes_per_day + 14 * 60 + 5; // a Saturday afternoon
    for (int minute = burst; minute < burst + 10; ++minute)
        history.add(minute, 3);
    auto fired = run(history);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_GE(fired[0].minute, burst + 10);
    EXPECT_LE(fired[0].minute, burst + 10 + k_poll_minutes);
    EXPECT_GE(fired[0].verdict.count, 30);
    EXPECT_GE(fired[0].verdict.ratio, 3.0);
    EXPECT_LT(fired[0].verdict.p_value, 1e-6);
}

TEST(SpikeDetector, ASecondBurstAfterTheRateFellBackFiresAgain) {
    History history(k_days, 6.0, 12);
    int first = 22 * k_minutes_per_day + 10 * 60;
    int second = first + 6 * 60;
    for (int start : {first, second})
        for (int minute = start; minute < start + 10; ++minute)
            history.add(minute, 3);
    // A long burst in between: one episode however long it lasts.
    int long_burst = 30 * k_minutes_per_day + 9 * 60;
    for (int minute = long_burst; minute < long_burst + 5 * 60; ++minute)
        history.add(minute, 1);
    auto fired = run(history);
    ASSERT_EQ(fired.size(), 3u);
    EXPECT_LE(fired[0].minute - first, 10 + k_poll_minutes);
    EXPECT_LE(fired[1].minute - second, 10 + k_poll_minutes);
    EXPECT_LE(fired[2].minute - long_burst, 60);
}

TEST(SpikeDetector, AnEpisodeEndsOnlyWhenTheRateFallsBack) {
    SpikeSeries series;
    series.windows_per_day = 24;
    series.history_days = k_baseline_days;
    series.counts.assign((k_baseline_days + 1) * 24, 2.0);
    series.counts[0] = 30;
    auto first = evaluate_spike(series, false);
    EXPECT_TRUE(first.fire);
    EXPECT_TRUE(first.in_episode);
    auto again = evaluate_spike(series, true);
    EXPECT_FALSE(again.fire);
    EXPECT_TRUE(again.in_episode);
    series.counts[0] = 8; // lower, yet still far above normal: the same episode
    EXPECT_TRUE(evaluate_spike(series, true).in_episode);
    series.counts[0] = 2;
    EXPECT_FALSE(evaluate_spike(series, true).in_episode);
}

TEST(SpikeDetector, ZeroToTwoIsNoSpikeButZeroToSixIs) {
    SpikeSeries series;
    series.windows_per_day = 24;
    series.history_days = k_baseline_days;
    series.counts.assign((k_baseline_days + 1) * 24, 0.0);
    series.counts[0] = 2;
    auto two = evaluate_spike(series, false);
    EXPECT_TRUE(two.judged);
    EXPECT_FALSE(two.fire);
    series.counts[0] = 6;
    EXPECT_TRUE(evaluate_spike(series, false).fire);
    SpikeSettings stricter;
    stricter.min_count = 10;
    EXPECT_FALSE(evaluate_spike(series, false, stricter).fire);
}

TEST(SpikeDetector, WithoutHistoryNothingIsJudged) {
    SpikeSeries series;
    series.windows_per_day = 24;
    series.history_days = 1;
    series.counts.assign((k_baseline_days + 1) * 24, 0.0);
    series.counts[0] = 50;
    auto verdict = evaluate_spike(series, false);
    EXPECT_FALSE(verdict.judged);
    EXPECT_FALSE(verdict.fire);
}

TEST(SpikeDetector, TheWeeklyRhythmIsExpected) {
    // Fourteen days of 10 stories an hour on weekdays and 2 at weekends; now is a Monday (the
    // weekday of days 7 and 14) after a weekend: 10 is normal, not five times the weekend.
    SpikeSeries series;
    series.windows_per_day = 24;
    series.history_days = k_baseline_days;
    for (int day = 0; day <= k_baseline_days; ++day) {
        bool weekend = day % 7 == 1 || day % 7 == 2;
        for (int hour = 0; hour < 24; ++hour)
            series.counts.push_back(weekend ? 2 : 10);
    }
    auto baseline = baseline_of(series);
    EXPECT_NEAR(baseline.expected, 10, 0.5);
    EXPECT_FALSE(evaluate_spike(series, false).fire);
}

TEST(SpikeDetector, TailProbabilities) {
    EXPECT_NEAR(upper_tail(0, 3, 3), 1.0, 1e-12);
    // P(X >= 1) for Poisson(2) is 1 - e^-2.
    EXPECT_NEAR(upper_tail(1, 2, 2), 1 - std::exp(-2.0), 1e-9);
    // P(X >= 10) for Poisson(2).
    EXPECT_NEAR(upper_tail(10, 2, 2), 4.649807e-05, 1e-9);
    // Over-dispersion makes a high count likelier.
    EXPECT_GT(upper_tail(10, 2, 6), upper_tail(10, 2, 2));
}

// The replay `alert test` prints: windows ending on the hour, stories counted once however
// many articles they have, one episode per burst with when it began and ended.
TEST(SpikeReplay, CountsStoriesPerWindowAndFindsTheEpisodeABurstBegins) {
    constexpr std::int64_t hour = 3600, day = 24 * hour;
    const std::int64_t start = 20'000 * day; // a midnight, UTC
    std::vector<SpikeHit> hits;
    std::int64_t story = 0;
    for (std::int64_t at = start; at < start + 20 * day; at += hour) {
        hits.push_back({at + 600, ++story});
        hits.push_back({at + 1800, ++story});
    }
    const std::int64_t burst_end = start + 18 * day + 15 * hour;
    for (int i = 0; i < 20; ++i)
        hits.push_back({burst_end - 60 * i, ++story});
    // one story with many articles, a day later: still one story
    for (int i = 0; i < 30; ++i)
        hits.push_back({burst_end + day - 60 * i, story});
    ReplaySpan span{hour, 14, start, start + 17 * day, start + 20 * day};
    auto replay = replay_spikes(hits, span, {});
    ASSERT_EQ(replay.series.size(), 3u * 24);
    EXPECT_EQ(replay.series.front().window_end, start + 17 * day + hour);
    for (const auto& point : replay.series) {
        EXPECT_TRUE(point.verdict.judged);
        if (point.window_end == burst_end + day) {
            EXPECT_EQ(point.verdict.count, 3);
        }
    }
    ASSERT_EQ(replay.episodes.size(), 1u);
    EXPECT_EQ(replay.episodes[0].began, burst_end);
    EXPECT_EQ(replay.episodes[0].ended, burst_end + hour);
    EXPECT_EQ(replay.episodes[0].peak_count, 22);
    EXPECT_GT(replay.episodes[0].peak_ratio, 5);
}
