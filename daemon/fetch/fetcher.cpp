#include "fetch/fetcher.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <map>

#include "fetch/curl_handles.hpp"
#include "fetch/private_address.hpp"

namespace newsmon::fetch {
namespace {

constexpr long k_max_redirects = 5;

// What one transfer owns while it runs; its address is the handle's CURLOPT_PRIVATE.
struct Transfer {
    std::size_t index = 0;
    std::string host;
    CurlEasy easy;
    CurlSlist headers;
    FetchResult result;
    std::size_t max_body = 0;
    bool too_large = false;
    bool blocked_address = false;
    bool block_private = false;
    // A proxy from the environment carries the transfer: the sockets go to the proxy, so the
    // target's host name is resolved and checked before each request (first and redirects).
    bool via_proxy = false;
    bool unresolved_target = false;
    long redirects = 0;
    std::chrono::milliseconds timeout{0};
    std::optional<std::string> setup_error; // libcurl refused the handle or an option
    std::vector<long> statuses;             // of every response, redirects included
    std::chrono::steady_clock::time_point started;
};

std::string host_of(const std::string& url) {
    CurlUrl handle{curl_url()};
    if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return url;
    char* raw = nullptr;
    if (curl_url_get(handle.get(), CURLUPART_HOST, &raw, 0) != CURLUE_OK)
        return url;
    CurlString host{raw};
    return host.get();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::size_t bytes = size * count;
    if (transfer->result.body.size() + bytes > transfer->max_body) {
        transfer->too_large = true;
        return 0; // aborts the transfer: never buffer more than max_body
    }
    transfer->result.body.append(data, bytes);
    return bytes;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    return text;
}

bool header_is(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':')
        return false;
    return std::equal(name.begin(), name.end(), line.begin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    auto& result = transfer->result;
    if (line.starts_with("HTTP/")) { // a new response (after a redirect): forget the last one's
        result.etag.reset();
        result.last_modified.reset();
        result.retry_after.reset();
        result.cache_control.reset();
        result.content_type.clear();
        auto space = line.find(' ');
        transfer->statuses.push_back(
            space == std::string_view::npos
                ? 0
                : std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10));
    } else if (header_is(line, "retry-after")) {
        result.retry_after = std::string(trim(line.substr(12)));
    } else if (header_is(line, "cache-control")) {
        result.cache_control = std::string(trim(line.substr(14)));
    } else if (header_is(line, "etag")) {
        result.etag = std::string(trim(line.substr(5)));
    } else if (header_is(line, "last-modified")) {
        result.last_modified = std::string(trim(line.substr(14)));
    } else if (header_is(line, "content-type")) {
        result.content_type = std::string(trim(line.substr(13)));
    }
    return size * count;
}

curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) {
    auto* transfer = static_cast<Transfer*>(user);
    if (transfer->block_private && !transfer->via_proxy && is_private_address(&address->addr)) {
        transfer->blocked_address = true;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

// libcurl takes its proxy from these variables (http_proxy only in lower case).
bool proxy_in_environment() {
    for (const char* name :
         {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
        const char* value = std::getenv(name);
        if (value && *value)
            return true;
    }
    return false;
}

struct AddrInfoDeleter {
    void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

// Whether the URL's host resolves to nothing or to any address a public feed must not reach.
// Blocking, and only for transfers through a proxy, where no socket shows the target.
bool target_refused(const std::string& url, bool& unresolved) {
    std::string host = host_of(url);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &raw) != 0 || !raw) {
        unresolved = true;
        return true;
    }
    std::unique_ptr<addrinfo, AddrInfoDeleter> list(raw);
    for (const addrinfo* entry = list.get(); entry; entry = entry->ai_next)
        if (is_private_address(entry->ai_addr))
            return true;
    return false;
}

// Redirects are followed here rather than by libcurl, so each target can be checked before it
// is requested through a proxy.
bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void set_options(Transfer& transfer, const FetchRequest& request, const FetcherLimits& limits) {
    EasyOptions options(transfer.easy.get());
    options.set(CURLOPT_URL, request.url.c_str())
        .set(CURLOPT_PRIVATE, &transfer)
        .set(CURLOPT_USERAGENT, request.user_agent.c_str())
        .set(CURLOPT_FOLLOWLOCATION, 0L)
        .set(CURLOPT_PROTOCOLS_STR, "http,https")
        .set(CURLOPT_ACCEPT_ENCODING, "") // every encoding this libcurl can decode
        .set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS)) // h2 where offered
        .set(CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()))
        .set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()))
        .set(CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes)
        .set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.low_speed_time.count()))
        .set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_body))
        .set(CURLOPT_NOSIGNAL, 1L)
        .set(CURLOPT_WRITEFUNCTION, on_body)
        .set(CURLOPT_WRITEDATA, &transfer)
        .set(CURLOPT_HEADERFUNCTION, on_header)
        .set(CURLOPT_HEADERDATA, &transfer)
        .set(CURLOPT_OPENSOCKETFUNCTION, on_open_socket)
        .set(CURLOPT_OPENSOCKETDATA, &transfer);
    curl_slist* headers = curl_slist_append(
        nullptr, "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
                 "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    if (request.etag)
        headers = curl_slist_append(headers, ("If-None-Match: " + *request.etag).c_str());
    if (request.last_modified)
        headers =
            curl_slist_append(headers, ("If-Modified-Since: " + *request.last_modified).c_str());
    transfer.headers.reset(headers);
    options.set(CURLOPT_HTTPHEADER, headers);
    transfer.setup_error = options.error();
}

std::unique_ptr<Transfer> make_transfer(const FetchRequest& request, std::size_t index,
                                        const FetcherLimits& limits, bool via_proxy) {
    auto transfer = std::make_unique<Transfer>();
    transfer->index = index;
    transfer->host = host_of(request.url);
    transfer->max_body = limits.max_body;
    transfer->block_private = limits.block_private;
    transfer->via_proxy = via_proxy;
    transfer->timeout = limits.timeout;
    transfer->result.url = request.url;
    transfer->easy.reset(curl_easy_init());
    if (!transfer->easy)
        transfer->setup_error = "curl_easy_init failed";
    else
        set_options(*transfer, request, limits);
    return transfer;
}

// Before a request goes out through a proxy: false when block_private refuses its target.
bool admit_target(Transfer& transfer, const std::string& url) {
    if (!transfer.via_proxy || !transfer.block_private)
        return true;
    if (target_refused(url, transfer.unresolved_target)) {
        transfer.blocked_address = true;
        return false;
    }
    return true;
}

// After a response: true when it was a redirect the handle is now set to follow (the caller
// adds it again); false when the response (or a refusal) is the transfer's end.
bool follow_redirect(Transfer& transfer) {
    CURL* easy = transfer.easy.get();
    long status = 0;
    char* location = nullptr;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (!is_redirect(status) ||
        curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) != CURLE_OK || !location)
        return false;
    if (transfer.redirects >= k_max_redirects) {
        transfer.result.error = "too many redirects (more than " + std::to_string(k_max_redirects) +
                                "), or a redirect loop";
        return false;
    }
    std::string next = location;
    if (!admit_target(transfer, next))
        return false;
    ++transfer.redirects;
    transfer.result.body.clear();
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - transfer.started);
    long left = std::max<long>(1, static_cast<long>((transfer.timeout - spent).count()));
    EasyOptions options(easy);
    options.set(CURLOPT_URL, next.c_str()).set(CURLOPT_TIMEOUT_MS, left);
    if (auto error = options.error()) {
        transfer.result.error = *error;
        return false;
    }
    return true;
}

std::string refusal(const Transfer& transfer) {
    if (transfer.unresolved_target)
        return "cannot resolve the target to check it before using the proxy (block_private)";
    return "refused to connect to a private or loopback address (block_private)";
}

void finish_transfer(Transfer& transfer, CURLcode code) {
    FetchResult& result = transfer.result;
    CURL* easy = transfer.easy.get();
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    result.effective_url = effective ? effective : result.url;
    // Informational 1xx responses do not count; every response before the last is a redirect.
    std::erase_if(transfer.statuses, [](long status) { return status >= 100 && status < 200; });
    result.permanent_redirect =
        transfer.statuses.size() > 1 &&
        std::all_of(transfer.statuses.begin(), transfer.statuses.end() - 1,
                    [](long status) { return status == 301 || status == 308; });
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - transfer.started);
    if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED)
        result.error =
            "response body exceeds max_body (" + std::to_string(transfer.max_body) + " bytes)";
    else if (transfer.blocked_address)
        result.error = refusal(transfer);
    else if (code != CURLE_OK && result.error.empty())
        result.error = curl_easy_strerror(code);
    if (!result.error.empty())
        result.body.clear();
}

} // namespace

FetcherLimits FetcherLimits::from(const config::HttpSettings& http) {
    FetcherLimits limits;
    limits.timeout = http.timeout;
    limits.connect_timeout = http.connect_timeout;
    limits.max_body = static_cast<std::size_t>(http.max_body.bytes);
    limits.concurrency = http.concurrency;
    limits.per_host = http.per_host;
    limits.block_private = http.block_private;
    return limits;
}

Fetcher::Fetcher(FetcherLimits limits) : m_limits(limits), m_multi(curl_multi_init()) {
    curl_multi_setopt(m_multi.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
}

Fetcher::~Fetcher() = default;

void Fetcher::fetch_all(const std::vector<FetchRequest>& requests, const OnDone& on_done,
                        const Cancelled& cancelled) {
    CURLM* multi = m_multi.get();

    struct HostQueue {
        std::deque<std::size_t> waiting;
        int active = 0;
    };
    // A transfer (and its curl handle, with its buffers) exists only while it runs, so a
    // thousand queued feeds cost a thousand small queue entries, not a thousand handles.
    std::map<std::string, HostQueue> hosts;
    std::vector<std::unique_ptr<Transfer>> transfers(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i)
        hosts[host_of(requests[i].url)].waiting.push_back(i);
    int active = 0;
    std::size_t finished = 0;
    const bool via_proxy = proxy_in_environment();

    auto complete = [&](std::size_t index) {
        Transfer& transfer = *transfers[index];
        --hosts[transfer.host].active;
        ++finished;
        on_done(index, std::move(transfer.result));
        transfers[index].reset();
    };
    // A transfer refused before it reached libcurl's multi handle.
    auto end_unstarted = [&](Transfer& transfer) {
        transfer.result.error = transfer.setup_error       ? *transfer.setup_error
                                : transfer.blocked_address ? refusal(transfer)
                                                           : "libcurl refused the transfer";
        complete(transfer.index);
    };

    auto start_what_fits = [&] {
        bool started_one = true;
        while (started_one && active < m_limits.concurrency) {
            started_one = false;
            for (auto& [host, queue] : hosts) {
                if (active >= m_limits.concurrency)
                    break;
                if (queue.waiting.empty() || queue.active >= m_limits.per_host)
                    continue;
                std::size_t index = queue.waiting.front();
                queue.waiting.pop_front();
                transfers[index] = make_transfer(requests[index], index, m_limits, via_proxy);
                Transfer& transfer = *transfers[index];
                transfer.started = std::chrono::steady_clock::now();
                ++queue.active;
                started_one = true;
                if (!transfer.setup_error && admit_target(transfer, requests[index].url) &&
                    curl_multi_add_handle(multi, transfer.easy.get()) == CURLM_OK) {
                    ++active;
                    continue;
                }
                end_unstarted(transfer);
            }
        }
    };
    while (finished < requests.size()) {
        if (cancelled && cancelled()) {
            for (auto& [host, queue] : hosts) // never started: they end as cancelled too
                for (std::size_t index : queue.waiting) {
                    FetchResult result;
                    result.url = requests[index].url;
                    result.error = "cancelled";
                    ++finished;
                    on_done(index, std::move(result));
                }
            for (std::size_t index = 0; index < transfers.size(); ++index) {
                if (!transfers[index])
                    continue;
                curl_multi_remove_handle(multi, transfers[index]->easy.get());
                transfers[index]->result.error = "cancelled";
                complete(index);
            }
            return;
        }
        start_what_fits();
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            Transfer* transfer = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
            CURLcode code = message->data.result;
            curl_multi_remove_handle(multi, message->easy_handle);
            if (code == CURLE_OK && follow_redirect(*transfer) &&
                curl_multi_add_handle(multi, message->easy_handle) == CURLM_OK)
                continue;
            --active;
            finish_transfer(*transfer, code);
            complete(transfer->index);
        }
        if (finished < requests.size())
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
}

} // namespace newsmon::fetch
