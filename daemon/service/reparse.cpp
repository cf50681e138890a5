#include "service/reparse.hpp"

#include "service/feed_articles.hpp"

#include "archive/zstd_frame.hpp"
#include "base/log.hpp"
#include "newsmon/parsers/article.hpp"
#include "store/raw_archive.hpp"
#include "store/reparse_store.hpp"
#include "tag/article_text.hpp"
#include "tag/language_detector.hpp"

namespace newsmon::service {
namespace {

// Larger than any body the fetcher accepts ([http] max_body is at most this).
constexpr std::size_t k_max_body = 256U << 20;

std::string run_key(const ReparseOptions& options, store::ArchiveKind kind) {
    return std::string(kind == store::ArchiveKind::feed ? "feed" : "page") +
           ";since=" + options.since.value_or("") +
           ";feed=" + (options.feed_id ? std::to_string(*options.feed_id) : "");
}

const config::FeedConfig* configured(const config::Config& config, const std::string& url) {
    for (const auto& feed : config.feeds)
        if (feed.url == url)
            return &feed;
    return nullptr;
}

std::optional<std::string> body_of(const store::StoredBody& stored) {
    auto body = archive::decompress(stored.frame, k_max_body);
    if (!body) {
        log::warn("archived body unreadable",
                  {log::field("archive_id", stored.id), log::field("error", body.error())});
        return std::nullopt;
    }
    return std::move(*body);
}

using ApplyBody = std::function<bool(const store::StoredBody&, store::ReparseCheckpoint&)>;

// False also when the database refuses what a body gave (text it cannot store, a constraint):
// the run counts it and goes on, where stopping would stop again at the same body when resumed.
// An unreachable or busy database stops the run, which resumes at this body.
bool apply_once(store::Store& store, const ApplyBody& apply, const store::StoredBody& stored,
                store::ReparseCheckpoint& checkpoint) {
    store::ReparseCheckpoint before = checkpoint;
    try {
        return apply(stored, checkpoint);
    } catch (const std::exception& error) {
        if (store::database_is_away(store, error) || store::database_is_busy(error))
            throw;
        log::warn("archived body refused", {log::field("archive_id", stored.id),
                                            log::field("error", std::string(error.what()))});
        checkpoint = before;
        return false;
    }
}

// One pass over one kind of body; `apply` handles a body and saves the checkpoint it is given,
// returning false when the body gave nothing.
void pass(store::Store& store, const ReparseOptions& options, store::ArchiveKind kind,
          ReparseReport& report, std::int64_t& done, std::int64_t& total, const ApplyBody& apply,
          const std::function<void(const ReparseReport&)>& on_progress) {
    store::ArchiveSelection selection{kind, options.since, options.feed_id};
    std::string key = run_key(options, kind);
    auto checkpoint = store::load_reparse_checkpoint(store.connection(), key);
    if (checkpoint) {
        report.resumed = true;
        if (kind == store::ArchiveKind::feed) {
            report.changed += checkpoint->changed;
            report.added += checkpoint->added;
        } else {
            report.pages_changed += checkpoint->changed;
        }
    } else
        checkpoint = store::ReparseCheckpoint{key};
    total = store::count_archived_bodies(store.connection(), selection);
    done = checkpoint->bodies;
    while (true) {
        auto bodies = store::archived_bodies(store.connection(), selection, checkpoint->last_id,
                                             options.batch_size);
        if (bodies.empty())
            break;
        for (const auto& stored : bodies) {
            if (!apply_once(store, apply, stored, *checkpoint)) {
                ++report.unreadable;
                checkpoint->last_id = stored.id;
                ++checkpoint->bodies;
                store::save_reparse_checkpoint(store.connection(), *checkpoint);
            }
            done = checkpoint->bodies;
        }
        if (on_progress)
            on_progress(report);
    }
    store::clear_reparse_checkpoint(store.connection(), key);
}

} // namespace

ReparseReport reparse(store::Store& store, const config::Config& config, const tag::Tagger& tagger,
                      const ReparseOptions& options,
                      const std::function<void(const ReparseReport&)>& on_progress) {
    ReparseReport report;
    store.use_story_window(std::chrono::duration_cast<std::chrono::seconds>(config.stories.window));
    pass(
        store, options, store::ArchiveKind::feed, report, report.feed_bodies,
        report.feed_bodies_total,
        [&](const store::StoredBody& stored, store::ReparseCheckpoint& checkpoint) {
            auto body = body_of(stored);
            if (!body)
                return false;
            const config::FeedConfig* settings = configured(config, stored.feed_url);
            auto parsed = parsers::parse_feed(
                *body, feed_parse_options(settings, stored.url, stored.content_type));
            if (!parsed)
                return false;
            auto articles = feed_articles(*parsed, config, settings, tagger);
            auto rewrite =
                store.rewrite_feed_body(tagger, stored.feed_id, stored.id, articles, checkpoint);
            checkpoint.last_id = stored.id;
            ++checkpoint.bodies;
            checkpoint.changed += rewrite.changed;
            checkpoint.added += rewrite.added;
            report.changed += rewrite.changed;
            report.added += rewrite.added;
            for (const auto& [field, count] : rewrite.fields)
                report.fields[field] += count;
            return true;
        },
        on_progress);
    pass(
        store, options, store::ArchiveKind::page, report, report.pages, report.pages_total,
        [&](const store::StoredBody& stored, store::ReparseCheckpoint& checkpoint) {
            auto body = body_of(stored);
            auto job = stored.article_id
                           ? store::archived_page_job(store.connection(), *stored.article_id)
                           : std::nullopt;
            if (!body || !job)
                return false;
            auto page = parsers::extract_article(*body, {stored.url, stored.content_type});
            if (!page || page->content_text.empty())
                return false;
            std::string text = tag::article_body(job->summary, page->content_text);
            auto language = tag::article_language(
                job->language.empty() ? page->language : job->language, job->title, text);
            auto topics = tagger.topics_of(job->title, text, tag::language_of(language.code));
            store::ReparseCheckpoint next = checkpoint;
            next.last_id = stored.id;
            ++next.bodies;
            bool changed = store::rewrite_page(store.connection(), *job, *page, topics, next);
            next.changed += changed ? 1 : 0; // as rewrite_page saved it
            checkpoint = next;
            report.pages_changed += changed ? 1 : 0;
            return true;
        },
        on_progress);
    return report;
}

} // namespace newsmon::service
