#include "web/cursor.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace newsmon::web {
namespace {

constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t k_max_cursor = 128;

std::string base64url(std::string_view bytes) {
    std::string out;
    std::uint32_t bits = 0;
    int pending = 0;
    for (char byte : bytes) {
        bits = (bits << 8) | static_cast<unsigned char>(byte);
        pending += 8;
        while (pending >= 6) {
            pending -= 6;
            out += k_alphabet[(bits >> pending) & 0x3F];
        }
    }
    if (pending > 0)
        out += k_alphabet[(bits << (6 - pending)) & 0x3F];
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    std::string out;
    std::uint32_t bits = 0;
    int pending = 0;
    for (char c : text) {
        auto value = k_alphabet.find(c);
        if (value == std::string_view::npos)
            return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        pending += 6;
        if (pending >= 8) {
            pending -= 8;
            out += static_cast<char>((bits >> pending) & 0xFF);
        }
    }
    return out;
}

// "2026-12-03 07:00:00+00" or with up to six decimals: how PostgreSQL writes a timestamptz
// in UTC. Anything else is refused before it reaches the database.
bool is_utc_timestamp(std::string_view text) {
    constexpr std::string_view k_shape = "dddd-dd-dd dd:dd:dd";
    if (text.size() < k_shape.size() + 3 || !text.ends_with("+00"))
        return false;
    for (std::size_t i = 0; i < k_shape.size(); ++i)
        if (k_shape[i] == 'd' ? text[i] < '0' || text[i] > '9' : text[i] != k_shape[i])
            return false;
    std::string_view fraction = text.substr(k_shape.size(), text.size() - k_shape.size() - 3);
    if (fraction.empty())
        return true;
    return fraction.size() >= 2 && fraction.size() <= 7 && fraction[0] == '.' &&
           fraction.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

} // namespace

std::string encode_cursor(const store::PageKey& key) {
    return base64url("1|" + key.sort + "|" + std::to_string(key.id));
}

std::optional<store::PageKey> decode_cursor(std::string_view cursor) {
    if (cursor.empty() || cursor.size() > k_max_cursor)
        return std::nullopt;
    auto text = from_base64url(cursor);
    if (!text || !text->starts_with("1|"))
        return std::nullopt;
    std::string_view rest(*text);
    rest.remove_prefix(2);
    auto bar = rest.rfind('|');
    if (bar == std::string_view::npos)
        return std::nullopt;
    store::PageKey key{std::string(rest.substr(0, bar)), 0};
    std::string_view digits = rest.substr(bar + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), key.id);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        key.id <= 0)
        return std::nullopt;
    if (!key.sort.empty() && !is_utc_timestamp(key.sort))
        return std::nullopt;
    return key;
}

} // namespace newsmon::web
