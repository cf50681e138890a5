#include "web/svg_chart.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "newsmon/parsers/html.hpp"

namespace newsmon::web {
namespace {

constexpr double k_width = 600;
constexpr double k_height = 120;
constexpr double k_top = 14; // room for the largest value's label

} // namespace

std::string svg_volume_chart(const std::vector<ChartPoint>& points, const std::string& caption) {
    std::int64_t highest = 1;
    std::int64_t total_articles = 0;
    std::int64_t total_stories = 0;
    for (const auto& point : points) {
        highest = std::max({highest, point.articles, point.stories});
        total_articles += point.articles;
        total_stories += point.stories;
    }
    auto summary = fmt::format("{}: {} articles, {} stories in {} buckets", caption, total_articles,
                               total_stories, points.size());
    std::string svg = fmt::format(
        R"(<svg class="chart" viewBox="0 0 {} {}" preserveAspectRatio="none" role="img" )"
        R"(aria-label="{}" data-points="{}">)",
        k_width, k_height, parsers::escape_html(summary), points.size());
    svg += "<title>" + parsers::escape_html(summary) + "</title>";
    double step = points.empty() ? k_width : k_width / static_cast<double>(points.size());
    double scale = (k_height - k_top) / static_cast<double>(highest);
    svg += R"(<g class="articles">)";
    std::string line;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& point = points[i];
        double x = step * static_cast<double>(i);
        double bar = static_cast<double>(point.articles) * scale;
        svg += fmt::format(
            R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {} articles, {} stories</title></rect>)",
            x + step * 0.1, k_height - bar, step * 0.8, bar, parsers::escape_html(point.label),
            point.articles, point.stories);
        line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", x + step / 2,
                            k_height - static_cast<double>(point.stories) * scale);
    }
    svg += "</g>";
    if (!points.empty())
        svg += R"(<polyline class="stories" fill="none" points=")" + line + R"("/>)";
    svg += fmt::format(R"(<text class="scale" x="2" y="11">{}</text>)", highest);
    return svg + "</svg>";
}

} // namespace newsmon::web
