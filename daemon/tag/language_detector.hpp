// The language of an article's text, for articles whose feed declares none: letters and
// function words tell English, Russian, Turkish and Azerbaijani apart (even in a title);
// CLD2 names the other languages when there is text enough to be sure.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::tag {

// A language code ("en", "ru", "tr", "az", or CLD2's code for another language), or "" when
// the text does not tell. Reads the title and the first few kilobytes of the body.
[[nodiscard]] std::string detect_language(std::string_view title, std::string_view body);

// The language an article is tagged and stored with: the one the feed (or its config) gives,
// else the detected one.
struct ArticleLanguage {
    std::string code;
    bool detected = false;
};
[[nodiscard]] ArticleLanguage article_language(std::string_view declared, std::string_view title,
                                               std::string_view body);

} // namespace newsmon::tag
