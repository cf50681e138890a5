// The dashboard's pages: one layout (navigation, search box, the stylesheet the binary serves),
// escaping for text and attributes, and the reply every page goes out with: a strong ETag and a
// Content-Security-Policy that runs no script at all and loads nothing from elsewhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace newsmon::web {

// Text and attribute values as HTML: & < > " escaped (attributes are always double-quoted).
[[nodiscard]] std::string html_text(std::string_view text);

// A JSON value that should be a string; "" when it is null or not a string.
[[nodiscard]] std::string json_text(const nlohmann::json& value);

struct PageLink {
    std::string title;
    std::string href; // an Atom feed of what the page shows
};

// The whole document: `title` in <title> and the header, `main` as the page's content
// (already HTML), `query` prefilled in the search box.
[[nodiscard]] std::string html_document(const std::string& title, const std::string& main,
                                        const std::string& query = "",
                                        const std::vector<PageLink>& feeds = {});

// Topic chips: one <span class="chip"> per topic, each a link to that topic's search.
[[nodiscard]] std::string topic_chips(const std::vector<std::string>& topics);

// "2026-12-02T09:30:00Z" shown as "2026-12-02 09:30 UTC", in a <time> element.
[[nodiscard]] std::string time_element(const std::string& rfc3339);

// Sends `html` with `status`: ETag (304 when the client has it), CSP, no sniffing, no referrer.
void reply_html(const httplib::Request& request, httplib::Response& response, int status,
                const std::string& html);

// A page that says what went wrong, with `status`.
void reply_html_error(const httplib::Request& request, httplib::Response& response, int status,
                      const std::string& message);

} // namespace newsmon::web
