// An article's words as the matcher sees them (base forms), kept in articles.words, and an
// alert query turned into a tsquery over them that every article the query matches satisfies:
// `newsmon search` reads only the articles the GIN index gives, then applies the query itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/query.hpp"

namespace newsmon::store {

enum class TsVectorForm {
    text,   // a literal: 'baku' 'nato'
    binary, // tsvector_send's form (binary_arrays.hpp), for a binary parameter
};

// The distinct base forms of the words of `texts` as a tsvector, words cut to 255 bytes;
// nullopt when the vector would be too large for PostgreSQL (the article's words are then
// unknown, and search always reads it).
[[nodiscard]] std::optional<std::string> words_tsvector(const std::vector<std::string_view>& texts,
                                                        TsVectorForm form = TsVectorForm::text);

// A tsquery that holds for every article `query` matches (title and text words only; NOT,
// topic:, feed: and lang: constrain nothing here); nullopt when the query needs no word at all.
[[nodiscard]] std::optional<std::string> candidate_tsquery(const rules::Query& query);

} // namespace newsmon::store
