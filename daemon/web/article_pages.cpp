#include "web/article_pages.hpp"

#include <fmt/format.h>

#include "newsmon/parsers/html.hpp"
#include "web/html_page.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

// Plain text as paragraphs: a blank line (or a line break) starts a new one.
std::string paragraphs(const std::string& text) {
    std::string html;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        auto line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            html += "<p>" + html_text(line) + "</p>\n";
        start = end + 1;
    }
    return html;
}

std::string original_link(const std::string& url) {
    if (!(url.starts_with("https://") || url.starts_with("http://")))
        return "";
    return R"( · <a href=")" + html_text(url) +
           R"(" rel="noopener noreferrer nofollow">original</a>)";
}

std::string topics_table(const nlohmann::json& topics) {
    if (topics.empty())
        return R"(<p id="topics">Tagged with no topic.</p>)";
    std::string html =
        R"(<table id="topics"><thead><tr><th>topic</th><th>score</th><th>matched terms</th></tr></thead><tbody>)";
    for (const auto& topic : topics) {
        std::string terms;
        for (const auto& term : topic["matched_terms"])
            terms += (terms.empty() ? "" : ", ") + html_text(json_text(term));
        html += fmt::format(
            R"(<tr><td><a class="chip" href="/search?topic={}">{}</a></td><td>{}{}</td><td>{}</td></tr>)",
            percent_encoded(json_text(topic["topic"])), html_text(json_text(topic["topic"])),
            topic.value("score", 0), topic.value("in_title", false) ? " (in title)" : "", terms);
    }
    return html + "</tbody></table>";
}

} // namespace

std::string render_article(const nlohmann::json& article) {
    std::string url = json_text(article["url"]);
    std::string html = "<h1>" + html_text(json_text(article["title"])) + "</h1>";
    html += R"(<p class="meta">)" + html_text(json_text(article["feed"])) + " · " +
            time_element(json_text(article["published_at"]));
    if (auto author = json_text(article["author"]); !author.empty())
        html += " · " + html_text(author);
    if (auto language = json_text(article["language"]); !language.empty())
        html += R"( <span class="lang">)" + html_text(language) + "</span>";
    html += original_link(url);
    html +=
        fmt::format(R"( · <a href="/stories/{}">its story</a>)", article.value("story_id", 0LL));
    if (article["duplicate_of"].is_number())
        html += fmt::format(R"( · republishes <a href="/articles/{}">article {}</a>)",
                            article["duplicate_of"].get<long long>(),
                            article["duplicate_of"].get<long long>());
    html += "</p>";
    html += "<h2>Topics</h2>" + topics_table(article["topics"]);
    html += R"(<h2>Alert rules</h2><p id="alert-rules">)";
    std::string rules;
    for (const auto& rule : article["alert_rules"])
        rules += (rules.empty() ? "" : ", ") + html_text(json_text(rule));
    html += (rules.empty() ? std::string("Matched no alert rule.") : "Matched: " + rules) + "</p>";
    html += R"(<h2>Text</h2><article class="body">)";
    // Sanitized when stored; sanitized again here, so a row written by other means (or by an
    // older, weaker sanitizer) cannot put markup of its own on the page.
    if (auto stored = json_text(article["content_html"]); !stored.empty())
        html += parsers::sanitize_html(stored, url);
    else if (auto text = json_text(article["text"]); !text.empty())
        html += paragraphs(text);
    else
        html += paragraphs(json_text(article["summary"]));
    return html + "</article>";
}

std::string render_story(const nlohmann::json& story) {
    std::string html = "<h1>" + html_text(json_text(story["title"])) + "</h1>";
    html +=
        fmt::format(R"(<p class="meta">{} articles from {} feeds · first seen {} · last seen {})",
                    story.value("article_count", 0), story.value("feed_count", 0),
                    time_element(json_text(story["first_seen_at"])),
                    time_element(json_text(story["last_seen_at"])));
    for (const auto& language : story["languages"])
        html += R"( <span class="lang">)" + html_text(json_text(language)) + "</span>";
    html += "</p>";
    const auto& first = story["first_publisher"];
    if (first.is_object())
        html += fmt::format(
            R"(<p id="first-publisher">First published by <strong>{}</strong> at {} (<a href="/articles/{}">article</a>).</p>)",
            html_text(json_text(first["feed"])), time_element(json_text(first["published_at"])),
            first.value("article_id", 0LL));
    html +=
        R"(<h2>Outlets</h2><table id="outlets"><thead><tr><th>feed</th><th>first carried it</th><th>articles</th></tr></thead><tbody>)";
    for (const auto& outlet : story["outlets"])
        html += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", html_text(json_text(outlet["feed"])),
            time_element(json_text(outlet["first_published_at"])), outlet.value("articles", 0));
    html += R"(</tbody></table><h2>Timeline</h2><ol class="items" id="timeline">)";
    for (const auto& article : story["articles"]) {
        html += fmt::format(R"(<li{}>{} · {} <a href="/articles/{}">{}</a>)",
                            article.value("is_first", false) ? R"( class="first")" : "",
                            time_element(json_text(article["published_at"])),
                            html_text(json_text(article["feed"])), article.value("id", 0LL),
                            html_text(json_text(article["title"])));
        if (auto language = json_text(article["language"]); !language.empty())
            html += R"( <span class="lang">)" + html_text(language) + "</span>";
        if (article.value("republication", false))
            html += R"( <span class="meta">republication</span>)";
        html += "</li>";
    }
    return html + "</ol>";
}

} // namespace newsmon::web
