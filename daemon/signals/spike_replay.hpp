// A spike rule run over stored history, as `alert test NAME` shows it: the detector asked at
// the end of every window of a span, each verdict carried into the next as the daemon carries
// its state, and the episodes that would have been alerted. Pure: hits in, series out.
#pragma once

#include <cstdint>
#include <vector>

#include "signals/spike_detector.hpp"

namespace newsmon::signals {

// An article the rule matched: when it was published (seconds since the epoch) and its story.
struct SpikeHit {
    std::int64_t published = 0;
    std::int64_t story_id = 0;
};

struct ReplaySpan {
    std::int64_t window_seconds = 3600; // divides a day
    int baseline_days = 14;
    std::int64_t history_from = 0; // the first time with stored articles: no evidence before
    std::int64_t from = 0;         // the windows ending after this
    std::int64_t to = 0;           // and at or before this are judged
};

struct ReplayPoint {
    std::int64_t window_end = 0;
    SpikeVerdict verdict;
};

struct ReplayEpisode {
    std::int64_t began = 0; // end of the window that fired
    std::int64_t ended = 0; // end of the first window no longer in it; 0 while it goes on
    double peak_count = 0;
    double peak_ratio = 0;
};

struct SpikeReplay {
    std::vector<ReplayPoint> series;
    std::vector<ReplayEpisode> episodes;
};

[[nodiscard]] SpikeReplay replay_spikes(const std::vector<SpikeHit>& hits, const ReplaySpan& span,
                                        const SpikeSettings& settings);

} // namespace newsmon::signals
