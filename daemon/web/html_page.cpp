#include "web/html_page.hpp"

#include <httplib.h>

#include "newsmon/parsers/html.hpp"
#include "web/json_reply.hpp"
#include "web/url_encoding.hpp"

namespace newsmon::web {
namespace {

// No script of any kind, no inline style, nothing from another origin; stored article HTML is
// sanitized, and this holds even if something slipped through.
constexpr const char* k_content_security_policy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

} // namespace

std::string html_text(std::string_view text) {
    return parsers::escape_html(text);
}

std::string json_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string html_document(const std::string& title, const std::string& main,
                          const std::string& query, const std::vector<PageLink>& feeds) {
    std::string html = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>)" + html_text(title) +
                       R"( · newsmon</title>
<link rel="stylesheet" href="/static/newsmon.css">
)";
    for (const auto& feed : feeds)
        html += R"(<link rel="alternate" type="application/atom+xml" title=")" +
                html_text(feed.title) + R"(" href=")" + html_text(feed.href) + "\">\n";
    html += R"(</head><body>
<header class="top"><a class="brand" href="/">newsmon</a>
<form class="search" action="/search" method="get" role="search">
<input type="search" name="q" aria-label="Search articles" placeholder="NATO AND summit" value=")" +
            html_text(query) + R"("> <button type="submit">Search</button></form></header>
<main>
)";
    html += main;
    html += R"(
</main>
<footer><a href="/">Dashboard</a> · <a href="/search">Search</a> · <a href="/api/v1/openapi.json">API</a></footer>
</body></html>
)";
    return html;
}

std::string topic_chips(const std::vector<std::string>& topics) {
    std::string html;
    for (const auto& topic : topics)
        html += R"(<a class="chip" href="/search?topic=)" + percent_encoded(topic) + "\">" +
                html_text(topic) + "</a> ";
    return html;
}

std::string time_element(const std::string& rfc3339) {
    std::string shown = rfc3339;
    if (shown.size() == 20 && shown[10] == 'T' && shown.back() == 'Z')
        shown = shown.substr(0, 10) + " " + shown.substr(11, 5) + " UTC";
    return R"(<time datetime=")" + html_text(rfc3339) + "\">" + html_text(shown) + "</time>";
}

void reply_html(const httplib::Request& request, httplib::Response& response, int status,
                const std::string& html) {
    response.set_header("Content-Security-Policy", k_content_security_policy);
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
    reply_body(request, response, status, html, "text/html; charset=utf-8");
}

void reply_html_error(const httplib::Request& request, httplib::Response& response, int status,
                      const std::string& message) {
    std::string main = R"(<h1>)" + std::to_string(status) + "</h1><p class=\"error\">" +
                       html_text(message) + "</p>";
    reply_html(request, response, status, html_document("Error", main));
}

} // namespace newsmon::web
