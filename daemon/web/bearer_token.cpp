#include "web/bearer_token.hpp"

#include <openssl/crypto.h>

#include <cctype>
#include <fstream>

namespace newsmon::web {
namespace {

constexpr std::size_t k_min_token = 16;

tl::expected<std::string, std::string> read_token(const std::string& file) {
    std::ifstream in(file);
    std::string token;
    if (!in || !std::getline(in, token))
        return tl::unexpected("[web] token_file " + file + ": cannot read the file");
    while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    if (token.size() < k_min_token)
        return tl::unexpected("[web] token_file " + file +
                              ": the token on its first line is shorter than 16 characters");
    return token;
}

} // namespace

tl::expected<std::optional<std::string>, std::string>
configured_token(const config::WebSettings& web) {
    if (!web.token.empty()) {
        if (web.token.size() < k_min_token)
            return tl::unexpected(std::string(
                "the credential web-token: its first line is shorter than 16 characters"));
        return web.token;
    }
    if (web.token_file.empty())
        return std::nullopt;
    auto token = read_token(web.token_file);
    if (!token)
        return tl::unexpected(token.error());
    return *token;
}

bool bearer_matches(const httplib::Request& request, const std::string& token) {
    std::string header = request.get_header_value("Authorization");
    // The scheme's name is case-insensitive (RFC 7235): "bearer " is as good.
    constexpr std::string_view k_scheme = "bearer ";
    if (header.size() < k_scheme.size() || header.size() - k_scheme.size() != token.size())
        return false;
    for (std::size_t i = 0; i < k_scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != k_scheme[i])
            return false;
    return CRYPTO_memcmp(header.data() + k_scheme.size(), token.data(), token.size()) == 0;
}

} // namespace newsmon::web
