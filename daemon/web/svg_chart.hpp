// Charts drawn on the server as inline SVG: no script, no external file, so a page reads the
// same with JavaScript off and under a Content-Security-Policy that allows no script at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace newsmon::web {

struct ChartPoint {
    std::string label; // the bucket's start, as the API writes it
    std::int64_t articles = 0;
    std::int64_t stories = 0;
};

// Articles as bars and stories as a line over the buckets, one bar and one line point per
// bucket, each with a <title> a pointer or a screen reader shows. `caption` names the chart.
[[nodiscard]] std::string svg_volume_chart(const std::vector<ChartPoint>& points,
                                           const std::string& caption);

} // namespace newsmon::web
