#include "pages/page_policy.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/words.hpp"

namespace newsmon::pages {
namespace {

std::string_view trim_end(std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

} // namespace

bool looks_like_teaser(std::string_view text) {
    text = trim_end(text);
    static constexpr std::array<std::string_view, 5> k_cut_marks = {"...", "…", "[…]", "[...]",
                                                                    "(…)"};
    for (auto mark : k_cut_marks)
        if (text.ends_with(mark))
            return true;
    // The last words, in base form: "Read more »", "Читать далее", "Ətraflı", "Devamı için
    // tıklayın"
    static const std::array<std::vector<std::string>, 9> k_endings = {{{"read", "more"},
                                                                       {"continue", "reading"},
                                                                       {"подробнее"},
                                                                       {"читать", "далее"},
                                                                       {"etrafli"},
                                                                       {"davami"},
                                                                       {"devami"},
                                                                       {"devamini", "oku"},
                                                                       {"full", "story"}}};
    parsers::WordList words;
    parsers::split_words(text.substr(text.size() > 60 ? text.size() - 60 : 0), words);
    for (const auto& ending : k_endings) {
        if (words.words.size() < ending.size())
            continue;
        std::size_t first = words.words.size() - ending.size();
        bool same = true;
        for (std::size_t i = 0; i < ending.size() && same; ++i)
            same = words.base_of(words.words[first + i]) == ending[i];
        if (same)
            return true;
    }
    return false;
}

bool wants_page(const parsers::Item& item, std::string_view own_text, std::string_view mode,
                int min_chars) {
    if (mode == "never" || !(item.link.starts_with("http://") || item.link.starts_with("https://")))
        return false;
    if (mode == "always")
        return true;
    return parsers::utf8_length(own_text) < static_cast<std::size_t>(std::max(min_chars, 0)) ||
           looks_like_teaser(own_text);
}

} // namespace newsmon::pages
