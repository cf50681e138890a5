#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <zlib.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fetch/fetcher.hpp"
#include "fetch/private_address.hpp"
#include "http_test_server.hpp"

using namespace newsmon::fetch;
using newsmon::testkit::HttpTestServer;
using newsmon::testkit::Response;

namespace {

FetcherLimits local_limits() {
    FetcherLimits limits;
    limits.block_private = false; // the test server is on 127.0.0.1
    limits.timeout = std::chrono::seconds{10};
    return limits;
}

std::vector<FetchResult> fetch(const std::vector<FetchRequest>& requests,
                               FetcherLimits limits = local_limits()) {
    std::vector<FetchResult> results(requests.size());
    Fetcher fetcher(limits);
    fetcher.fetch_all(requests, [&](std::size_t index, FetchResult&& result) {
        results[index] = std::move(result);
    });
    return results;
}

} // namespace

TEST(Fetcher, ReturnsBodyStatusAndValidators) {
    HttpTestServer server;
    auto endpoint = server.serve("/feed", [](const httplib::Request&) {
        return Response{200,
                        "<rss/>",
                        "application/rss+xml",
                        {{"ETag", "\"v1\""}, {"Last-Modified", "Fri, 07 Nov 2025 10:10:00 GMT"}}};
    });
    auto results = fetch({{server.url("/feed"), "newsmon-test/1", std::nullopt, std::nullopt}});
    ASSERT_TRUE(results[0].ok()) << results[0].error;
    EXPECT_EQ(results[0].body, "<rss/>");
    EXPECT_EQ(results[0].etag, "\"v1\"");
    EXPECT_EQ(results[0].last_modified, "Fri, 07 Nov 2025 10:10:00 GMT");
    EXPECT_EQ(results[0].content_type, "application/rss+xml");
    auto seen = server.requests_to("/feed");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].find("User-Agent")->second, "newsmon-test/1");
}

TEST(Fetcher, SendsConditionalHeadersAndReports304) {
    HttpTestServer server;
    auto endpoint = server.serve("/feed", [](const httplib::Request& request) {
        if (request.get_header_value("If-None-Match") == "\"v1\"")
            return Response{304, "", "", {}};
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    auto results = fetch({{server.url("/feed"), "ua", "\"v1\"", "Fri, 07 Nov 2025 10:10:00 GMT"}});
    EXPECT_TRUE(results[0].not_modified());
    EXPECT_TRUE(results[0].body.empty());
    auto seen = server.requests_to("/feed");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].find("If-Modified-Since")->second, "Fri, 07 Nov 2025 10:10:00 GMT");
}

TEST(Fetcher, BodyOverTheLimitIsAbortedWithAClearError) {
    HttpTestServer server;
    auto endpoint = server.serve("/big", [](const httplib::Request&) {
        return Response{200, std::string(300'000, 'x'), "application/rss+xml", {}};
    });
    FetcherLimits limits = local_limits();
    limits.max_body = 100'000;
    auto results = fetch({{server.url("/big"), "ua", std::nullopt, std::nullopt}}, limits);
    EXPECT_FALSE(results[0].ok());
    EXPECT_NE(results[0].error.find("max_body"), std::string::npos) << results[0].error;
    EXPECT_TRUE(results[0].body.empty());
}

TEST(Fetcher, ServerThatHangsIsCutOffByTheTimeout) {
    HttpTestServer server;
    std::atomic<bool> release{false};
    auto endpoint = server.serve("/hang", [&](const httplib::Request&) {
        for (int i = 0; i < 100 && !release; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds{50});
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    FetcherLimits limits = local_limits();
    limits.timeout = std::chrono::milliseconds{500};
    auto started = std::chrono::steady_clock::now();
    auto results = fetch({{server.url("/hang"), "ua", std::nullopt, std::nullopt}}, limits);
    auto waited = std::chrono::steady_clock::now() - started;
    release = true;
    EXPECT_FALSE(results[0].transport_ok());
    EXPECT_LT(waited, std::chrono::seconds{3});
}

TEST(Fetcher, RedirectLoopIsAnError) {
    HttpTestServer server;
    auto a = server.serve("/a", [&](const httplib::Request&) {
        return Response{302, "", "text/plain", {{"Location", server.url("/b")}}};
    });
    auto b = server.serve("/b", [&](const httplib::Request&) {
        return Response{302, "", "text/plain", {{"Location", server.url("/a")}}};
    });
    auto results = fetch({{server.url("/a"), "ua", std::nullopt, std::nullopt}});
    EXPECT_NE(results[0].error.find("redirect"), std::string::npos) << results[0].error;
    EXPECT_LE(server.request_count("/a") + server.request_count("/b"), 6);
}

TEST(Fetcher, PrivateAddressesAreRefusedWhenBlocked) {
    HttpTestServer server;
    auto endpoint = server.serve("/feed", [](const httplib::Request&) {
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    FetcherLimits limits = local_limits();
    limits.block_private = true;
    auto results = fetch({{server.url("/feed"), "ua", std::nullopt, std::nullopt}}, limits);
    EXPECT_NE(results[0].error.find("block_private"), std::string::npos) << results[0].error;
    EXPECT_EQ(server.request_count("/feed"), 0);
}

TEST(Fetcher, PerHostLimitIsRespected) {
    HttpTestServer server;
    std::atomic<int> in_flight{0}, most{0};
    auto endpoint = server.serve("/slow", [&](const httplib::Request&) {
        int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
        --in_flight;
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    std::vector<FetchRequest> requests(6, {server.url("/slow"), "ua", std::nullopt, std::nullopt});
    FetcherLimits limits = local_limits();
    limits.per_host = 2;
    auto results = fetch(requests, limits);
    for (const auto& result : results)
        EXPECT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(most.load(), 2);
}

TEST(Fetcher, CancelEndsUnfinishedTransfers) {
    HttpTestServer server;
    std::atomic<bool> release{false};
    auto endpoint = server.serve("/hang", [&](const httplib::Request&) {
        for (int i = 0; i < 100 && !release; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds{50});
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    Fetcher fetcher(local_limits());
    std::vector<FetchRequest> requests(3, {server.url("/hang"), "ua", std::nullopt, std::nullopt});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{300};
    int cancelled = 0;
    fetcher.fetch_all(
        requests,
        [&](std::size_t, FetchResult&& result) { cancelled += result.error == "cancelled"; },
        [&] { return std::chrono::steady_clock::now() > deadline; });
    release = true;
    EXPECT_EQ(cancelled, 3);
}

TEST(PrivateAddresses, ClassifiesV4AndV6) {
    auto v4 = [](const char* text) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        inet_pton(AF_INET, text, &address.sin_addr);
        return is_private_address(reinterpret_cast<const sockaddr*>(&address));
    };
    auto v6 = [](const char* text) {
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        inet_pton(AF_INET6, text, &address.sin6_addr);
        return is_private_address(reinterpret_cast<const sockaddr*>(&address));
    };
    for (const char* blocked : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                                "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"})
        EXPECT_TRUE(v4(blocked)) << blocked;
    for (const char* allowed : {"8.8.8.8", "172.32.0.1", "93.184.216.34", "100.128.0.1"})
        EXPECT_FALSE(v4(allowed)) << allowed;
    for (const char* blocked : {"::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1"})
        EXPECT_TRUE(v6(blocked)) << blocked;
    EXPECT_FALSE(v6("2001:4860:4860::8888"));
}

namespace {

// `plain` gzip-compressed, as a server would send it with Content-Encoding: gzip.
std::string gzip(const std::string& plain) {
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, plain.size()) + 64, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    stream.avail_in = static_cast<uInt>(plain.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

} // namespace

TEST(Fetcher, AsksForCompressionAndDecodesIt) {
    HttpTestServer server;
    std::string feed = "<rss version=\"2.0\"><channel><title>gz</title></channel></rss>";
    auto endpoint = server.serve("/gz", [&](const httplib::Request&) {
        return Response{200, gzip(feed), "application/rss+xml", {{"Content-Encoding", "gzip"}}};
    });
    auto results = fetch({{server.url("/gz"), "ua", std::nullopt, std::nullopt}});
    ASSERT_TRUE(results[0].ok()) << results[0].error;
    EXPECT_EQ(results[0].body, feed);
    auto seen = server.requests_to("/gz");
    EXPECT_NE(seen[0].find("Accept-Encoding")->second.find("gzip"), std::string::npos);
}

TEST(Fetcher, AGzipBombIsCutByMaxBodyCountedAfterDecompression) {
    HttpTestServer server;
    std::string bomb = gzip(std::string(50U << 20, ' ')); // 50 MiB of spaces, ~50 KB on the wire
    auto endpoint = server.serve("/bomb", [&](const httplib::Request&) {
        return Response{200, bomb, "application/rss+xml", {{"Content-Encoding", "gzip"}}};
    });
    FetcherLimits limits = local_limits();
    limits.max_body = 1U << 20;
    auto results = fetch({{server.url("/bomb"), "ua", std::nullopt, std::nullopt}}, limits);
    EXPECT_NE(results[0].error.find("max_body"), std::string::npos) << results[0].error;
    EXPECT_TRUE(results[0].body.empty());
}

TEST(Fetcher, TwentyMegabytesAreRefusedByTheDefaultLimit) {
    HttpTestServer server;
    std::string huge(20U << 20, 'x');
    auto endpoint = server.serve("/huge", [&](const httplib::Request&) {
        return Response{200, huge, "application/rss+xml", {}};
    });
    FetcherLimits limits = FetcherLimits::from(newsmon::config::HttpSettings{});
    limits.block_private = false;
    auto results = fetch({{server.url("/huge"), "ua", std::nullopt, std::nullopt}}, limits);
    EXPECT_NE(results[0].error.find("max_body (16777216 bytes)"), std::string::npos)
        << results[0].error;
}

TEST(Fetcher, ADripFeedIsCutOffByTheLowSpeedLimit) {
    HttpTestServer server;
    std::atomic<bool> stop{false};
    auto endpoint =
        server.serve_raw("/drip", [&](const httplib::Request&, httplib::Response& response) {
            response.set_chunked_content_provider(
                "application/rss+xml", [&](std::size_t, httplib::DataSink& sink) {
                    if (stop)
                        return false;
                    sink.write("<", 1);
                    std::this_thread::sleep_for(std::chrono::milliseconds{200});
                    return true;
                });
        });
    FetcherLimits limits = local_limits();
    limits.timeout = std::chrono::seconds{30};
    limits.low_speed_bytes = 100;
    limits.low_speed_time = std::chrono::seconds{2};
    auto started = std::chrono::steady_clock::now();
    auto results = fetch({{server.url("/drip"), "ua", std::nullopt, std::nullopt}}, limits);
    auto took = std::chrono::steady_clock::now() - started;
    stop = true;
    EXPECT_FALSE(results[0].transport_ok());
    EXPECT_LT(took, std::chrono::seconds{6});
    EXPECT_GE(took, std::chrono::seconds{2});
}

TEST(Fetcher, RecordsRetryAfterCacheControlAndPermanentRedirects) {
    HttpTestServer server;
    auto limited = server.serve("/limited", [](const httplib::Request&) {
        return Response{429, "slow down", "text/plain", {{"Retry-After", "120"}}};
    });
    auto moved = server.serve("/moved", [&](const httplib::Request&) {
        return Response{308, "", "text/plain", {{"Location", server.url("/here")}}};
    });
    auto here = server.serve("/here", [](const httplib::Request&) {
        return Response{200, "<rss/>", "application/rss+xml", {{"Cache-Control", "max-age=300"}}};
    });
    auto results = fetch({{server.url("/limited"), "ua", std::nullopt, std::nullopt},
                          {server.url("/moved"), "ua", std::nullopt, std::nullopt}});
    EXPECT_EQ(results[0].status, 429);
    EXPECT_EQ(results[0].retry_after, "120");
    EXPECT_TRUE(results[1].ok());
    EXPECT_TRUE(results[1].permanent_redirect);
    EXPECT_EQ(results[1].effective_url, server.url("/here"));
    EXPECT_EQ(results[1].cache_control, "max-age=300");
}

namespace {

// An HTTP proxy on 127.0.0.1 that forwards nothing: it records each request line and answers
// it itself, one request per connection.
class RecordingProxy {
public:
    using Answer = std::function<std::string(const std::string& request_line)>;

    explicit RecordingProxy(Answer answer) : m_answer(std::move(answer)) {
        m_listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(bind(m_listener, reinterpret_cast<sockaddr*>(&address), length), 0);
        EXPECT_EQ(listen(m_listener, 16), 0);
        getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~RecordingProxy() {
        m_stop = true;
        m_thread.join();
        close(m_listener);
    }
    RecordingProxy(const RecordingProxy&) = delete;
    RecordingProxy& operator=(const RecordingProxy&) = delete;

    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    [[nodiscard]] std::vector<std::string> requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void serve() {
        while (!m_stop) {
            pollfd waiting{m_listener, POLLIN, 0};
            if (poll(&waiting, 1, 50) <= 0)
                continue;
            int connection = accept(m_listener, nullptr, nullptr);
            if (connection < 0)
                continue;
            answer(connection);
            close(connection);
        }
    }
    void answer(int connection) {
        std::string received;
        char buffer[4096];
        while (received.find("\r\n\r\n") == std::string::npos) {
            pollfd readable{connection, POLLIN, 0};
            if (poll(&readable, 1, 2000) <= 0)
                return;
            auto got = read(connection, buffer, sizeof buffer);
            if (got <= 0)
                return;
            received.append(buffer, static_cast<std::size_t>(got));
        }
        std::string line = received.substr(0, received.find("\r\n"));
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(line);
        }
        std::string response = m_answer(line);
        (void)!write(connection, response.data(), response.size());
    }

    Answer m_answer;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_requests;
};

// Sets an environment variable for one test, and puts back what was there.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name))
            m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

std::string feed_response() {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 6\r\n"
           "Connection: close\r\n\r\n<rss/>";
}

FetcherLimits blocking_limits() {
    FetcherLimits limits = local_limits();
    limits.block_private = true;
    return limits;
}

} // namespace

// 203.0.113.0/24 is a documentation range: the proxy answers for it, nothing leaves the host.
TEST(FetcherProxy, APublicTargetGoesThroughAProxyOnAPrivateAddress) {
    RecordingProxy proxy([](const std::string&) { return feed_response(); });
    ScopedEnv http_proxy("http_proxy", proxy.url());
    ScopedEnv no_proxy("no_proxy", "");
    auto results =
        fetch({{"http://203.0.113.10/feed", "ua", std::nullopt, std::nullopt}}, blocking_limits());
    ASSERT_TRUE(results[0].ok()) << results[0].error;
    EXPECT_EQ(results[0].body, "<rss/>");
    EXPECT_EQ(proxy.requests(), std::vector<std::string>{"GET http://203.0.113.10/feed HTTP/1.1"});
}

TEST(FetcherProxy, PrivateTargetsAreCheckedBeforeTheProxySeesThem) {
    RecordingProxy proxy([](const std::string&) { return feed_response(); });
    ScopedEnv http_proxy("http_proxy", proxy.url());
    ScopedEnv no_proxy("no_proxy", "");
    std::vector<FetchRequest> requests;
    for (const char* url :
         {"http://127.0.0.1:9/feed", "http://10.1.2.3/feed", "http://169.254.169.254/latest",
          "http://[fe80::1]/feed", "http://[64:ff9b::a01:203]/feed", "http://localhost:9/feed",
          "http://198.18.0.1/feed", "http://no-such-host.invalid/feed"})
        requests.push_back({url, "ua", std::nullopt, std::nullopt});
    auto results = fetch(requests, blocking_limits());
    for (std::size_t i = 0; i < results.size(); ++i)
        EXPECT_NE(results[i].error.find("block_private"), std::string::npos)
            << requests[i].url << ": " << results[i].error;
    EXPECT_TRUE(proxy.requests().empty());
}

TEST(FetcherProxy, ARedirectThroughTheProxyToAPrivateTargetIsRefused) {
    RecordingProxy proxy([](const std::string&) {
        return std::string("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/\r\n"
                           "Content-Length: 0\r\nConnection: close\r\n\r\n");
    });
    ScopedEnv http_proxy("http_proxy", proxy.url());
    ScopedEnv no_proxy("no_proxy", "");
    auto results =
        fetch({{"http://203.0.113.10/feed", "ua", std::nullopt, std::nullopt}}, blocking_limits());
    EXPECT_NE(results[0].error.find("block_private"), std::string::npos) << results[0].error;
    EXPECT_EQ(proxy.requests(), std::vector<std::string>{"GET http://203.0.113.10/feed HTTP/1.1"});
}

TEST(EasyOptions, KeepsTheFirstOptionLibcurlRefuses) {
    CurlEasy easy(curl_easy_init());
    ASSERT_TRUE(easy);
    EasyOptions good(easy.get());
    good.set(CURLOPT_PROTOCOLS_STR, "http,https").set(CURLOPT_NOSIGNAL, 1L);
    EXPECT_FALSE(good.error());
    EasyOptions bad(easy.get());
    bad.set(CURLOPT_NOSIGNAL, 1L)
        .set(CURLOPT_PROTOCOLS_STR, "http,no-such-protocol")
        .set(CURLOPT_HTTP_VERSION, 1000L);
    ASSERT_TRUE(bad.error());
    EXPECT_NE(bad.error()->find(std::to_string(static_cast<int>(CURLOPT_PROTOCOLS_STR))),
              std::string::npos)
        << *bad.error();
}
