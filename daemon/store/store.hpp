// Everything newsmon writes to or reads from PostgreSQL, as prepared statements on one connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "config/config.hpp"
#include "newsmon/parsers/feed.hpp"
#include "rules/rule_set.hpp"
#include "stories/signature.hpp"
#include "tag/topic_match.hpp"

namespace newsmon::tag {
class Tagger;
}

namespace newsmon::store {

class StoryAssigner;
class SearchVectors;
struct BodyRewrite;       // store/reparse_store.hpp
struct ReparseCheckpoint; // store/reparse_store.hpp

struct FeedRow {
    std::int64_t id = 0;
    std::string url;       // the configured URL: the feed's identity
    std::string fetch_url; // where to poll it (after permanent redirects or discovery)
    std::string name;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::optional<std::string> body_hash;
    int consecutive_failures = 0;
};

// One article as a poll produced it: the feed's item, the topics tagging found in it, and its
// full text when that was fetched.
struct PolledArticle {
    parsers::Item item;
    std::vector<tag::TopicMatch> topics;
    std::string content_text;       // empty when only the feed's text is known
    std::string language;           // empty when unknown
    bool wants_page = false;        // the feed's text is a teaser: fetch the article page
    bool language_detected = false; // the language comes from the text, not the feed
    // What story assignment compares, made beside tagging (PollCycle); the store makes it for
    // new articles when it is absent.
    std::optional<stories::Signature> signature{};
    // articles.words (see store/article_words.hpp), made beside tagging; the store makes them
    // for new and changed articles when absent.
    struct Words {
        std::optional<std::string> tsvector; // binary form; nullopt: too many to keep
    };
    std::optional<Words> words{};
};

// A fetched body for the raw archive (0018_raw_archive.sql), compressed before it reaches the
// store.
struct ArchivedBody {
    std::string url; // after redirects
    std::chrono::system_clock::time_point fetched_at;
    long http_status = 0;
    std::string headers_json; // the response headers newsmon reads, as a JSON object
    std::string content_hash; // of the body as fetched
    std::size_t size = 0;     // bytes as fetched
    std::string frame;        // the body, one zstd frame
};

// The outcome of one poll of one feed, stored in a single transaction.
struct FeedPoll {
    std::int64_t feed_id = 0;
    std::chrono::system_clock::time_point started_at;
    std::chrono::milliseconds duration{0};
    long http_status = 0;
    std::size_t bytes = 0;
    std::size_t items_seen = 0;
    std::vector<PolledArticle> articles; // what to store (already filtered)
    std::optional<std::string> site_url;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::optional<std::string> error; // set when the poll failed
    std::chrono::milliseconds next_poll_in{0};
    std::optional<std::string> body_hash; // of a 200 body
    std::optional<std::string> fetch_url; // a new place to poll the feed (301/308, discovery)
    bool unchanged = false;               // 304, or the same bytes as last time
    // A changed 200 body, archived in the poll's transaction; its articles record its id. Not
    // kept in the spool.
    std::optional<ArchivedBody> archived{};
};

struct PollOutcome {
    int items_new = 0;
    int items_updated = 0;
    int duplicates = 0; // new articles recognised as republications from another feed
    std::map<std::string, int> topic_hits; // written articles per topic
    int alerts_matched = 0;                // deliveries recorded for alert rules
};

struct FeedCounts {
    long long enabled = 0, due = 0, overdue = 0, failing = 0, silent = 0;
};

class Store {
public:
    // Connects and prepares every statement; throws pqxx::broken_connection when unreachable.
    explicit Store(const std::string& database_url);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    [[nodiscard]] pqxx::connection& connection() { return m_connection; }

    // Upserts the configured feeds by URL and disables the ones no longer configured.
    void sync_feeds(const config::Config& config);

    // Upserts the configured topics by name; topics no longer configured stay, with their tags.
    void sync_topics(const config::Config& config);

    [[nodiscard]] FeedCounts feed_counts();

    // Drops fetch_log's partitions wholly older than `age` (log_partitions.hpp); returns how
    // many rows went.
    std::int64_t purge_fetch_log(std::chrono::milliseconds age);

    [[nodiscard]] std::vector<FeedRow> enabled_feeds();
    [[nodiscard]] std::vector<FeedRow> due_feeds();

    // A feed claimed this many times without a recorded poll (the process stopped each time)
    // is held: not claimed again until feeds.poll_attempts is set back to 0.
    static constexpr int k_max_poll_attempts = 3;

    // Claims up to `limit` feeds for `owner` until the lease runs out: due feeds (or every
    // enabled feed when `due_only` is false) that no live lease holds and that are not held.
    // Instances sharing the database never claim the same feed: rows are locked with SKIP
    // LOCKED.
    [[nodiscard]] std::vector<FeedRow> claim_feeds(const std::string& owner,
                                                   std::chrono::milliseconds lease, int limit,
                                                   bool due_only = true);
    // Gives claimed feeds back unpolled (shutting down), so another instance may take them.
    void release_feeds(const std::string& owner, const std::vector<std::int64_t>& feed_ids);

    // Publication times of the feed's newest articles, newest first.
    [[nodiscard]] std::vector<std::chrono::sys_seconds> recent_publications(std::int64_t feed_id,
                                                                            int count);
    // Time until the next enabled feed is due; nullopt when there is none.
    [[nodiscard]] std::optional<std::chrono::milliseconds> time_until_next_due();

    // Stores the poll's articles and their topics (a repeated item changes nothing, a changed
    // one is updated in place), the feed's new state and a fetch_log row, in one transaction.
    PollOutcome record_poll(const FeedPoll& poll);

    // `newsmon reparse`: the articles read again from an archived feed body, written through
    // record_poll's writer (store/reparse_store.hpp says how they are treated). Defined in
    // store/reparse_store.cpp.
    BodyRewrite rewrite_feed_body(const tag::Tagger& tagger, std::int64_t feed_id,
                                  std::int64_t archive_id,
                                  const std::vector<PolledArticle>& articles,
                                  const ReparseCheckpoint& checkpoint);
    // New articles join a story only with reports published within `window` of them (72 h
    // unless set); zero turns clustering off.
    void use_story_window(std::chrono::seconds window);

    // Match what record_poll stores against these rules (read at each poll: they may be
    // replaced while the store is in use). Null: no alert matching. An article published or
    // first stored longer than `horizon` ago raises no alert (zero: no horizon).
    void use_alert_rules(const rules::LiveRules* rules,
                         std::chrono::seconds horizon = std::chrono::seconds{0}) {
        m_alert_rules = rules;
        m_alert_horizon = horizon;
    }
    // The rules in use now; null when alert matching is off.
    [[nodiscard]] std::shared_ptr<const rules::RuleSet> alert_rules() const {
        return m_alert_rules ? m_alert_rules->current() : nullptr;
    }
    [[nodiscard]] std::chrono::seconds alert_horizon() const { return m_alert_horizon; }

private:
    void prepare_statements();
    void prepare_writer(); // lazily: its temporary tables need a migrated schema
    PollOutcome write_poll(const FeedPoll& poll);
    // The feed's new state and its fetch_log row.
    void record_feed_state(pqxx::transaction_base& tx, const FeedPoll& poll,
                           const PollOutcome& outcome);
    std::vector<FeedRow> feeds_from(const pqxx::result& rows);

    pqxx::connection m_connection;
    bool m_writer_ready = false;
    std::chrono::seconds m_story_window = std::chrono::hours{72};
    std::unique_ptr<StoryAssigner> m_stories; // made with the writer
    std::unique_ptr<SearchVectors> m_search;  // the same
    const rules::LiveRules* m_alert_rules = nullptr;
    std::chrono::seconds m_alert_horizon{0};
};

// Thrown where the database is found away other than by libpqxx: polls had to be spooled.
class DatabaseAway : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// True when `error` means the database is unreachable rather than that the data or the
// statement was refused: the connection broke or could not be made, or the server is shutting
// down or gone.
[[nodiscard]] bool database_is_away(const std::exception& error);
// The same, for an error thrown while `store` was in use: also when its connection is closed.
[[nodiscard]] bool database_is_away(Store& store, const std::exception& error);
// True when `error` is a conflict with another transaction or a shortage on the server
// (deadlock, serialization failure, out of connections or disk): the same work may succeed
// when it is tried again.
[[nodiscard]] bool database_is_busy(const std::exception& error);

// Appends one quoted element of a text[] literal, with its separating comma.
void append_text_element(std::string& literal, std::string_view value);
// A PostgreSQL array literal for a text[] parameter: {"a","b\"c"}.
template <typename Strings> [[nodiscard]] std::string to_text_array(const Strings& values) {
    std::string literal = "{";
    for (std::string_view value : values)
        append_text_element(literal, value);
    return literal + "}";
}
// The same for bigint[]: {1,2,3}.
[[nodiscard]] std::string to_int_array(const std::vector<std::int64_t>& values);
// The strings of a JSON array (a text[] read back through array_to_json); anything else in it,
// or text that is not an array, gives none.
[[nodiscard]] std::vector<std::string> strings_from_json(const std::string& text);

} // namespace newsmon::store
