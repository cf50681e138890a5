#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include "base/log.hpp"
#include "newsmon/parsers/dates.hpp"
#include "store/alert_matches.hpp"
#include "store/article_writer.hpp"
#include "store/log_partitions.hpp"
#include "store/raw_archive.hpp"
#include "store/redact.hpp"
#include "store/search_vectors.hpp"

namespace newsmon::store {
namespace {

// libpqxx 6.4's as<std::optional<std::string>>() builds a string from nullptr on NULL.
std::optional<std::string> nullable_text(const pqxx::field& field) {
    if (field.is_null())
        return std::nullopt;
    return field.as<std::string>();
}

} // namespace

bool database_is_away(const std::exception& error) {
    if (dynamic_cast<const pqxx::broken_connection*>(&error) ||
        dynamic_cast<const pqxx::in_doubt_error*>(&error) ||
        dynamic_cast<const DatabaseAway*>(&error))
        return true;
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
        std::string state = sql->sqlstate();
        // 08: connection exceptions; 57P0x: admin shutdown, crash shutdown, cannot connect now.
        return state.starts_with("08") || state.starts_with("57P0");
    }
    return false;
}

bool database_is_away(Store& store, const std::exception& error) {
    return database_is_away(error) || !store.connection().is_open();
}

bool database_is_busy(const std::exception& error) {
    const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
    if (!sql)
        return false;
    std::string state = sql->sqlstate();
    // 40: transaction rollback; 53: insufficient resources; 55P03: lock not available.
    return state.starts_with("40") || state.starts_with("53") || state == "55P03";
}

void append_text_element(std::string& literal, std::string_view value) {
    if (literal.size() > 1)
        literal += ',';
    literal += '"';
    for (char c : value) {
        if (c == '"' || c == '\\')
            literal += '\\';
        literal += c;
    }
    literal += '"';
}

std::string to_int_array(const std::vector<std::int64_t>& values) {
    std::string literal = "{";
    for (auto value : values)
        literal += (literal.size() > 1 ? "," : "") + std::to_string(value);
    return literal + "}";
}

std::vector<std::string> strings_from_json(const std::string& text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    std::vector<std::string> out;
    if (json.is_array())
        for (const auto& element : json)
            if (element.is_string())
                out.push_back(element.get<std::string>());
    return out;
}

Store::Store(const std::string& database_url) : m_connection(remember_password(database_url)) {
    // Short statements: JIT compilation (tens of milliseconds, triggered by the subplan cost
    // estimates of the batch upsert) would cost far more than it saves.
    m_connection.set_variable("jit", "off");
    prepare_statements();
}

Store::~Store() = default;

void Store::use_story_window(std::chrono::seconds window) {
    m_story_window = window;
    if (m_stories)
        m_stories = std::make_unique<StoryAssigner>(window);
}

void Store::prepare_writer() {
    if (!m_writer_ready) {
        prepare_article_writer(m_connection);
        m_stories = std::make_unique<StoryAssigner>(m_story_window);
        m_search = std::make_unique<SearchVectors>(m_connection);
    }
    m_writer_ready = true;
}

void Store::prepare_statements() {
    m_connection.prepare("upsert_feed", R"sql(
        INSERT INTO feeds (url, name, language, poll_interval, enabled)
        VALUES ($1, $2, $3, $4::bigint * interval '1 millisecond', true)
        ON CONFLICT ON CONSTRAINT feeds_url_key DO UPDATE
           SET name = EXCLUDED.name, language = EXCLUDED.language,
               poll_interval = EXCLUDED.poll_interval, enabled = true)sql");
    m_connection.prepare("disable_unlisted_feeds", R"sql(
        UPDATE feeds SET enabled = false, lease_owner = NULL, lease_until = NULL
         WHERE enabled AND NOT (url = ANY ($1::text[])))sql");
    // Every statement that returns feeds returns these columns, for feeds_from().
    m_connection.prepare("enabled_feeds", R"sql(
        SELECT id, url, COALESCE(fetch_url, url), name, etag, last_modified, body_hash,
               consecutive_failures
          FROM feeds WHERE enabled ORDER BY id)sql");
    m_connection.prepare("due_feeds", R"sql(
        SELECT id, url, COALESCE(fetch_url, url), name, etag, last_modified, body_hash,
               consecutive_failures
          FROM feeds WHERE enabled AND next_poll_at <= now() ORDER BY next_poll_at, id)sql");
    m_connection.prepare("claim_feeds", R"sql(
        WITH claimable AS (
            SELECT id FROM feeds
             WHERE enabled AND (NOT $4 OR next_poll_at <= now())
               AND (lease_until IS NULL OR lease_until < now()) AND poll_attempts < $5
             ORDER BY next_poll_at, id
             LIMIT $2
             FOR UPDATE SKIP LOCKED)
        UPDATE feeds f
           SET lease_owner = $1, lease_until = now() + $3::bigint * interval '1 millisecond',
               poll_attempts = f.poll_attempts + 1
          FROM claimable c
         WHERE f.id = c.id
        RETURNING f.id, f.url, COALESCE(f.fetch_url, f.url), f.name, f.etag, f.last_modified,
                  f.body_hash, f.consecutive_failures)sql");
    m_connection.prepare("release_feeds", R"sql(
        UPDATE feeds SET lease_owner = NULL, lease_until = NULL,
                         poll_attempts = GREATEST(poll_attempts - 1, 0)
         WHERE id = ANY ($2::bigint[]) AND lease_owner = $1)sql");
    // Said once, when a feed reaches the limit and its last lease has run out.
    m_connection.prepare("hold_unfinished_feeds", R"sql(
        UPDATE feeds
           SET last_error = 'held: claimed ' || poll_attempts || ' times and never finished '
                            '(the process stopped while polling it); set feeds.poll_attempts '
                            'to 0 to poll it again',
               consecutive_failures = consecutive_failures + 1
         WHERE enabled AND poll_attempts >= $1 AND coalesce(last_error, '') NOT LIKE 'held: %'
           AND (lease_until IS NULL OR lease_until < now())
        RETURNING url)sql");
    m_connection.prepare("recent_publications", R"sql(
        SELECT EXTRACT(EPOCH FROM published_at)::bigint FROM articles
         WHERE feed_id = $1 ORDER BY published_at DESC LIMIT $2)sql");
    m_connection.prepare("next_due", R"sql(
        SELECT GREATEST(0, EXTRACT(EPOCH FROM min(next_poll_at) - now()) * 1000)::bigint
          FROM feeds WHERE enabled)sql");
    // A poll's feed state and its fetch_log row, one statement (one round trip a poll).
    m_connection.prepare("feed_polled", R"sql(
        WITH polled AS (
            UPDATE feeds
               SET etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified),
                   site_url = COALESCE($4, site_url), last_polled_at = $5::timestamptz,
                   last_http_status = $6, consecutive_failures = 0, last_error = NULL,
                   next_poll_at = now() + $7::bigint * interval '1 millisecond',
                   body_hash = COALESCE($8, body_hash), fetch_url = COALESCE($9, fetch_url),
                   lease_owner = NULL, lease_until = NULL, poll_attempts = 0
             WHERE id = $1)
        INSERT INTO fetch_log (feed_id, started_at, duration_ms, http_status, bytes, items_seen,
                               items_new, items_updated, error)
        VALUES ($1, $5::timestamptz, $10, $6, $11, $12, $13, $14, NULL))sql");
    m_connection.prepare("feed_failed", R"sql(
        WITH failed AS (
            UPDATE feeds
               SET last_polled_at = $2::timestamptz, last_http_status = $3,
                   consecutive_failures = consecutive_failures + 1, last_error = $4,
                   next_poll_at = now() + $5::bigint * interval '1 millisecond',
                   lease_owner = NULL, lease_until = NULL, poll_attempts = 0
             WHERE id = $1)
        INSERT INTO fetch_log (feed_id, started_at, duration_ms, http_status, bytes, items_seen,
                               items_new, items_updated, error)
        VALUES ($1, $2::timestamptz, $6, $3, $7, $8, $9, $10, $4))sql");
    m_connection.prepare("upsert_topic", R"sql(
        INSERT INTO topics (name, description, terms, exclude, min_score)
        VALUES ($1, $2, $3::text[], $4::text[], $5)
        ON CONFLICT ON CONSTRAINT topics_pkey DO UPDATE
           SET description = EXCLUDED.description, terms = EXCLUDED.terms,
               exclude = EXCLUDED.exclude, min_score = EXCLUDED.min_score, updated_at = now()
         WHERE (topics.description, topics.terms, topics.exclude, topics.min_score)
               IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.terms, EXCLUDED.exclude,
                                 EXCLUDED.min_score))sql");
    m_connection.prepare("feed_counts", R"sql(
        SELECT count(*), count(*) FILTER (WHERE next_poll_at <= now()),
               count(*) FILTER (WHERE next_poll_at < now() - interval '5 minutes'),
               count(*) FILTER (WHERE consecutive_failures > 0),
               (SELECT count(*) FROM feed_health WHERE silent)
          FROM feeds WHERE enabled)sql");
}

void Store::sync_feeds(const config::Config& config) {
    pqxx::work tx{m_connection};
    std::vector<std::string> urls;
    for (const auto& feed : config.feeds) {
        tx.exec_prepared0("upsert_feed", feed.url, feed.name, feed.language,
                          static_cast<long long>(config.interval_of(feed).fixed.count()));
        urls.push_back(feed.url);
    }
    tx.exec_prepared0("disable_unlisted_feeds", to_text_array(urls));
    tx.commit();
}

void Store::sync_topics(const config::Config& config) {
    pqxx::work tx{m_connection};
    for (const auto& topic : config.topics)
        tx.exec_prepared0("upsert_topic", topic.name, topic.description, to_text_array(topic.terms),
                          to_text_array(topic.exclude), topic.min_score);
    tx.commit();
}

FeedCounts Store::feed_counts() {
    pqxx::read_transaction tx{m_connection};
    auto row = tx.exec_prepared1("feed_counts");
    return {row[0].as<long long>(), row[1].as<long long>(), row[2].as<long long>(),
            row[3].as<long long>(), row[4].as<long long>()};
}

std::int64_t Store::purge_fetch_log(std::chrono::milliseconds age) {
    return purge_partitions(m_connection, k_fetch_log_partitions,
                            std::chrono::system_clock::now() - age)
        .rows;
}

std::vector<FeedRow> Store::feeds_from(const pqxx::result& rows) {
    std::vector<FeedRow> feeds;
    feeds.reserve(rows.size());
    for (const auto& row : rows)
        feeds.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(),
                         row[2].as<std::string>(), row[3].as<std::string>(), nullable_text(row[4]),
                         nullable_text(row[5]), nullable_text(row[6]), row[7].as<int>()});
    return feeds;
}

std::vector<FeedRow> Store::enabled_feeds() {
    pqxx::read_transaction tx{m_connection};
    return feeds_from(tx.exec_prepared("enabled_feeds"));
}

std::vector<FeedRow> Store::due_feeds() {
    pqxx::read_transaction tx{m_connection};
    return feeds_from(tx.exec_prepared("due_feeds"));
}

std::vector<FeedRow> Store::claim_feeds(const std::string& owner, std::chrono::milliseconds lease,
                                        int limit, bool due_only) {
    pqxx::work tx{m_connection};
    for (const auto& held : tx.exec_prepared("hold_unfinished_feeds", k_max_poll_attempts))
        log::error("feed held: claimed too often without an outcome",
                   {log::field("feed", held[0].as<std::string>()),
                    log::field("attempts", k_max_poll_attempts)});
    auto rows = tx.exec_prepared("claim_feeds", owner, limit, static_cast<long long>(lease.count()),
                                 due_only, k_max_poll_attempts);
    tx.commit();
    return feeds_from(rows);
}

void Store::release_feeds(const std::string& owner, const std::vector<std::int64_t>& feed_ids) {
    if (feed_ids.empty())
        return;
    std::string ids = "{";
    for (auto id : feed_ids)
        ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
    pqxx::work tx{m_connection};
    tx.exec_prepared0("release_feeds", owner, ids + "}");
    tx.commit();
}

std::vector<std::chrono::sys_seconds> Store::recent_publications(std::int64_t feed_id, int count) {
    pqxx::read_transaction tx{m_connection};
    std::vector<std::chrono::sys_seconds> times;
    for (const auto& row : tx.exec_prepared("recent_publications", feed_id, count))
        times.emplace_back(std::chrono::seconds{row[0].as<long long>()});
    return times;
}

std::optional<std::chrono::milliseconds> Store::time_until_next_due() {
    pqxx::read_transaction tx{m_connection};
    auto row = tx.exec_prepared1("next_due");
    if (row[0].is_null())
        return std::nullopt;
    return std::chrono::milliseconds{row[0].as<long long>()};
}

PollOutcome Store::record_poll(const FeedPoll& poll) {
    prepare_writer();
    // A conflict with another transaction (a deadlock with `restory`, which moves stored
    // articles under the story lock while a writer updating one waits for that lock) is tried
    // again rather than costing the poll.
    constexpr int k_attempts = 3;
    for (int attempt = 1;; ++attempt) {
        try {
            return write_poll(poll);
        } catch (const std::exception& error) {
            // what the story index learnt from the batch was never stored: read it afresh
            m_stories = std::make_unique<StoryAssigner>(m_story_window);
            // a foreign key broken between the upsert's snapshot and its check: the article a
            // new one repeats, deleted by the retention meanwhile
            const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
            bool key_gone = sql && sql->sqlstate() == "23503";
            if (attempt == k_attempts || !(database_is_busy(error) || key_gone) ||
                !m_connection.is_open())
                throw;
            log::debug("poll written again after a conflict",
                       {log::field("feed_id", poll.feed_id), log::field("error", error.what())});
        }
    }
}

PollOutcome Store::write_poll(const FeedPoll& poll) {
    pqxx::work tx{m_connection};
    WriteSource source;
    if (poll.archived)
        source.archive_id =
            archive_body(tx, ArchiveKind::feed, poll.feed_id, std::nullopt, *poll.archived);
    PollOutcome outcome;
    WriteCounts counts;
    if (poll.articles.empty()) {
        record_feed_state(tx, poll, outcome);
    } else {
        // Written first without the story lock, which is then taken only to confirm the stories
        // and commit (story_store.hpp); when articles committed meanwhile place one otherwise,
        // the batch is undone and written again with the lock taken first.
        // (A savepoint in SQL: libpqxx 6.4's subtransaction sets its savepoint only at its first
        // plain statement, after the prepared ones it was to cover.)
        bool confirmed = false;
        for (LockTiming timing : {LockTiming::at_confirmation, LockTiming::at_assignment}) {
            tx.exec0("SAVEPOINT write_poll");
            source.story_lock = timing;
            counts =
                write_articles(tx, poll.feed_id, poll.articles, *m_stories, source, m_search.get());
            outcome.items_new = counts.inserted;
            outcome.items_updated = counts.updated;
            outcome.duplicates = counts.duplicates;
            record_feed_state(tx, poll, outcome);
            if (m_stories->confirm(tx)) { // the commit releases the savepoint
                confirmed = true;
                break;
            }
            tx.exec0("ROLLBACK TO SAVEPOINT write_poll");
            log::debug("stories assigned again under the lock",
                       {log::field("feed_id", poll.feed_id)});
        }
        if (!confirmed) // the lock taken first, nothing committed meanwhile can differ
            throw std::logic_error(
                "the stories of a poll written under the story lock were not confirmed");
    }
    outcome.topic_hits = std::move(counts.topic_hits);
    if (m_alert_rules) {
        auto rules = m_alert_rules->current();
        outcome.alerts_matched = record_alert_matches(tx, {rules.get(), m_alert_horizon},
                                                      poll.feed_id, poll.articles, counts.written);
    }
    tx.commit();
    return outcome;
}

void Store::record_feed_state(pqxx::transaction_base& tx, const FeedPoll& poll,
                              const PollOutcome& outcome) {
    std::string started =
        parsers::format_rfc3339(std::chrono::floor<std::chrono::seconds>(poll.started_at));
    auto next_ms = static_cast<long long>(poll.next_poll_in.count());
    std::optional<long> status;
    if (poll.http_status != 0)
        status = poll.http_status;
    auto duration = static_cast<long long>(poll.duration.count());
    auto bytes = static_cast<long long>(poll.bytes);
    auto items_seen = static_cast<long long>(poll.items_seen);
    if (poll.error)
        tx.exec_prepared0("feed_failed", poll.feed_id, started, status, *poll.error, next_ms,
                          duration, bytes, items_seen, outcome.items_new, outcome.items_updated);
    else
        tx.exec_prepared0("feed_polled", poll.feed_id, poll.etag, poll.last_modified, poll.site_url,
                          started, status, next_ms, poll.body_hash, poll.fetch_url, duration, bytes,
                          items_seen, outcome.items_new, outcome.items_updated);
}

} // namespace newsmon::store
