#include "signals/spike_replay.hpp"

#include <map>
#include <set>

namespace newsmon::signals {
namespace {

// Window n holds what was published in ((n - 1) w, n w], as the daemon counts at a window's
// end: an article published exactly at n w counts in the window that ends then.
std::int64_t window_of(std::int64_t published, std::int64_t window) {
    std::int64_t n = published / window;
    return n * window < published ? n + 1 : n;
}

} // namespace

SpikeReplay replay_spikes(const std::vector<SpikeHit>& hits, const ReplaySpan& span,
                          const SpikeSettings& settings) {
    SpikeReplay replay;
    const std::int64_t window = span.window_seconds;
    if (window <= 0 || span.to <= span.from)
        return replay;
    std::map<std::int64_t, std::set<std::int64_t>> stories_by_window;
    for (const auto& hit : hits)
        stories_by_window[window_of(hit.published, window)].insert(hit.story_id);
    bool in_episode = false;
    for (std::int64_t n = span.from / window + 1; n * window <= span.to; ++n) {
        const std::int64_t end = n * window;
        SpikeSeries series = empty_series(window, span.baseline_days, static_cast<double>(end),
                                          static_cast<double>(span.history_from));
        for (std::size_t k = 0; k < series.counts.size(); ++k)
            if (auto found = stories_by_window.find(n - static_cast<std::int64_t>(k));
                found != stories_by_window.end())
                series.counts[k] = static_cast<double>(found->second.size());
        SpikeVerdict verdict = evaluate_spike(series, in_episode, settings);
        if (verdict.fire)
            replay.episodes.push_back({end, 0, verdict.count, verdict.ratio});
        else if (in_episode && verdict.in_episode) {
            auto& episode = replay.episodes.back();
            if (verdict.count > episode.peak_count) {
                episode.peak_count = verdict.count;
                episode.peak_ratio = verdict.ratio;
            }
        } else if (in_episode && !replay.episodes.empty())
            replay.episodes.back().ended = end;
        in_episode = verdict.in_episode;
        replay.series.push_back({end, verdict});
    }
    return replay;
}

} // namespace newsmon::signals
