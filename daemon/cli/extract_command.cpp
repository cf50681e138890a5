// `newsmon extract FILE|URL`: what newsmon reads from an article page.
#include <filesystem>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "fetch/fetcher.hpp"
#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/dates.hpp"

namespace newsmon::cli {
namespace {

// Fetches a page as the daemon would, with the config's [http] settings when there is one.
int fetch_page(const GlobalOptions& options, const std::string& url, std::string& body,
               std::string& content_type) {
    config::HttpSettings http;
    auto path = config::default_config_path(options.config_file);
    if (!options.config_file.empty() || std::filesystem::exists(path)) {
        auto config = load_or_report(options);
        if (!config)
            return k_exit_usage;
        http = config->http;
    }
    fetch::Fetcher fetcher(fetch::FetcherLimits::from(http));
    fetch::FetchResult result;
    fetcher.fetch_all({{url, http.user_agent, std::nullopt, std::nullopt}},
                      [&](std::size_t, fetch::FetchResult&& done) { result = std::move(done); });
    if (!result.ok()) {
        fmt::print(stderr, "error: {}: {}\n", url,
                   result.transport_ok() ? "HTTP status " + std::to_string(result.status)
                                         : result.error);
        return k_exit_failure;
    }
    body = std::move(result.body);
    content_type = result.content_type;
    return k_exit_ok;
}

nlohmann::json to_json(const parsers::ExtractedArticle& article) {
    auto or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json() : nlohmann::json(text);
    };
    return {{"title", article.title},
            {"author", or_null(article.author)},
            {"published", article.published
                              ? nlohmann::json(parsers::format_rfc3339(*article.published))
                              : nlohmann::json()},
            {"lead_image", or_null(article.lead_image)},
            {"language", or_null(article.language)},
            {"canonical_url", or_null(article.canonical_url)},
            {"encoding", article.encoding},
            {"content_text", article.content_text},
            {"content_html", article.content_html},
            {"warnings", article.warnings}};
}

} // namespace

int command_extract(const GlobalOptions& options, const ExtractCommand& command) {
    std::string bytes, content_type = command.content_type, page_url = command.page_url;
    bool remote = command.input.starts_with("http://") || command.input.starts_with("https://");
    int status = remote ? fetch_page(options, command.input, bytes, content_type)
                        : read_input(command.input, bytes);
    if (status != k_exit_ok)
        return status;
    if (page_url.empty() && remote)
        page_url = command.input;
    auto article = parsers::extract_article(bytes, {page_url, content_type});
    if (!article) {
        fmt::print(stderr, "error: {}: {}\n", command.input, article.error().message);
        return k_exit_usage;
    }
    // A page of menus and links only: what the daemon counts as a page without an article.
    if (article->content_text.empty()) {
        fmt::print(stderr, "error: {}: no article body found\n", command.input);
        return k_exit_usage;
    }
    if (command.json) {
        fmt::print("{}\n",
                   to_json(*article).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return k_exit_ok;
    }
    fmt::print("{}\n{}{}\n\n{}\n", article->title,
               article->published ? parsers::format_rfc3339(*article->published) + "  " : "",
               article->author, article->content_text);
    for (const auto& warning : article->warnings)
        fmt::print(stderr, "warning: {}\n", warning);
    return k_exit_ok;
}

} // namespace newsmon::cli
