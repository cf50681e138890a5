#include "service/archived_body.hpp"

#include <nlohmann/json.hpp>

#include "archive/zstd_frame.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/text.hpp"

namespace newsmon::service {

std::optional<store::ArchivedBody> archived_body(const config::Config& config,
                                                 const fetch::FetchResult& result,
                                                 const std::optional<std::string>& content_hash) {
    if (config.archive.keep.count() <= 0)
        return std::nullopt;
    // Header values are the server's bytes: kept only when they are text JSON can carry.
    nlohmann::json headers = nlohmann::json::object();
    auto keep = [&](const char* name, const std::optional<std::string>& value) {
        if (value && !value->empty() && parsers::is_valid_utf8(*value))
            headers[name] = *value;
    };
    keep("content-type", std::optional<std::string>(result.content_type));
    keep("etag", result.etag);
    keep("last-modified", result.last_modified);
    keep("cache-control", result.cache_control);
    keep("retry-after", result.retry_after);
    store::ArchivedBody body;
    // A redirect may have led anywhere, even to bytes that are not text: then the URL asked for.
    bool effective = !result.effective_url.empty() && parsers::is_valid_utf8(result.effective_url);
    body.url = effective ? result.effective_url : result.url;
    body.fetched_at = std::chrono::system_clock::now() - result.elapsed;
    body.http_status = result.status;
    body.headers_json = headers.dump();
    body.content_hash = content_hash ? *content_hash : parsers::change_digest_hex(result.body);
    body.size = result.body.size();
    body.frame = archive::compress(result.body);
    return body;
}

} // namespace newsmon::service
