#include "alerts/spike_message.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "newsmon/parsers/html.hpp"

namespace newsmon::alerts {
namespace {

std::string feeds_text(int feeds) {
    return feeds == 1 ? "1 feed" : fmt::format("{} feeds", feeds);
}

} // namespace

tl::expected<SpikeSummary, std::string> parse_spike_summary(std::string_view json) {
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return tl::unexpected(std::string("spike summary is not a JSON object"));
    try {
        SpikeSummary spike;
        spike.count = parsed.at("count").get<double>();
        spike.expected = parsed.at("expected").get<double>();
        spike.ratio = parsed.at("ratio").get<double>();
        spike.p_value = parsed.at("p_value").get<double>();
        spike.window_seconds = static_cast<long long>(parsed.at("window_seconds").get<double>());
        spike.baseline_seconds =
            static_cast<long long>(parsed.at("baseline_seconds").get<double>());
        spike.window_start = parsed.at("window_start").get<std::string>();
        spike.window_end = parsed.at("window_end").get<std::string>();
        for (const auto& story : parsed.at("stories"))
            spike.stories.push_back(
                {story.at("story_id").get<std::int64_t>(), story.at("title").get<std::string>(),
                 story.at("feed_count").get<int>(), story.at("article_count").get<int>(),
                 story.at("url").get<std::string>()});
        return spike;
    } catch (const nlohmann::json::exception& error) {
        return tl::unexpected(std::string("spike summary: ") + error.what());
    }
}

std::string duration_text(long long seconds) {
    if (seconds > 0 && seconds % 86'400 == 0)
        return fmt::format("{}d", seconds / 86'400);
    if (seconds > 0 && seconds % 3600 == 0)
        return fmt::format("{}h", seconds / 3600);
    if (seconds > 0 && seconds % 60 == 0)
        return fmt::format("{}m", seconds / 60);
    return fmt::format("{}s", seconds);
}

std::string spike_plain_text(const std::string& rule, const SpikeSummary& spike) {
    std::string text = fmt::format(
        "newsmon spike [{}]: {} stories in the last {}, expected {:.1f} ({:.1f}x normal)\n", rule,
        spike.count, duration_text(spike.window_seconds), spike.expected, spike.ratio);
    for (const auto& story : spike.stories)
        text += fmt::format("{} ({})\n{}\n", story.title, feeds_text(story.feed_count), story.url);
    return text;
}

std::string spike_subject(const std::string& rule, const SpikeSummary& spike) {
    return fmt::format("[newsmon] {}: spike, {} stories in {} (expected {:.1f})", rule, spike.count,
                       duration_text(spike.window_seconds), spike.expected);
}

std::string spike_html(const std::string& rule, const SpikeSummary& spike) {
    std::string html = fmt::format(
        "<!DOCTYPE html><html><body><p>newsmon spike <b>{}</b>: {} stories in the last {}, "
        "expected {:.1f} ({:.1f}x normal)</p><ul>",
        parsers::escape_html(rule), spike.count, duration_text(spike.window_seconds),
        spike.expected, spike.ratio);
    for (const auto& story : spike.stories)
        html += "<li><a href=\"" + parsers::escape_html(story.url) + "\">" +
                parsers::escape_html(story.title) + "</a> (" + feeds_text(story.feed_count) +
                ")</li>";
    return html + "</ul></body></html>";
}

} // namespace newsmon::alerts
