#include "web/search_page.hpp"

#include <fmt/format.h>

#include "web/highlight.hpp"
#include "web/html_page.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

constexpr std::size_t k_snippet_words = 40;

std::string options(const std::vector<std::string>& values, const std::string& chosen,
                    const std::string& any_label) {
    std::string html = R"(<option value="">)" + html_text(any_label) + "</option>";
    for (const auto& value : values)
        html += R"(<option value=")" + html_text(value) + "\"" +
                (value == chosen ? " selected" : "") + ">" + html_text(value) + "</option>";
    return html;
}

std::string filters(const SearchForm& form) {
    std::string html = R"(<form class="filters" action="/search" method="get">)";
    html += R"(<label>Query <input type="search" name="q" value=")" + html_text(form.query) +
            R"html(" placeholder="NATO AND (summit OR sammit)"></label>)html";
    html += R"(<label>Topic <select name="topic">)" + options(form.topics, form.topic, "any") +
            "</select></label>";
    html += R"(<label>Feed <select name="feed">)" + options(form.feeds, form.feed, "any") +
            "</select></label>";
    html += R"(<label>Language <input name="lang" size="4" maxlength="16" value=")" +
            html_text(form.language) + R"(" placeholder="en"></label>)";
    html += R"(<label>Since <select name="since">)";
    for (const auto& [value, label] :
         std::vector<std::pair<std::string, std::string>>{{"", "any time"},
                                                          {"24h", "24 hours"},
                                                          {"7d", "7 days"},
                                                          {"30d", "30 days"},
                                                          {"365d", "a year"}})
        html += R"(<option value=")" + value + "\"" + (value == form.since ? " selected" : "") +
                ">" + label + "</option>";
    html += R"(</select></label><button type="submit">Search</button></form>)";
    return html;
}

std::string result(const store::StoredMatch& match) {
    const auto& article = match.article;
    std::string text = article.summary.empty() ? article.content_text : article.summary;
    std::string html =
        fmt::format(R"(<li class="result"><a href="/articles/{}">{}</a>)", article.id,
                    highlighted_snippet(article.title, match.matched_terms, 60));
    html += R"(<p class="snippet">)" +
            highlighted_snippet(text, match.matched_terms, k_snippet_words) + "</p>";
    html += R"(<div class="meta">)" + html_text(article.feed) + " · " +
            time_element(article.published_at) + " ";
    if (!article.language.empty())
        html += "<span class=\"lang\">" + html_text(article.language) + "</span> ";
    html += topic_chips(article.topics);
    html += fmt::format(R"( · <a href="/stories/{}">story</a></div></li>)", article.story_id);
    return html;
}

std::string next_link(const SearchForm& form, const std::string& cursor) {
    std::string href = "/search?q=" + percent_encoded(form.query);
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"topic", form.topic},
                                                          {"feed", form.feed},
                                                          {"lang", form.language},
                                                          {"since", form.since}})
        if (!value.empty())
            href += "&" + name + "=" + percent_encoded(value);
    href += "&cursor=" + percent_encoded(cursor);
    return R"(<p class="pager"><a rel="next" href=")" + html_text(href) +
           R"(">Older results →</a></p>)";
}

} // namespace

std::string render_search(const SearchForm& form, const std::optional<ArticleSearchPage>& page,
                          const std::string& next_cursor, const std::string& error) {
    std::string main = "<h1>Search</h1>" + filters(form);
    if (!error.empty())
        main += R"(<p class="error" id="search-error">)" + html_text(error) + "</p>";
    if (!page)
        return main +
               R"(<p class="meta">Words, "phrases", stems*, AND, OR, NOT and parentheses, as in alert rules.</p>)";
    if (page->matches.empty())
        return main + R"(<p id="no-results">No article matches.</p>)";
    main += R"(<ol class="items" id="results">)";
    for (const auto& match : page->matches)
        main += result(match);
    main += "</ol>";
    if (!next_cursor.empty())
        main += next_link(form, next_cursor);
    return main;
}

} // namespace newsmon::web
