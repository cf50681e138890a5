#include "service/feed_articles.hpp"

#include <chrono>

#include "pages/page_policy.hpp"
#include "store/article_words.hpp"
#include "stories/signature.hpp"
#include "tag/article_text.hpp"
#include "tag/language_detector.hpp"

namespace newsmon::service {

parsers::ParseOptions feed_parse_options(const config::FeedConfig* settings, const std::string& url,
                                         const std::string& content_type) {
    parsers::ParseOptions options;
    options.feed_url = url;
    options.content_type = content_type;
    if (settings && settings->charset)
        options.charset = *settings->charset;
    return options;
}

std::vector<store::PolledArticle> feed_articles(parsers::Feed& parsed, const config::Config& config,
                                                const config::FeedConfig* settings,
                                                const tag::Tagger& tagger) {
    if (settings)
        parsers::keep_categories(parsed, settings->categories);
    // The configured language, else the one the feed declares.
    std::string language =
        settings && settings->language ? *settings->language : parsed.language.value_or("");
    std::string mode = settings ? config.full_text_of(*settings) : config.defaults.full_text;
    int min_chars =
        settings ? config.full_text_min_chars_of(*settings) : config.defaults.full_text_min_chars;
    std::vector<store::PolledArticle> articles;
    articles.reserve(parsed.items.size());
    // An item older than [retention] articles would be deleted within the hour and then stored,
    // and alerted on, again at every poll that still lists it: it is not stored at all.
    auto keep = std::chrono::duration_cast<std::chrono::seconds>(config.retention.articles);
    auto oldest_kept =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - keep;
    for (auto& item : parsed.items) {
        if (keep.count() > 0 && item.published && *item.published < oldest_kept)
            continue;
        std::string full_text = tag::feed_full_text(item);
        std::string body = tag::article_body(item.summary, full_text);
        // Detected from the text when the feed declares none: it chooses the stemmer.
        auto article_language = tag::article_language(language, item.title, body);
        auto text_language = tag::language_of(article_language.code);
        auto topics = tagger.topics_of(item.title, body, text_language);
        std::string_view own_text = full_text.empty() ? std::string_view(item.summary) : full_text;
        bool page = pages::wants_page(item, own_text, mode, min_chars);
        // Made here rather than in the store's transaction, which would hold its connection
        // while the client computes: a few items of a changed feed are repeats, which cost
        // about what tagging them did.
        std::optional<stories::Signature> signature;
        if (config.stories.window.count() > 0)
            signature = stories::make_signature(item.title, body, text_language);
        store::PolledArticle::Words words{store::words_tsvector(
            {item.title, item.summary, full_text}, store::TsVectorForm::binary)};
        articles.push_back({std::move(item), std::move(topics), std::move(full_text),
                            std::move(article_language.code), page, article_language.detected,
                            std::move(signature), std::move(words)});
    }
    return articles;
}

} // namespace newsmon::service
