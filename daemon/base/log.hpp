// Structured logging: a constant message plus key=value fields, as text or one JSON object a line.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <spdlog/spdlog.h>

namespace newsmon::log {

struct Field {
    std::string_view key;
    std::string value;
    bool quoted_in_json = true; // false for numbers and booleans
};

inline Field field(std::string_view key, std::string_view value) {
    return {key, std::string(value), true};
}
template <class Number>
requires std::is_arithmetic_v<Number> Field field(std::string_view key, Number value) {
    if constexpr (std::is_same_v<Number, bool>)
        return {key, value ? "true" : "false", false};
    else
        return {key, std::to_string(value), false};
}

using Fields = std::initializer_list<Field>;

// Sets the level and the format; under systemd (JOURNAL_STREAM) lines carry "<N>" priority
// prefixes and no timestamps, since journald adds its own.
// `level` is spdlog's name (debug, info, warn, error); `format` is "text" or "json".
void setup(const std::string& level, const std::string& format,
           const std::optional<std::string>& level_override);

// Renders the message and fields in the configured format (exposed for tests).
[[nodiscard]] std::string render(std::string_view message, Fields fields);

void event(spdlog::level::level_enum level, std::string_view message, Fields fields);

inline void debug(std::string_view message, Fields fields = {}) {
    event(spdlog::level::debug, message, fields);
}
inline void info(std::string_view message, Fields fields = {}) {
    event(spdlog::level::info, message, fields);
}
inline void warn(std::string_view message, Fields fields = {}) {
    event(spdlog::level::warn, message, fields);
}
inline void error(std::string_view message, Fields fields = {}) {
    event(spdlog::level::err, message, fields);
}

} // namespace newsmon::log
