// A request's query parameters, read strictly: each is named in the endpoint's list, given at
// most once, bounded in length and checked for its form; a problem names the parameter.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/web_page.hpp"

namespace newsmon::web {

// What is wrong with a request: answered as 400 {"error": message, "parameter": parameter}.
struct ParamError {
    std::string message;
    std::string parameter;
};

class RequestParams {
public:
    // `given` as the server parsed it (a name may repeat); `allowed` is the endpoint's list.
    // Throws ParamError for an unknown or repeated parameter.
    RequestParams(const std::multimap<std::string, std::string>& given,
                  const std::vector<std::string>& allowed);

    // The value, or nullopt when absent; longer than `max_length` bytes is refused.
    [[nodiscard]] std::optional<std::string> text(const std::string& name,
                                                  std::size_t max_length) const;
    // A whole number from `low` to `high`, `fallback` when absent.
    [[nodiscard]] int number(const std::string& name, int low, int high, int fallback) const;
    // A date (2025-11-01), an RFC 3339 time, or a duration back from `now` ("7d"), as RFC 3339;
    // nullopt when absent.
    [[nodiscard]] std::optional<std::chrono::sys_seconds> time(const std::string& name,
                                                               std::chrono::sys_seconds now) const;
    // A cursor this server wrote, nullopt when absent.
    [[nodiscard]] std::optional<store::PageKey> cursor() const;
    // One of `choices`, `fallback` when absent.
    [[nodiscard]] std::string choice(const std::string& name,
                                     const std::vector<std::string>& choices,
                                     const std::string& fallback) const;

private:
    std::map<std::string, std::string> m_values;
};

// A path segment that must be a positive id; throws ParamError naming `name` otherwise.
[[nodiscard]] std::int64_t path_id(const std::string& segment, const std::string& name);

} // namespace newsmon::web
