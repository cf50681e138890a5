// What a spike alert says: the count of the window, what was expected, the ratio, and the top
// stories, as the webhook's JSON, plain text, a subject line and HTML.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace newsmon::alerts {

struct SpikeStory {
    std::int64_t story_id = 0;
    std::string title;
    int feed_count = 0;
    int article_count = 0;
    std::string url; // the story's first article
};

struct SpikeSummary {
    double count = 0;
    double expected = 0;
    double ratio = 0;
    double p_value = 1;
    long long window_seconds = 0;
    long long baseline_seconds = 0;
    std::string window_start, window_end; // RFC 3339, UTC
    std::vector<SpikeStory> stories;      // the most widely carried first
};

// alert_deliveries.spike as the evaluation wrote it.
[[nodiscard]] tl::expected<SpikeSummary, std::string> parse_spike_summary(std::string_view json);

// "1h", "30m", "1d", "90s": a duration as `--window` takes it.
[[nodiscard]] std::string duration_text(long long seconds);

// The webhook's fields for a spike (besides delivery_id, rule and kind).
[[nodiscard]] std::string spike_plain_text(const std::string& rule, const SpikeSummary& spike);
[[nodiscard]] std::string spike_subject(const std::string& rule, const SpikeSummary& spike);
[[nodiscard]] std::string spike_html(const std::string& rule, const SpikeSummary& spike);

} // namespace newsmon::alerts
