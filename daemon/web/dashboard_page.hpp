// The dashboard at /: topic volume charts, the stories most outlets carry now, the latest
// tagged articles, spike rules, feeds that need attention and the alert rules' deliveries.
// Rendering only: page_routes gathers the data.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/svg_chart.hpp"

namespace newsmon::web {

struct TopicVolume {
    std::string topic;
    std::vector<ChartPoint> days;  // the last 30 days, one point per UTC day
    std::vector<ChartPoint> hours; // the last 7 days, one point per hour
};

struct DashboardData {
    std::vector<TopicVolume> volumes;
    nlohmann::json top_stories; // store::web_top_stories
    nlohmann::json latest;      // store::web_latest_tagged
    nlohmann::json spikes;      // store::web_spike_states
    nlohmann::json feeds;       // store::web_feeds
    nlohmann::json alerts;      // store::web_alert_rules
};

[[nodiscard]] std::string render_dashboard(const DashboardData& data);

// A topic's buckets as the API answers them ({"start", "articles", "stories"}) as chart points.
[[nodiscard]] std::vector<ChartPoint> chart_points(const nlohmann::json& buckets);

} // namespace newsmon::web
