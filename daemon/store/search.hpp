// The articles `newsmon search` reads, newest first: those the GIN index over articles.words
// finds for a query's candidate tsquery (store/article_words.hpp), within a topic and a time.
// The query itself is then applied to each, by the code the alert rules use.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/alert_rules.hpp"

namespace newsmon::store {

struct SearchFilter {
    std::optional<std::string> words;  // a tsquery the articles' words satisfy; nullopt: any
    std::optional<std::string> topics; // text[] literal: tagged with one of these; nullopt: any
    std::optional<std::string> since;  // RFC 3339: published then or later
};

// Gives the articles (not duplicates) that pass `filter`, newest first, to `visit` in
// batches, all read in one transaction, until `visit` returns false or none is left.
// An article whose words are unknown (stored before they were kept) always passes `words`.
void for_each_search_candidate(
    pqxx::connection& connection, const SearchFilter& filter,
    const std::function<bool(const std::vector<RuleTestArticle>&)>& visit);

} // namespace newsmon::store
