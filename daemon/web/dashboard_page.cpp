#include "web/dashboard_page.hpp"

#include <fmt/format.h>

#include "web/html_page.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

std::vector<std::string> strings_of(const nlohmann::json& array) {
    std::vector<std::string> values;
    for (const auto& value : array)
        if (value.is_string())
            values.push_back(value.get<std::string>());
    return values;
}

std::string since_label(const std::vector<ChartPoint>& points) {
    return points.empty() ? std::string() : ", from " + time_element(points.front().label);
}

std::string volume_section(const std::vector<TopicVolume>& volumes) {
    std::string html = R"(<section id="volume"><h2>Topic volume</h2>)";
    if (volumes.empty())
        html += "<p>No topic is configured.</p>";
    html += R"(<div class="grid">)";
    for (const auto& volume : volumes) {
        html += R"(<div class="topic" data-topic=")" + html_text(volume.topic) + "\">";
        html += "<h3><a href=\"/search?topic=" + percent_encoded(volume.topic) + "\">" +
                html_text(volume.topic) + "</a></h3>";
        html += "<div class=\"days\">" +
                svg_volume_chart(volume.days, volume.topic + ", 30 days per day") + "</div>";
        html +=
            R"(<p class="legend">30 days, per day)" + since_label(volume.days) +
            R"(: <span class="articles">articles</span> <span class="stories">stories opened</span></p>)";
        html += "<div class=\"hours\">" +
                svg_volume_chart(volume.hours, volume.topic + ", 7 days per hour") + "</div>";
        html += R"(<p class="legend">7 days, per hour)" + since_label(volume.hours) + "</p></div>";
    }
    return html + "</div></section>";
}

std::string top_stories_section(const nlohmann::json& stories) {
    std::string html = R"(<section id="top-stories"><h2>Top stories, last 24 hours</h2>)";
    if (stories.empty())
        return html + "<p>No story in the last 24 hours.</p></section>";
    html += R"(<ol class="items">)";
    for (const auto& story : stories) {
        html += fmt::format(
            R"(<li><a href="/stories/{}">{}</a> <div class="meta">{} feeds, {} articles, first {} )",
            story.value("id", 0LL), html_text(json_text(story["title"])),
            story.value("feed_count", 0), story.value("article_count", 0),
            time_element(json_text(story["first_seen_at"])));
        for (const auto& language : strings_of(story["languages"]))
            html += "<span class=\"lang\">" + html_text(language) + "</span> ";
        html += topic_chips(strings_of(story["topics"])) + "</div></li>";
    }
    return html + "</ol></section>";
}

std::string latest_section(const nlohmann::json& articles) {
    std::string html = R"(<section id="latest"><h2>Latest tagged articles</h2>)";
    if (articles.empty())
        return html + "<p>No tagged article yet.</p></section>";
    html += R"(<ul class="items">)";
    for (const auto& article : articles) {
        html += fmt::format(R"(<li><a href="/articles/{}">{}</a> <div class="meta">{} · {} )",
                            article.value("id", 0LL), html_text(json_text(article["title"])),
                            html_text(json_text(article["feed"])),
                            time_element(json_text(article["published_at"])));
        if (auto language = json_text(article["language"]); !language.empty())
            html += "<span class=\"lang\">" + html_text(language) + "</span> ";
        html += topic_chips(strings_of(article["topics"])) + "</div></li>";
    }
    return html + "</ul></section>";
}

std::string spikes_section(const nlohmann::json& spikes) {
    std::string html = R"(<section id="spikes"><h2>Spikes</h2>)";
    if (spikes.empty())
        return html + "<p>No spike rule. <code>newsmon alert add NAME --spike …</code> sets one "
                      "up.</p></section>";
    html +=
        R"(<div class="wide"><table><thead><tr><th>rule</th><th>now</th><th>last window</th><th>episodes</th><th>last episode</th></tr></thead><tbody>)";
    for (const auto& spike : spikes) {
        bool in_episode = spike.value("in_episode", false);
        std::string window =
            spike["last_count"].is_number()
                ? fmt::format("{:.0f} (expected {:.1f})", spike["last_count"].get<double>(),
                              spike["last_expected"].is_number()
                                  ? spike["last_expected"].get<double>()
                                  : 0.0)
                : "not evaluated yet";
        html += fmt::format(
            R"(<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
            in_episode ? R"( class="bad")" : "", html_text(json_text(spike["rule"])),
            in_episode ? "spiking" : "normal", html_text(window), spike.value("episodes", 0),
            spike["last_episode_at"].is_string() ? time_element(json_text(spike["last_episode_at"]))
                                                 : std::string("—"));
    }
    return html + "</tbody></table></div></section>";
}

std::string feeds_section(const nlohmann::json& feeds) {
    std::string html = R"(<section id="feeds"><h2>Feed health</h2>)";
    std::string rows;
    std::size_t healthy = 0;
    for (const auto& feed : feeds) {
        const auto& health = feed["health"];
        std::vector<std::string> problems;
        for (const char* problem : {"failing", "silent", "overdue"})
            if (health.value(problem, false))
                problems.emplace_back(problem);
        if (problems.empty()) {
            ++healthy;
            continue;
        }
        std::string said;
        for (const auto& problem : problems)
            said += (said.empty() ? "" : ", ") + problem;
        rows += fmt::format(R"(<tr class="bad"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
                            html_text(json_text(feed["name"])), html_text(said),
                            feed["last_polled_at"].is_string()
                                ? time_element(json_text(feed["last_polled_at"]))
                                : std::string("never"),
                            html_text(json_text(feed["last_error"])));
    }
    html += fmt::format("<p>{} of {} feeds healthy.</p>", healthy, feeds.size());
    if (!rows.empty())
        html +=
            R"(<div class="wide"><table><thead><tr><th>feed</th><th>problem</th><th>last poll</th><th>last error</th></tr></thead><tbody>)" +
            rows + "</tbody></table></div>";
    return html + "</section>";
}

std::string alerts_section(const nlohmann::json& rules) {
    std::string html = R"(<section id="alerts"><h2>Alert rules</h2>)";
    if (rules.empty())
        return html + "<p>No alert rule. <code>newsmon alert add</code> sets one up.</p></section>";
    html +=
        R"(<div class="wide"><table><thead><tr><th>rule</th><th>query</th><th>sent</th><th>pending</th><th>failed</th><th>last delivery</th><th>last error</th></tr></thead><tbody>)";
    for (const auto& rule : rules) {
        const auto& deliveries = rule["deliveries"];
        std::string error = json_text(rule["last_delivery_error"]);
        if (error.empty())
            error = json_text(rule["last_error"]);
        html += fmt::format(
            R"(<tr><td>{}{}</td><td><a href="/search?q={}"><code>{}</code></a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="error">{}</td></tr>)",
            html_text(json_text(rule["name"])), rule.value("enabled", true) ? "" : " (disabled)",
            percent_encoded(json_text(rule["query"])), html_text(json_text(rule["query"])),
            deliveries.value("sent", 0LL), deliveries.value("pending", 0LL),
            deliveries.value("failed", 0LL),
            rule["last_delivery_at"].is_string() ? time_element(json_text(rule["last_delivery_at"]))
                                                 : std::string("—"),
            html_text(error));
    }
    return html + "</tbody></table></div></section>";
}

} // namespace

std::vector<ChartPoint> chart_points(const nlohmann::json& buckets) {
    std::vector<ChartPoint> points;
    for (const auto& bucket : buckets)
        points.push_back({json_text(bucket["start"]), bucket.value("articles", 0LL),
                          bucket.value("stories", 0LL)});
    return points;
}

std::string render_dashboard(const DashboardData& data) {
    std::string main = "<h1>Dashboard</h1>";
    main += volume_section(data.volumes);
    main += R"(<div class="grid">)" + top_stories_section(data.top_stories) +
            latest_section(data.latest) + "</div>";
    main += spikes_section(data.spikes);
    main += feeds_section(data.feeds);
    main += alerts_section(data.alerts);
    return main;
}

} // namespace newsmon::web
