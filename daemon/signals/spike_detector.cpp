#include "signals/spike_detector.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace newsmon::signals {
namespace {

constexpr int k_days_per_week = 7;
constexpr double k_seconds_per_day = 86'400;
constexpr int k_weeks_for_weekday_levels = 2;
constexpr double k_lowest_level = 0.1;      // a weekday's level relative to the average day
constexpr double k_expected_floor = 0.25;   // a topic never seen yet still has some chance
constexpr int k_windows_for_neighbours = 3; // windows of 8 hours or less
constexpr int k_tail_terms = 100'000;       // the tail sum's bound, far beyond any real count

double mean_of(const std::vector<double>& values) {
    if (values.empty())
        return 0;
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double variance_of(const std::vector<double>& values) {
    if (values.size() < 2)
        return 0;
    double mean = mean_of(values), sum = 0;
    for (double value : values)
        sum += (value - mean) * (value - mean);
    return sum / static_cast<double>(values.size() - 1);
}

// The calendar day (0: today, 1: yesterday, ...) that window `index` lies in.
int day_of(const SpikeSeries& series, int index) {
    return (index + series.windows_per_day - series.windows_into_day) / series.windows_per_day;
}

// Calendar day d's level: the stories of all its windows.
double day_total(const SpikeSeries& series, int day) {
    const int per_day = series.windows_per_day;
    double total = 0;
    for (int k = (day - 1) * per_day + series.windows_into_day;
         k < day * per_day + series.windows_into_day && k < static_cast<int>(series.counts.size());
         ++k)
        total += series.counts[static_cast<std::size_t>(k)];
    return total;
}

// Each weekday's level relative to the average day, by calendar day modulo 7 (0 is today's
// weekday), from the days 1..days before today; all 1 when there are not two weeks.
std::vector<double> weekday_levels(const SpikeSeries& series, int days) {
    std::vector<double> levels(k_days_per_week, 1.0);
    if (days < k_days_per_week * k_weeks_for_weekday_levels)
        return levels;
    std::vector<double> sums(k_days_per_week, 0), seen(k_days_per_week, 0);
    double all = 0;
    for (int day = 1; day <= days; ++day) {
        double total = day_total(series, day);
        sums[static_cast<std::size_t>(day % k_days_per_week)] += total;
        seen[static_cast<std::size_t>(day % k_days_per_week)] += 1;
        all += total;
    }
    double average = all / days;
    if (average <= 0)
        return levels;
    for (std::size_t weekday = 0; weekday < levels.size(); ++weekday)
        levels[weekday] = std::max(sums[weekday] / seen[weekday] / average, k_lowest_level);
    return levels;
}

// The samples without their highest and lowest fourteenth: a burst on one earlier day (or a
// feed that was down) moves the baseline little.
std::vector<double> trimmed(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    if (values.size() < 5)
        return values;
    auto cut = static_cast<std::ptrdiff_t>(std::max<std::size_t>(1, values.size() / 14));
    return {values.begin() + cut, values.end() - cut};
}

// The windows at the same time of day on each earlier day, and with short windows their
// neighbours on either side too (three times the samples, the rhythm's slope cancelling out),
// each divided by the level of the weekday it lies in.
std::vector<double> same_time_samples(const SpikeSeries& series, int days,
                                      const std::vector<double>& levels) {
    const int per_day = series.windows_per_day;
    const int spread = per_day >= k_windows_for_neighbours ? 1 : 0;
    std::vector<double> samples;
    for (int day = 1; day <= days; ++day)
        for (int offset = -spread; offset <= spread; ++offset) {
            int index = day * per_day + offset;
            if (index <= 0 || index >= static_cast<int>(series.counts.size()) ||
                index >= (days + 1) * per_day)
                continue;
            double level =
                levels[static_cast<std::size_t>(day_of(series, index) % k_days_per_week)];
            samples.push_back(series.counts[static_cast<std::size_t>(index)] / level);
        }
    return samples;
}

double log_negative_binomial(double k, double r, double p) {
    return std::lgamma(k + r) - std::lgamma(k + 1) - std::lgamma(r) + r * std::log(p) +
           k * std::log1p(-p);
}

double log_poisson(double k, double mean) {
    return k * std::log(mean) - mean - std::lgamma(k + 1);
}

} // namespace

SpikeSeries empty_series(std::int64_t window_seconds, int baseline_days, double now,
                         double history_from) {
    const auto window = static_cast<double>(window_seconds);
    SpikeSeries series;
    series.windows_per_day = static_cast<int>(k_seconds_per_day / window);
    series.counts.assign(static_cast<std::size_t>((baseline_days + 1) * series.windows_per_day),
                         0.0);
    double time_of_day = std::fmod(now, k_seconds_per_day);
    series.windows_into_day = static_cast<int>((time_of_day + window / 2) / window);
    double history = (now - history_from) / k_seconds_per_day;
    series.history_days = static_cast<int>(
        std::clamp(std::floor(history) - 1, 0.0, static_cast<double>(baseline_days)));
    return series;
}

SpikeBaseline baseline_of(const SpikeSeries& series) {
    SpikeBaseline baseline;
    int available =
        static_cast<int>(series.counts.size()) / std::max(series.windows_per_day, 1) - 1;
    baseline.days = std::clamp(series.history_days, 0, std::max(available, 0));
    if (baseline.days == 0 || series.windows_per_day <= 0)
        return baseline;
    auto levels = weekday_levels(series, baseline.days);
    auto samples = same_time_samples(series, baseline.days, levels);
    samples = trimmed(std::move(samples));
    double mean = mean_of(samples);
    double today = levels[static_cast<std::size_t>(day_of(series, 0) % k_days_per_week)];
    baseline.expected = today * mean;
    // Over-dispersion seen in the samples, never less than Poisson's, plus the mean's own error.
    double dispersion = mean > 0 ? std::max(1.0, variance_of(samples) / mean) : 1.0;
    baseline.variance =
        baseline.expected * dispersion * (1.0 + 1.0 / static_cast<double>(samples.size()));
    return baseline;
}

double upper_tail(double count, double mean, double variance) {
    if (count <= 0)
        return 1;
    mean = std::max(mean, k_expected_floor);
    bool poisson = variance <= mean * (1 + 1e-9);
    double r = poisson ? 0 : mean * mean / (variance - mean);
    double p = poisson ? 0 : r / (r + mean);
    auto log_term = [&](double k) {
        return poisson ? log_poisson(k, mean) : log_negative_binomial(k, r, p);
    };
    // Summed upwards from the count: past the mode each term is smaller than the last, so the
    // sum stops once they no longer change it; the small tails that matter stay exact.
    double first = log_term(count), sum = 0;
    for (int i = 0; i < k_tail_terms; ++i) {
        double k = count + i;
        double term = std::exp(log_term(k) - first);
        sum += term;
        if (k > mean && term < 1e-12 * sum)
            break;
    }
    return std::min(1.0, std::exp(first) * sum);
}

SpikeVerdict evaluate_spike(const SpikeSeries& series, bool in_episode,
                            const SpikeSettings& settings) {
    SpikeVerdict verdict;
    verdict.in_episode = in_episode;
    verdict.count = series.counts.empty() ? 0 : series.counts[0];
    SpikeBaseline baseline = baseline_of(series);
    verdict.expected = baseline.expected;
    if (baseline.days < k_min_history_days)
        return verdict;
    verdict.judged = true;
    double floor = std::max(baseline.expected, k_expected_floor);
    verdict.ratio = verdict.count / floor;
    verdict.p_value = upper_tail(verdict.count, floor, std::max(baseline.variance, floor));
    bool above_floor = verdict.count >= settings.min_count;
    bool spike = above_floor && verdict.ratio >= settings.min_ratio &&
                 verdict.p_value < settings.max_p_value;
    bool still_high = above_floor && verdict.ratio >= settings.release_ratio &&
                      verdict.p_value < settings.release_p_value;
    verdict.fire = spike && !in_episode;
    verdict.in_episode = in_episode ? still_high : spike;
    return verdict;
}

} // namespace newsmon::signals
