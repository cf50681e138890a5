#include "config/units.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <optional>

namespace newsmon::config {
namespace {

struct Unit {
    std::string_view suffix;
    std::uint64_t factor;
};

// Reads the leading decimal digits of `text`, advancing it; nullopt on none or overflow.
std::optional<std::uint64_t> take_number(std::string_view& text) {
    std::uint64_t value = 0;
    std::size_t i = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    if (i == 0)
        return std::nullopt;
    text.remove_prefix(i);
    return value;
}

std::string_view take_letters(std::string_view& text) {
    std::size_t i = 0;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
        ++i;
    std::string_view letters = text.substr(0, i);
    text.remove_prefix(i);
    return letters;
}

template <std::size_t N>
std::optional<std::uint64_t> factor_of(std::string_view suffix, const std::array<Unit, N>& units) {
    for (const auto& unit : units)
        if (unit.suffix == suffix)
            return unit.factor;
    return std::nullopt;
}

bool multiply_overflows(std::uint64_t a, std::uint64_t b) {
    return b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b;
}

} // namespace

tl::expected<Duration, std::string> parse_duration(std::string_view text) {
    // A year is 365 days and a week 7: retention is said in them ("2y", "90d").
    static constexpr std::array<Unit, 7> k_units = {{{"ms", 1},
                                                     {"s", 1000},
                                                     {"m", 60'000},
                                                     {"h", 3'600'000},
                                                     {"d", 86'400'000},
                                                     {"w", 7 * 86'400'000ULL},
                                                     {"y", 365 * 86'400'000ULL}}};
    const std::string expected = "expected a duration such as \"30s\", \"15m\" or \"1h30m\"";
    if (text.empty())
        return tl::unexpected(expected + ", got an empty string");
    std::uint64_t total = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
        auto number = take_number(rest);
        auto factor = factor_of(take_letters(rest), k_units);
        if (!number || !factor || multiply_overflows(*number, *factor))
            return tl::unexpected(expected + ", got \"" + std::string(text) + "\"");
        total += *number * *factor;
    }
    if (total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return tl::unexpected("duration \"" + std::string(text) + "\" is too long");
    return Duration{static_cast<std::int64_t>(total)};
}

tl::expected<ByteSize, std::string> parse_size(std::string_view text) {
    static constexpr std::array<Unit, 8> k_units = {{{"", 1},
                                                     {"B", 1},
                                                     {"KiB", 1ULL << 10},
                                                     {"MiB", 1ULL << 20},
                                                     {"GiB", 1ULL << 30},
                                                     {"kB", 1000},
                                                     {"MB", 1000 * 1000},
                                                     {"GB", 1000 * 1000 * 1000}}};
    std::string_view rest = text;
    auto number = take_number(rest);
    auto factor = factor_of(take_letters(rest), k_units);
    if (!number || !factor || !rest.empty() || multiply_overflows(*number, *factor))
        return tl::unexpected("expected a size such as \"512KiB\" or \"16MiB\", got \"" +
                              std::string(text) + "\"");
    return ByteSize{*number * *factor};
}

std::string format_size(ByteSize size) {
    static constexpr std::array<Unit, 3> k_units = {
        {{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}}};
    for (const auto& unit : k_units)
        if (size.bytes >= unit.factor && size.bytes % unit.factor == 0)
            return std::to_string(size.bytes / unit.factor) + std::string(unit.suffix);
    return std::to_string(size.bytes) + "B";
}

std::string format_duration(Duration duration) {
    static constexpr std::array<Unit, 5> k_units = {
        {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}};
    auto remaining = static_cast<std::uint64_t>(duration.count());
    if (remaining == 0)
        return "0s";
    std::string out;
    for (const auto& unit : k_units) {
        if (remaining >= unit.factor) {
            out += std::to_string(remaining / unit.factor) + std::string(unit.suffix);
            remaining %= unit.factor;
        }
    }
    return out;
}

} // namespace newsmon::config
