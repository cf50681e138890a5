#include "fetch/fetcher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>

#include "fetch/curl_handles.hpp"

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
    std::vector<long> statuses; // of every response, redirects included
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
    if (transfer->block_private && is_private_address(&address->addr)) {
        transfer->blocked_address = true;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

template <class Value> void set(CURL* easy, CURLoption option, Value value) {
    curl_easy_setopt(easy, option, value);
}

std::unique_ptr<Transfer> make_transfer(const FetchRequest& request, std::size_t index,
                                        const FetcherLimits& limits) {
    auto transfer = std::make_unique<Transfer>();
    transfer->index = index;
    transfer->host = host_of(request.url);
    transfer->max_body = limits.max_body;
    transfer->block_private = limits.block_private;
    transfer->result.url = request.url;
    transfer->easy.reset(curl_easy_init());
    CURL* easy = transfer->easy.get();
    set(easy, CURLOPT_URL, request.url.c_str());
    set(easy, CURLOPT_PRIVATE, transfer.get());
    set(easy, CURLOPT_USERAGENT, request.user_agent.c_str());
    set(easy, CURLOPT_FOLLOWLOCATION, 1L);
    set(easy, CURLOPT_MAXREDIRS, k_max_redirects);
    set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(easy, CURLOPT_ACCEPT_ENCODING, ""); // every encoding this libcurl can decode
    set(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS)); // h2 where offered
    set(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
    set(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
    set(easy, CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes);
    set(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.low_speed_time.count()));
    set(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_body));
    set(easy, CURLOPT_NOSIGNAL, 1L);
    set(easy, CURLOPT_WRITEFUNCTION, on_body);
    set(easy, CURLOPT_WRITEDATA, transfer.get());
    set(easy, CURLOPT_HEADERFUNCTION, on_header);
    set(easy, CURLOPT_HEADERDATA, transfer.get());
    set(easy, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    set(easy, CURLOPT_OPENSOCKETDATA, transfer.get());
    curl_slist* headers = curl_slist_append(
        nullptr, "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
                 "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    if (request.etag)
        headers = curl_slist_append(headers, ("If-None-Match: " + *request.etag).c_str());
    if (request.last_modified)
        headers =
            curl_slist_append(headers, ("If-Modified-Since: " + *request.last_modified).c_str());
    transfer->headers.reset(headers);
    set(easy, CURLOPT_HTTPHEADER, headers);
    return transfer;
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
        result.error = "refused to connect to a private or loopback address (block_private)";
    else if (code == CURLE_TOO_MANY_REDIRECTS)
        result.error = "too many redirects (more than " + std::to_string(k_max_redirects) +
                       "), or a redirect loop";
    else if (code != CURLE_OK)
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
                transfers[index] = make_transfer(requests[index], index, m_limits);
                Transfer& transfer = *transfers[index];
                transfer.started = std::chrono::steady_clock::now();
                curl_multi_add_handle(multi, transfer.easy.get());
                ++queue.active;
                ++active;
                started_one = true;
            }
        }
    };
    auto complete = [&](std::size_t index) {
        Transfer& transfer = *transfers[index];
        --hosts[transfer.host].active;
        ++finished;
        on_done(index, std::move(transfer.result));
        transfers[index].reset();
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
            --active;
            finish_transfer(*transfer, code);
            complete(transfer->index);
        }
        if (finished < requests.size())
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
}

bool is_private_address(const sockaddr* address) {
    if (address->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
        std::uint32_t ip = ntohl(v4->sin_addr.s_addr);
        auto in_block = [ip](std::uint32_t network, int prefix) {
            std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
            return (ip & mask) == network;
        };
        return in_block(0x00000000, 8) || in_block(0x0A000000, 8) || in_block(0x64400000, 10) ||
               in_block(0x7F000000, 8) || in_block(0xA9FE0000, 16) || in_block(0xAC100000, 12) ||
               in_block(0xC0A80000, 16) || in_block(0xE0000000, 4) || in_block(0xF0000000, 4);
    }
    if (address->sa_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
        const unsigned char* b = v6->sin6_addr.s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
            sockaddr_in mapped{};
            mapped.sin_family = AF_INET;
            std::memcpy(&mapped.sin_addr, b + 12, 4);
            return is_private_address(reinterpret_cast<const sockaddr*>(&mapped));
        }
        return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr) ||
               IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr) || IN6_IS_ADDR_MULTICAST(&v6->sin6_addr) ||
               (b[0] & 0xFE) == 0xFC; // unique local fc00::/7
    }
    return false;
}

} // namespace newsmon::fetch
