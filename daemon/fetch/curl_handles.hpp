// The one place that owns libcurl's C handles: deleters and unique_ptr aliases.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <curl/curl.h>

namespace newsmon::fetch {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlMultiDeleter {
    void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlUrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
    void operator()(char* text) const { curl_free(text); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// Sets the options of one easy handle and keeps the first one libcurl refused: a refused
// option (a libcurl built without a feature, a bad value) must fail the transfer, never be
// skipped quietly (a refused CURLOPT_PROTOCOLS_STR would allow every protocol).
class EasyOptions {
public:
    explicit EasyOptions(CURL* easy) : m_easy(easy) {}

    template <class Value> EasyOptions& set(CURLoption option, Value value) {
        if (m_failed == CURLE_OK) {
            CURLcode code = curl_easy_setopt(m_easy, option, value);
            if (code != CURLE_OK) {
                m_failed = code;
                m_option = option;
            }
        }
        return *this;
    }

    // "libcurl refused option N: <reason>", or nothing when every option was taken.
    [[nodiscard]] std::optional<std::string> error() const {
        if (m_failed == CURLE_OK)
            return std::nullopt;
        return "libcurl refused option " + std::to_string(static_cast<int>(m_option)) + ": " +
               curl_easy_strerror(m_failed);
    }

private:
    CURL* m_easy;
    CURLcode m_failed = CURLE_OK;
    CURLoption m_option{};
};

// curl_global_init/cleanup for the life of the process; create one in main before any thread.
class CurlGlobal {
public:
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

} // namespace newsmon::fetch
