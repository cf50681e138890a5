// The article search the API's /api/v1/articles and the /search page share: the query
// language, topic, feed, language and time filters, and keyset paging, read from a request.
#pragma once

#include <optional>
#include <vector>

#include <pqxx/pqxx>

#include "config/config.hpp"
#include "store/stored_matches.hpp"
#include "store/web_page.hpp"
#include "web/request_params.hpp"

namespace newsmon::web {

// The parameters the search reads (`q`, `topic`, `feed`, `lang`, `since`, `until`, `cursor`,
// `limit`).
[[nodiscard]] const std::vector<std::string>& article_search_params();

struct ArticleSearchPage {
    std::vector<store::StoredMatch> matches; // newest first
    std::optional<store::PageKey> next;      // nullopt on the last page
};

// One page of the articles the request's query and filters select. Throws ParamError naming
// the parameter that is wrong (an unknown topic or feed, a query that does not parse).
[[nodiscard]] ArticleSearchPage search_articles(const config::Config& config,
                                                pqxx::connection& connection,
                                                const RequestParams& params);

} // namespace newsmon::web
