// Concurrent HTTP GETs on one libcurl multi handle, polite per host and bounded in size and time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>

#include "fetch/curl_handles.hpp"

#include "config/config.hpp"

namespace newsmon::fetch {

struct FetchRequest {
    std::string url;
    std::string user_agent;
    std::optional<std::string> etag;          // sent as If-None-Match
    std::optional<std::string> last_modified; // sent as If-Modified-Since
};

struct FetchResult {
    std::string url;           // the URL that was requested
    std::string effective_url; // after redirects
    long status = 0;           // HTTP status; 0 when no response arrived
    std::string body;
    std::string content_type;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::optional<std::string> retry_after;
    std::optional<std::string> cache_control;
    // Every redirect on the way was a 301 or 308: the feed has moved for good.
    bool permanent_redirect = false;
    std::string error; // empty on a transport success, whatever the status
    std::chrono::milliseconds elapsed{0};

    [[nodiscard]] bool transport_ok() const { return error.empty(); }
    [[nodiscard]] bool not_modified() const { return error.empty() && status == 304; }
    [[nodiscard]] bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

struct FetcherLimits {
    std::chrono::milliseconds timeout{30'000};
    std::chrono::milliseconds connect_timeout{10'000};
    std::size_t max_body = 16U << 20;
    int concurrency = 32;
    int per_host = 2;
    bool block_private = true;
    // A transfer slower than this many bytes a second for this long is cut off (a drip).
    long low_speed_bytes = 256;
    std::chrono::seconds low_speed_time{15};

    static FetcherLimits from(const config::HttpSettings& http);
};

// Keeps one multi handle, and so its connection cache, from one fetch_all to the next:
// feeds polled every few minutes reuse their connections (and HTTP/2 sessions).
class Fetcher {
public:
    explicit Fetcher(FetcherLimits limits);
    ~Fetcher();
    Fetcher(const Fetcher&) = delete;
    Fetcher& operator=(const Fetcher&) = delete;

    void set_limits(FetcherLimits limits) { m_limits = limits; }

    using OnDone = std::function<void(std::size_t request_index, FetchResult&& result)>;
    using Cancelled = std::function<bool()>;

    // Runs every request, calling `on_done` as each finishes (in this thread). When `cancelled`
    // turns true, transfers not yet finished end with the error "cancelled".
    void fetch_all(const std::vector<FetchRequest>& requests, const OnDone& on_done,
                   const Cancelled& cancelled = nullptr);

private:
    FetcherLimits m_limits;
    CurlMulti m_multi;
};

} // namespace newsmon::fetch
