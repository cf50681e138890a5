// The article pages waiting to be fetched, and what fetching them did: claimed with a lease
// (so instances never fetch the same page twice), then stored with the article's new topics
// and alert matches in one transaction, or retried later with backoff.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "newsmon/parsers/article.hpp"
#include "rules/rule_set.hpp"
#include "store/alert_matches.hpp"
#include "store/store.hpp"
#include "tag/topic_match.hpp"

namespace newsmon::store {

struct PageJob {
    std::int64_t article_id = 0;
    std::int64_t feed_id = 0;
    std::string url;
    std::string feed_url; // the feed's configured URL: its settings
    std::string title;
    std::string summary;
    std::string language;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    int attempts = 0; // including this one
    bool is_duplicate = false;
};

// Claims up to `limit` pages that are due and have attempts left (fewer than `max_attempts`
// made), pushing their next attempt `lease` away. The claim counts as an attempt, finished or
// not: a page the process dies on is claimed again after the lease, at most `max_attempts`
// times in all.
[[nodiscard]] std::vector<PageJob> claim_pages(pqxx::connection& connection, int limit,
                                               std::chrono::milliseconds lease, int max_attempts);

// Pages whose last attempt was claimed and never finished (the lease ran out: the process
// stopped on them) and that have no attempts left: marked failed, with an error that says so.
// Returns their URLs.
[[nodiscard]] std::vector<std::string> fail_unfinished_pages(pqxx::connection& connection,
                                                             int max_attempts);

// Stores the page's text and metadata (filling what the feed lacked), replaces the article's
// topics and records alert deliveries for `alerts.rules` when given. One transaction.
void record_page(pqxx::connection& connection, const PageJob& job,
                 const parsers::ExtractedArticle& page, const std::vector<tag::TopicMatch>& topics,
                 const std::optional<std::string>& etag,
                 const std::optional<std::string>& last_modified, const AlertMatching& alerts,
                 const std::optional<ArchivedBody>& archived = std::nullopt);

// What record_page writes of the page itself (text, the fields the feed left out, the topics
// and their rollups), inside the caller's transaction: `newsmon reparse` writes it too.
void write_page_content(pqxx::work& tx, const PageJob& job, const parsers::ExtractedArticle& page,
                        const std::vector<tag::TopicMatch>& topics);

// Pages claimed but not fetched (shutting down, reloading): due again at once, the attempt
// not counted.
void release_pages(pqxx::connection& connection, const std::vector<std::int64_t>& article_ids);

// A 304: the stored text stands.
void record_page_unchanged(pqxx::connection& connection, const PageJob& job);

// The attempt failed: retried after `retry` (doubling per attempt), or `failed` for good once
// `max_attempts` is reached. The article keeps its feed text either way.
void record_page_failure(pqxx::connection& connection, const PageJob& job, const std::string& error,
                         int max_attempts, std::chrono::milliseconds retry,
                         const std::optional<ArchivedBody>& archived = std::nullopt);

// Time until the next pending page is due; nullopt when none is pending.
[[nodiscard]] std::optional<std::chrono::milliseconds>
time_until_next_page(pqxx::connection& connection);

} // namespace newsmon::store
