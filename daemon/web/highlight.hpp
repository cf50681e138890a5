// Search results' snippets: a window of the article's text around the first word a matched
// term names, as HTML with those words in <mark>. Words are cut and folded as the tagger cuts
// and folds them (parsers/words), so "Azerbaijan*" marks "Azerbaijani" and "NATO" marks "Nato".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace newsmon::web {

// `terms` as the alert and topic rules write them (`stem*`, `word!`, `weak:word`, phrases).
// The snippet holds at most `max_words` words; "…" marks text left out at either end.
[[nodiscard]] std::string highlighted_snippet(std::string_view text,
                                              const std::vector<std::string>& terms,
                                              std::size_t max_words);

} // namespace newsmon::web
