// Whether the count of a query's stories in the last window is far above what the baseline
// says is normal for that hour of the week. Pure: counts in, verdict out; no clock, no database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsmon::signals {

struct SpikeSettings {
    int min_count = 5;             // fewer stories than this in the window is never a spike
    double min_ratio = 3.0;        // nor is a count below this many times the expected one
    double max_p_value = 1e-6;     // nor one this likely under the baseline
    double release_ratio = 1.5;    // an episode ends once the count is below this many times the
    double release_p_value = 0.01; // expected one, or this likely, or below min_count
};

// Distinct stories per window, newest first: counts[0] is the window that ends now, counts[k]
// the one that ended k windows earlier. The windows tile whole days: windows_per_day of them
// make 24 hours, and counts holds (baseline days + 1) * windows_per_day of them.
struct SpikeSeries {
    std::vector<double> counts;
    int windows_per_day = 24;
    // The windows of today (UTC) before now, a window counted when its middle is past midnight:
    // where the weekdays change in the series (0..windows_per_day).
    int windows_into_day = 0;
    // The days before today for which articles were stored (the baseline's days, or fewer in a
    // young database): the days before are no evidence of a quiet topic.
    int history_days = 0;
};

// What the baseline says about the current window.
struct SpikeBaseline {
    double expected = 0; // stories expected in the current window
    double variance = 0; // of the count, over-dispersion and the estimate's own error included
    int days = 0;        // the days it rests on
};

struct SpikeVerdict {
    bool judged = false;     // false: too little history to tell (nothing changes)
    bool fire = false;       // a new episode begins: alert
    bool in_episode = false; // after this evaluation
    double count = 0;
    double expected = 0;
    double ratio = 0;   // count / expected (the expected count floored, so never infinite)
    double p_value = 1; // P(X >= count) under the baseline
};

// The series of an evaluation at `now` (seconds since the epoch, UTC), its counts all zero:
// (baseline_days + 1) days of `window_seconds` windows (which divide a day), where today
// begins in them, and the whole days of history since `history_from`, the yesterday in which
// it began not counted.
[[nodiscard]] SpikeSeries empty_series(std::int64_t window_seconds, int baseline_days, double now,
                                       double history_from);

// Days of history needed before anything is judged.
constexpr int k_min_history_days = 2;

// The expected count of the current window: the same window of each earlier day (same hour of
// day; with short windows their neighbours too), each divided by its weekday's level, the
// trimmed mean of those, times today's weekday level. A weekday's level is its calendar days'
// total over the average day's; it needs two weeks of history (with less, all days count
// alike).
[[nodiscard]] SpikeBaseline baseline_of(const SpikeSeries& series);

// P(X >= count) for a count with this mean and variance: Poisson when the variance is not
// above the mean, else negative binomial.
[[nodiscard]] double upper_tail(double count, double mean, double variance);

// `in_episode`: the rule's state after its previous evaluation.
[[nodiscard]] SpikeVerdict evaluate_spike(const SpikeSeries& series, bool in_episode,
                                          const SpikeSettings& settings = {});

} // namespace newsmon::signals
