#include "web/request_params.hpp"

#include <algorithm>
#include <charconv>

#include "config/units.hpp"
#include "newsmon/parsers/dates.hpp"
#include "web/cursor.hpp"

namespace newsmon::web {
namespace {

template <class Number> std::optional<Number> whole_number(const std::string& text) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace

RequestParams::RequestParams(const std::multimap<std::string, std::string>& given,
                             const std::vector<std::string>& allowed) {
    for (const auto& [name, value] : given) {
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw ParamError{"unknown parameter", name.substr(0, 64)};
        if (!m_values.emplace(name, value).second)
            throw ParamError{"given more than once", name};
    }
}

std::optional<std::string> RequestParams::text(const std::string& name,
                                               std::size_t max_length) const {
    auto found = m_values.find(name);
    if (found == m_values.end())
        return std::nullopt;
    if (found->second.size() > max_length)
        throw ParamError{"longer than " + std::to_string(max_length) + " bytes", name};
    return found->second;
}

int RequestParams::number(const std::string& name, int low, int high, int fallback) const {
    auto value = text(name, 16);
    if (!value)
        return fallback;
    auto parsed = whole_number<int>(*value);
    if (!parsed || *parsed < low || *parsed > high)
        throw ParamError{"expected a whole number from " + std::to_string(low) + " to " +
                             std::to_string(high) + ", got \"" + *value + "\"",
                         name};
    return *parsed;
}

std::optional<std::chrono::sys_seconds> RequestParams::time(const std::string& name,
                                                            std::chrono::sys_seconds now) const {
    auto value = text(name, 64);
    if (!value)
        return std::nullopt;
    std::optional<std::chrono::sys_seconds> instant = parsers::parse_date(*value);
    if (!instant)
        if (auto age = config::parse_duration(*value))
            instant = now - std::chrono::duration_cast<std::chrono::seconds>(*age);
    if (!instant)
        throw ParamError{"expected a date (2025-11-01), a time (2025-11-01T10:00:00Z) or a "
                         "duration back from now (7d), got \"" +
                             *value + "\"",
                         name};
    // Years PostgreSQL and the cursor's format both hold, and no archive reaches past.
    using namespace std::chrono;
    constexpr auto k_earliest = sys_days{year{1900} / January / 1};
    constexpr auto k_latest = sys_days{year{9999} / December / 31};
    if (*instant < k_earliest || *instant > k_latest)
        throw ParamError{"a time from 1900 to 9999, got \"" + *value + "\"", name};
    return instant;
}

std::optional<store::PageKey> RequestParams::cursor() const {
    auto value = text("cursor", 128);
    if (!value)
        return std::nullopt;
    auto key = decode_cursor(*value);
    if (!key)
        throw ParamError{"not a cursor this server gave (use next_cursor as it is)", "cursor"};
    return key;
}

std::string RequestParams::choice(const std::string& name, const std::vector<std::string>& choices,
                                  const std::string& fallback) const {
    auto value = text(name, 32);
    if (!value)
        return fallback;
    if (std::find(choices.begin(), choices.end(), *value) != choices.end())
        return *value;
    std::string list;
    for (const auto& choice : choices)
        list += (list.empty() ? "" : " or ") + choice;
    throw ParamError{"expected " + list + ", got \"" + *value + "\"", name};
}

std::int64_t path_id(const std::string& segment, const std::string& name) {
    auto id = whole_number<std::int64_t>(segment);
    if (!id || *id <= 0)
        throw ParamError{"expected a positive whole number, got \"" + segment.substr(0, 64) + "\"",
                         name};
    return *id;
}

} // namespace newsmon::web
