// /search: the alert and search query language over the stored articles, with filters for
// topic, feed, language and time, snippets with the matched words marked, and cursor paging.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/article_search.hpp"

namespace newsmon::web {

// What the form shows: the request's values, as given.
struct SearchForm {
    std::string query;
    std::string topic;
    std::string feed;
    std::string language;
    std::string since;               // "24h", "7d", "30d", "365d" or empty (any time)
    std::vector<std::string> topics; // the configured ones, to choose from
    std::vector<std::string> feeds;
};

// `page` is nullopt when the form has not been sent; `error` says what is wrong with it.
[[nodiscard]] std::string render_search(const SearchForm& form,
                                        const std::optional<ArticleSearchPage>& page,
                                        const std::string& next_cursor, const std::string& error);

} // namespace newsmon::web
