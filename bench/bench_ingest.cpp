// Ingest into the real database through the daemon's own write path (Store::record_poll, one
// transaction per feed of 30 articles), against a raw COPY of the same rows into a bare table
// of the same shape; and story assignment's cost against the same path with clustering off.
// Needs $NEWSMON_BENCH_DATABASE_URL (bench/run sets it); $NEWSMON_BENCH_PRELOAD fills the
// database first.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "feed_generator.hpp"
#include "newsmon/parsers/dates.hpp"
#include "store/article_words.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store/story_store.hpp"
#include "store/topic_rollups.hpp"
#include "stories/signature.hpp"
#include "summary.hpp"
#include "tag/article_text.hpp"

namespace {

using namespace newsmon;
using Clock = std::chrono::steady_clock;

// $NEWSMON_BENCH_ARTICLES overrides the count, for quick runs.
std::size_t k_articles = 50'000;
constexpr std::size_t k_per_feed = 30;
constexpr std::size_t k_feeds = 100;

// The text as the pipeline stores it, extracted from the paragraphs' HTML: no markup, the
// entities decoded.
std::string article_text(std::size_t n) {
    std::string text;
    for (std::size_t p = 0; text.size() < 4000; ++p) {
        std::string html = bench::paragraph(n + p);
        std::string paragraph = html.substr(3, html.size() - 3 - 4); // inside <p>...</p>
        if (auto entity = paragraph.find("&amp;"); entity != std::string::npos)
            paragraph.replace(entity, 5, "&");
        text += paragraph + "\n";
    }
    return text;
}

std::vector<store::PolledArticle> make_articles() {
    std::vector<store::PolledArticle> articles(k_articles);
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (std::size_t n = 0; n < k_articles; ++n) {
        auto& article = articles[n];
        std::string id = std::to_string(n);
        article.item.guid = "https://bench.example.test/news/" + id;
        article.item.link = article.item.guid;
        article.item.title = "Story " + id + ": ministers discuss security in Baku";
        article.item.summary = "Talks covered peacekeeping, transport and energy, story " + id;
        article.item.published = now - std::chrono::minutes{n};
        article.item.categories = {"Politics"};
        article.content_text = article_text(n);
        article.topics = {{"nato", 3, 2, {"NATO"}, false}, {"azerbaijan", 4, 3, {"Baku"}, true}};
        article.language = "en";
        // made beside tagging in the daemon (PollCycle::read_feed), before the store
        article.signature = stories::make_signature(
            article.item.title, tag::article_body(article.item.summary, article.content_text),
            tag::Language::en);
        article.words = store::PolledArticle::Words{
            store::words_tsvector({article.item.title, article.item.summary, article.content_text},
                                  store::TsVectorForm::binary)};
    }
    return articles;
}

// One feed's poll of `batch` through record_poll; adds what it stored to `stored`.
void ingest_batch(store::Store& store, std::int64_t feed_id,
                  std::vector<store::PolledArticle> batch, int& stored) {
    store::FeedPoll poll;
    poll.feed_id = feed_id;
    poll.started_at = std::chrono::system_clock::now();
    poll.http_status = 200;
    poll.next_poll_in = std::chrono::minutes{15};
    poll.items_seen = batch.size();
    poll.articles = std::move(batch);
    auto outcome = store.record_poll(poll);
    stored += outcome.items_new + outcome.items_updated;
}

double ingest(store::Store& store, const std::vector<store::FeedRow>& feeds,
              const std::vector<store::PolledArticle>& articles, int& stored) {
    auto started = Clock::now();
    stored = 0;
    for (std::size_t offset = 0; offset < articles.size(); offset += k_per_feed) {
        auto end = std::min(offset + k_per_feed, articles.size());
        ingest_batch(store, feeds[(offset / k_per_feed) % feeds.size()].id,
                     {articles.begin() + static_cast<std::ptrdiff_t>(offset),
                      articles.begin() + static_cast<std::ptrdiff_t>(end)},
                     stored);
    }
    return std::chrono::duration<double>(Clock::now() - started).count();
}

struct AlternateIngest {
    double seconds[2] = {0, 0};
    std::size_t articles[2] = {0, 0};
    int stored = 0;
};

// Even transactions through `first`, odd ones through `second`, each timed on its own.
AlternateIngest ingest_alternately(store::Store& first, store::Store& second,
                                   const std::vector<store::FeedRow>& feeds,
                                   std::vector<store::PolledArticle> articles) {
    AlternateIngest split;
    for (std::size_t offset = 0, turn = 0; offset < articles.size(); offset += k_per_feed, ++turn) {
        auto end = std::min(offset + k_per_feed, articles.size());
        std::vector<store::PolledArticle> batch(
            articles.begin() + static_cast<std::ptrdiff_t>(offset),
            articles.begin() + static_cast<std::ptrdiff_t>(end));
        if (turn % 2 == 1)
            for (auto& article : batch)
                article.signature.reset(); // the poll cycle makes none with clustering off
        int stored = 0;
        auto started = Clock::now();
        ingest_batch(turn % 2 == 0 ? first : second, feeds[turn % feeds.size()].id,
                     std::move(batch), stored);
        split.seconds[turn % 2] += std::chrono::duration<double>(Clock::now() - started).count();
        split.articles[turn % 2] += end - offset;
        split.stored += stored;
    }
    return split;
}

double raw_copy(const std::string& url, const std::vector<store::PolledArticle>& articles,
                std::int64_t feed_id) {
    pqxx::connection connection{url};
    {
        pqxx::nontransaction tx{connection};
        tx.exec0("DROP TABLE IF EXISTS bench_bare");
        tx.exec0("CREATE TABLE bench_bare (LIKE articles INCLUDING DEFAULTS)");
        // the search vector computed with the row, as the daemon's writer and trigger do
        tx.exec0("ALTER TABLE bench_bare DROP COLUMN search, ADD COLUMN search tsvector "
                 "GENERATED ALWAYS AS (article_search_vector(title, summary, content_text)) "
                 "STORED");
    }
    auto started = Clock::now();
    pqxx::work tx{connection};
    pqxx::stream_to copy{tx, "bench_bare",
                         std::vector<std::string>{"id", "feed_id", "guid", "url", "title",
                                                  "summary", "content_text", "categories",
                                                  "published_at", "content_hash", "title_key",
                                                  "story_id"}};
    std::int64_t id = 0;
    for (const auto& article : articles)
        copy << std::make_tuple(
            ++id, feed_id, std::string(article.item.guid), std::string(article.item.link),
            std::string(article.item.title), std::string(article.item.summary),
            article.content_text, store::to_text_array(article.item.categories),
            parsers::format_rfc3339(*article.item.published), std::string("0123456789abcdef"),
            std::string(article.item.title), id);
    copy.complete();
    tx.commit();
    return std::chrono::duration<double>(Clock::now() - started).count();
}

std::string made_up_name(std::mt19937& random) {
    static const char* const k_parts[] = {"Ka", "ro",  "mi",  "sel", "tan", "ve", "bor", "is",
                                          "lu", "dex", "nor", "gal", "pe",  "zu", "fa",  "qa"};
    std::string name = "X";
    for (int i = 0; i < 3; ++i)
        name += k_parts[random() % 16];
    return name + "ov";
}

// $NEWSMON_BENCH_PRELOAD articles already in the database before the run, as a grown archive
// holds them: short texts spread over the past days at 30,000 a day, each a story of its own,
// with signatures of news-like text for the last three days, which story assignment reads
// back.
void preload(const std::string& url, std::int64_t feed_id, long long count) {
    pqxx::connection connection{url};
    pqxx::work tx{connection};
    tx.exec_params0(R"sql(
INSERT INTO articles (feed_id, guid, url, title, summary, published_at, content_hash, title_key,
                      story_id)
SELECT $1, 'preload-' || g, 'https://bench.example.test/archive/' || g,
       'Archived report ' || g || ' on regional talks', 'Talks on transport and energy ' || g,
       now() - g * interval '2.88 seconds', md5(g::text), 'archived report ' || g,
       nextval(pg_get_serial_sequence('stories', 'id'))
  FROM generate_series(1, $2::bigint) g)sql",
                    feed_id, count);
    tx.exec0(R"sql(
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, id, published_at, published_at, 1, 1, '{en}', title
  FROM articles WHERE guid LIKE 'preload-%')sql");
    // Signatures of news-like text with made-up names and numbers, for the last three days.
    tx.exec0("CREATE TEMPORARY TABLE preload_signatures (article_id bigint, signature text)");
    {
        std::vector<std::int64_t> ids;
        for (const auto& row : tx.exec("SELECT id FROM articles WHERE guid LIKE 'preload-%' AND "
                                       "published_at > now() - interval '3 days'"))
            ids.push_back(row[0].as<std::int64_t>());
        pqxx::stream_to rows{tx, "preload_signatures"};
        std::mt19937 random(7);
        std::size_t n = 0;
        for (std::int64_t id : ids) {
            std::string body;
            for (std::size_t p = 0; p < 3; ++p, ++n) {
                std::string paragraph = bench::paragraph(n);
                body.append(paragraph, 3, paragraph.size() - 7);
                body += " Minister " + made_up_name(random) + " met " + made_up_name(random) +
                        " on " + std::to_string(random() % 28 + 1) + " May; " +
                        std::to_string(random() % 100000) + " tonnes.\n";
            }
            auto signature = stories::make_signature("Archived report", body, tag::Language::en);
            rows << std::make_tuple(id, store::to_hex(stories::to_bytes(signature)));
        }
        rows.complete();
    }
    tx.exec0(R"sql(
INSERT INTO story_signatures (article_id, story_id, published_at, signature)
SELECT a.id, a.story_id, a.published_at, decode(p.signature, 'hex')
  FROM preload_signatures p JOIN articles a ON a.id = p.article_id)sql");
    tx.commit();
    (void)store::rebuild_topic_rollups(connection); // rows loaded behind the ingest upsert
    // as a grown database is: vacuumed, so that autovacuum does not run through the timed ingest
    pqxx::nontransaction vacuum{connection};
    vacuum.exec0("VACUUM ANALYZE");
}

} // namespace

int main() {
    k_articles = bench::bench_article_count(k_articles);
    const char* url = bench::bench_database_url();
    if (!url)
        return 2;
    store::Store store{url};
    store::migrate(store.connection());
    config::Config config;
    for (std::size_t f = 0; f < k_feeds; ++f) {
        config::FeedConfig feed;
        feed.name = "Bench feed " + std::to_string(f);
        feed.url = "https://bench.example.test/feed/" + std::to_string(f);
        config.feeds.push_back(std::move(feed));
    }
    config.topics = {{"nato", "", {"NATO"}, {}, 1}, {"azerbaijan", "", {"Baku"}, {}, 1}};
    store.sync_feeds(config);
    store.sync_topics(config);
    auto feeds = store.enabled_feeds();
    auto articles = make_articles();
    if (const char* count = std::getenv("NEWSMON_BENCH_PRELOAD")) {
        auto started = Clock::now();
        preload(url, feeds.back().id, std::stoll(count));
        std::printf("preloaded %s articles in %.0f s\n", count,
                    std::chrono::duration<double>(Clock::now() - started).count());
    }

    // A process loads the story index of the window once, at its first new article; timed
    // apart, so that the figures below are the rate it then keeps.
    std::vector<store::PolledArticle> first(1, articles.front());
    first[0].item.guid = first[0].item.link = "https://bench.example.test/first";
    int stored = 0;
    double first_seconds = ingest(store, {feeds.back()}, first, stored);
    std::printf("first article of the process (loads the story index): %.2f s\n", first_seconds);

    // Story assignment's cost, in-run: transactions alternate between the store as shipped and
    // one with clustering off (`[stories] window = "0s"`: each article a story of its own, no
    // signature), so that both meet the same database and the same load on the machine.
    store::Store unclustered{url};
    unclustered.use_story_window(std::chrono::seconds{0});
    first[0].item.guid = first[0].item.link = "https://bench.example.test/first-unclustered";
    (void)ingest(unclustered, {feeds.back()}, first, stored);
    auto split = ingest_alternately(store, unclustered, feeds, articles);
    double new_seconds = split.seconds[0], unclustered_seconds = split.seconds[1];
    std::size_t clustered_count = split.articles[0], unclustered_count = split.articles[1];
    int stored_new = split.stored;
    double repeat_seconds = ingest(store, feeds, articles, stored);
    int stored_repeat = stored;
    double copy_seconds = raw_copy(url, articles, feeds[0].id);

    auto rate = [](std::size_t count, double seconds) {
        return static_cast<double>(count) / seconds;
    };
    double clustered_rate = rate(clustered_count, new_seconds);
    double unclustered_rate = rate(unclustered_count, unclustered_seconds);
    double copy_rate = rate(k_articles, copy_seconds);
    double repeat_rate = rate(k_articles, repeat_seconds);
    std::printf("ingest of %zu articles (~4 KB text, 2 topics each), %zu per transaction\n",
                k_articles, k_per_feed);
    std::printf("%-40s %10s %14s %10s\n", "workload", "seconds", "articles/s", "vs COPY");
    std::printf("%-40s %10.2f %14.0f %9.0f%%\n", "new articles (record_poll)", new_seconds,
                clustered_rate, 100 * clustered_rate / copy_rate);
    std::printf("%-40s %10.2f %14.0f %9.0f%%\n", "new articles, clustering off",
                unclustered_seconds, unclustered_rate, 100 * unclustered_rate / copy_rate);
    std::printf("%-40s %10.2f %14.0f %9.0f%%\n", "repeats, all unchanged (record_poll)",
                repeat_seconds, repeat_rate, 100 * repeat_rate / copy_rate);
    std::printf("%-40s %10.2f %14.0f %10s\n", "raw COPY into a bare table", copy_seconds, copy_rate,
                "100%");
    std::printf("story assignment keeps %.0f%% of the rate with clustering off\n",
                100 * clustered_rate / unclustered_rate);
    bench::summary_row("ingest: new articles (record_poll)", clustered_rate, "articles/s",
                       "raw COPY into a bare table", copy_rate, ">= 40% of COPY");
    bench::summary_row("ingest: new articles with story assignment", clustered_rate, "articles/s",
                       "the same, clustering off", unclustered_rate,
                       ">= 85% (at 1,000,000 stored)");
    bench::summary_row("ingest: repeats, all unchanged", repeat_rate, "articles/s",
                       "raw COPY into a bare table", copy_rate, "as fast as new");
    std::printf("stored: %d new, %d on repeat (expected %zu and 0)\n", stored_new, stored_repeat,
                k_articles);
    return stored_new == static_cast<int>(k_articles) && stored_repeat == 0 ? 0 : 1;
}
