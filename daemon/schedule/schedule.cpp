#include "schedule/schedule.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "newsmon/parsers/dates.hpp"

namespace newsmon::schedule {

Duration next_delay(const PollFacts& facts, double jitter) {
    Duration base = facts.interval;
    if (facts.failed && facts.consecutive_failures > 0) {
        // interval, 2x, 4x ... up to the cap; a failing feed keeps being tried at the cap.
        int doublings = std::min(facts.consecutive_failures - 1, 30);
        double factor = static_cast<double>(1LL << doublings);
        auto backed_off = static_cast<double>(base.count()) * factor;
        base = Duration{static_cast<Duration::rep>(
            std::min(backed_off, static_cast<double>(facts.max_backoff.count())))};
    }
    double clamped = std::clamp(jitter, -1.0, 1.0);
    auto delay = Duration{
        static_cast<Duration::rep>(static_cast<double>(base.count()) * (1.0 + 0.1 * clamped))};
    if (facts.failed) // the cap holds, jitter or not
        delay = std::min(delay, facts.max_backoff);
    for (const auto& floor : {facts.retry_after, facts.max_age, facts.feed_ttl})
        if (floor)
            delay = std::max(delay, *floor);
    return std::max(delay, Duration{1000});
}

Duration adaptive_interval(const std::vector<std::chrono::sys_seconds>& published, Duration minimum,
                           Duration maximum, Duration fallback) {
    if (published.size() < 3)
        return std::clamp(fallback, minimum, maximum);
    std::vector<std::chrono::seconds> gaps;
    for (std::size_t i = 1; i < published.size(); ++i)
        gaps.push_back(std::chrono::abs(published[i - 1] - published[i]));
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                     gaps.end());
    auto median = gaps[gaps.size() / 2];
    return std::clamp(std::chrono::duration_cast<Duration>(median) / 2, minimum, maximum);
}

std::optional<Duration> parse_retry_after(std::string_view value, std::chrono::sys_seconds now) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
        value.remove_suffix(1);
    long long seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc{} && end == value.data() + value.size())
        return seconds >= 0 ? std::optional<Duration>(std::chrono::seconds{seconds}) : std::nullopt;
    if (auto when = parsers::parse_date(value))
        return std::max(Duration{0}, std::chrono::duration_cast<Duration>(*when - now));
    return std::nullopt;
}

std::optional<Duration> parse_max_age(std::string_view cache_control) {
    std::string lowered;
    for (char c : cache_control)
        lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lowered.find("no-cache") != std::string::npos ||
        lowered.find("no-store") != std::string::npos)
        return std::nullopt;
    auto at = lowered.find("max-age=");
    if (at == std::string::npos)
        return std::nullopt;
    long long seconds = 0;
    const char* begin = lowered.data() + at + 8;
    auto [end, error] = std::from_chars(begin, lowered.data() + lowered.size(), seconds);
    if (error != std::errc{} || end == begin || seconds < 0)
        return std::nullopt;
    return std::chrono::seconds{seconds};
}

} // namespace newsmon::schedule
