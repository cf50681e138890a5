#include "web/json_reply.hpp"

#include <openssl/evp.h>

#include <array>
#include <string_view>

namespace newsmon::web {
namespace {

// Whether an If-None-Match value ("a", "b" or *) names `etag`; weak forms compare by value.
bool names_etag(std::string_view header, std::string_view etag) {
    if (header == "*")
        return true;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (item.starts_with("W/"))
            item.remove_prefix(2);
        if (item == etag)
            return true;
        if (comma == std::string_view::npos)
            break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

} // namespace

std::string etag_of(const std::string& body) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(body.data(), body.size(), digest.data(), &length, EVP_sha256(), nullptr);
    constexpr std::string_view k_hex = "0123456789abcdef";
    std::string etag = "\"";
    for (unsigned int i = 0; i < length && i < 16; ++i) {
        etag += k_hex[digest[i] >> 4];
        etag += k_hex[digest[i] & 0x0F];
    }
    return etag + "\"";
}

void reply_json(const httplib::Request& request, httplib::Response& response, int status,
                const nlohmann::json& body) {
    reply_body(request, response, status,
               body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
               "application/json; charset=utf-8");
}

void reply_body(const httplib::Request& request, httplib::Response& response, int status,
                const std::string& body, const std::string& content_type) {
    std::string etag = etag_of(body);
    response.set_header("ETag", etag);
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Content-Type-Options", "nosniff");
    if (status == 200 && names_etag(request.get_header_value("If-None-Match"), etag)) {
        response.status = 304;
        return;
    }
    response.status = status;
    response.set_content(body, content_type);
}

void reply_error(const httplib::Request& request, httplib::Response& response, int status,
                 const std::string& message, const std::string& parameter) {
    nlohmann::json body = {{"error", message}};
    if (!parameter.empty())
        body["parameter"] = parameter;
    reply_json(request, response, status, body);
}

} // namespace newsmon::web
