#include "service/poll_cycle.hpp"

#include "newsmon/parsers/feed.hpp"
#include "service/log.hpp"
#include "tag/article_text.hpp"

namespace newsmon::service {

PollCycle::PollCycle(const config::Config& config, store::Store& store, const tag::Tagger& tagger)
    : m_config(config), m_store(store), m_tagger(tagger) {}

const config::FeedConfig* PollCycle::configured(const std::string& url) const {
    for (const auto& feed : m_config.feeds)
        if (feed.url == url)
            return &feed;
    return nullptr;
}

store::FeedPoll PollCycle::interpret(const store::FeedRow& feed, fetch::FetchResult& result) const {
    const config::FeedConfig* settings = configured(feed.url);
    store::FeedPoll poll;
    poll.feed_id = feed.id;
    poll.started_at = std::chrono::system_clock::now() - result.elapsed;
    poll.duration = result.elapsed;
    poll.http_status = result.status;
    poll.bytes = result.body.size();
    poll.next_poll_in = settings ? m_config.interval_of(*settings) : m_config.defaults.interval;
    if (!result.transport_ok()) {
        poll.error = result.error;
        return poll;
    }
    if (result.not_modified())
        return poll;
    if (!result.ok()) {
        poll.error = "HTTP status " + std::to_string(result.status);
        return poll;
    }
    parsers::ParseOptions options;
    options.feed_url = result.effective_url;
    options.content_type = result.content_type;
    auto parsed = parsers::parse_feed(result.body, options);
    if (!parsed) {
        poll.error = "not a usable feed: " + parsed.error().message;
        return poll;
    }
    poll.items_seen = parsed->items.size();
    if (settings)
        parsers::keep_categories(*parsed, settings->categories);
    std::string language = settings && settings->language ? *settings->language : std::string();
    poll.articles.reserve(parsed->items.size());
    for (auto& item : parsed->items) {
        std::string full_text = tag::feed_full_text(item);
        auto topics = m_tagger.topics_of(item.title, tag::article_body(item.summary, full_text));
        poll.articles.push_back(
            {std::move(item), std::move(topics), std::move(full_text), language});
    }
    if (!parsed->link.empty())
        poll.site_url = parsed->link;
    poll.etag = result.etag;
    poll.last_modified = result.last_modified;
    for (const auto& warning : parsed->warnings)
        log::warn("feed warning", {log::field("feed", feed.url), log::field("warning", warning)});
    return poll;
}

CycleReport PollCycle::run(const std::vector<store::FeedRow>& feeds,
                           const fetch::Fetcher::Cancelled& cancelled) {
    std::vector<fetch::FetchRequest> requests;
    requests.reserve(feeds.size());
    for (const auto& feed : feeds) {
        const config::FeedConfig* settings = configured(feed.url);
        requests.push_back({feed.url,
                            settings ? m_config.user_agent_of(*settings) : m_config.http.user_agent,
                            feed.etag, feed.last_modified});
    }
    CycleReport report;
    report.feeds = feeds.size();
    fetch::Fetcher fetcher(fetch::FetcherLimits::from(m_config.http));
    fetcher.fetch_all(
        requests,
        [&](std::size_t index, fetch::FetchResult&& result) {
            const store::FeedRow& feed = feeds[index];
            if (result.error == "cancelled") {
                ++report.failed;
                return; // shutting down: nothing about this feed changes
            }
            store::FeedPoll poll = interpret(feed, result);
            try {
                auto outcome = m_store.record_poll(poll);
                report.articles_new += static_cast<std::size_t>(outcome.items_new);
                report.articles_updated += static_cast<std::size_t>(outcome.items_updated);
                if (result.not_modified())
                    ++report.not_modified;
                if (poll.error) {
                    ++report.failed;
                    log::warn("fetch failed",
                              {log::field("feed", feed.url), log::field("status", result.status),
                               log::field("ms", result.elapsed.count()),
                               log::field("error", *poll.error)});
                } else {
                    log::info("fetch done",
                              {log::field("feed", feed.url), log::field("status", result.status),
                               log::field("bytes", result.body.size()),
                               log::field("ms", result.elapsed.count()),
                               log::field("items", poll.items_seen),
                               log::field("new", outcome.items_new),
                               log::field("updated", outcome.items_updated)});
                }
            } catch (const std::exception& error) {
                ++report.failed;
                log::error("store failed",
                           {log::field("feed", feed.url), log::field("error", error.what())});
            }
        },
        cancelled);
    return report;
}

} // namespace newsmon::service
