#include "tag/language.hpp"

#include <cctype>

namespace newsmon::tag {

Language language_of(std::string_view code) {
    auto primary = code.substr(0, code.find_first_of("-_"));
    if (primary.size() != 2)
        return Language::none;
    char a = static_cast<char>(std::tolower(static_cast<unsigned char>(primary[0])));
    char b = static_cast<char>(std::tolower(static_cast<unsigned char>(primary[1])));
    if (a == 'e' && b == 'n')
        return Language::en;
    if (a == 'r' && b == 'u')
        return Language::ru;
    if (a == 't' && b == 'r')
        return Language::tr;
    if (a == 'a' && b == 'z')
        return Language::az;
    return Language::none;
}

std::string_view language_code(Language language) {
    switch (language) {
    case Language::en:
        return "en";
    case Language::ru:
        return "ru";
    case Language::tr:
        return "tr";
    case Language::az:
        return "az";
    case Language::none:
        break;
    }
    return "";
}

} // namespace newsmon::tag
