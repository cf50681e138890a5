#include "tag/article_text.hpp"

#include "newsmon/parsers/html.hpp"

namespace newsmon::tag {

std::string feed_full_text(const parsers::Item& item) {
    if (!item.content_html)
        return {};
    return parsers::html_to_text(*item.content_html);
}

std::string article_body(std::string_view summary, std::string_view full_text) {
    if (full_text.empty())
        return std::string(summary);
    if (summary.empty() || full_text.starts_with(summary))
        return std::string(full_text);
    std::string body(summary);
    body += "\n\n";
    body += full_text;
    return body;
}

} // namespace newsmon::tag
