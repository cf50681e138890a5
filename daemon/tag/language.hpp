// The languages tagging knows the words of: each has a stemmer, and detection tells them apart.
#pragma once

#include <cstdint>
#include <string_view>

namespace newsmon::tag {

enum class Language : std::uint8_t { none, en, ru, tr, az };

// "ru", "ru-RU", "RU_ru" -> ru; any other language or "" -> none.
[[nodiscard]] Language language_of(std::string_view code);

// "en", "ru", "tr", "az"; "" for none.
[[nodiscard]] std::string_view language_code(Language language);

} // namespace newsmon::tag
