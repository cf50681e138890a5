#include "web/article_search.hpp"

#include <algorithm>
#include <chrono>

#include "web/request_bounds.hpp"

namespace newsmon::web {
const std::vector<std::string>& article_search_params() {
    static const std::vector<std::string> names{"q",     "topic", "feed",   "lang",
                                                "since", "until", "cursor", "limit"};
    return names;
}

ArticleSearchPage search_articles(const config::Config& config, pqxx::connection& connection,
                                  const RequestParams& params) {
    auto topic = params.text("topic", k_max_name_length);
    if (topic && !has_name(config.topics, *topic))
        throw ParamError{"no topic named \"" + *topic + "\" in the config", "topic"};
    auto query = params.text("q", k_max_query_length).value_or("");
    auto plan = store::plan_matches(config, query, topic.value_or(""),
                                    rfc3339_or_none(params.time("since", now_seconds())));
    if (!plan)
        throw ParamError{plan.error(), "q"};
    auto& filter = plan->filter;
    filter.until = rfc3339_or_none(params.time("until", now_seconds()));
    filter.feed = params.text("feed", k_max_name_length);
    if (filter.feed && !has_name(config.feeds, *filter.feed))
        throw ParamError{"no feed named \"" + *filter.feed + "\" in the config", "feed"};
    filter.language = params.text("lang", 16);
    if (auto after = params.cursor()) {
        if (after->sort.empty())
            throw ParamError{"not a cursor of this list", "cursor"};
        filter.after_published = after->sort;
        filter.after_id = after->id;
    }
    auto limit = static_cast<std::size_t>(params.number("limit", 1, k_max_page_limit, 20));
    ArticleSearchPage page;
    store::for_each_match(connection, *plan, [&](store::StoredMatch&& match) {
        if (page.matches.size() == limit) {
            const auto& last = page.matches.back().article;
            page.next = store::PageKey{last.published_key, last.id};
            return false;
        }
        page.matches.push_back(std::move(match));
        return true;
    });
    return page;
}

} // namespace newsmon::web
