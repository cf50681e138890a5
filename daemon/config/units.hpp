// Human units in the config: durations such as "30s", "1h30m" and sizes such as "16MiB".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace newsmon::config {

using Duration = std::chrono::milliseconds;

struct ByteSize {
    std::uint64_t bytes = 0;
    friend bool operator==(ByteSize, ByteSize) = default;
};

// Accepts one or more <number><unit> groups, units ms, s, m, h, d, w (7 days) and y (365 days):
// "90s", "1h30m", "2y".
[[nodiscard]] tl::expected<Duration, std::string> parse_duration(std::string_view text);

// Accepts <number>[unit] with B, KiB, MiB, GiB (binary) or kB, MB, GB (decimal).
[[nodiscard]] tl::expected<ByteSize, std::string> parse_size(std::string_view text);

// The largest binary unit that is exact: 16777216 -> "16MiB", 1000 -> "1000B".
[[nodiscard]] std::string format_size(ByteSize size);

// The shortest exact spelling: 90000ms -> "1m30s".
[[nodiscard]] std::string format_duration(Duration duration);

} // namespace newsmon::config
