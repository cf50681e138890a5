// Spike alerts on a real PostgreSQL: a stored history with a daily rhythm, bursts written
// through the store's own path, evaluations at chosen times, and the outbox they fill.
#include <gtest/gtest.h>

#include <unistd.h>

#include <barrier>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "alerts/rule_store.hpp"
#include "alerts/sender.hpp"
#include "alerts/spike_evaluator.hpp"
#include "cli/commands.hpp"
#include "daemon_thread.hpp"
#include "http_test_server.hpp"
#include "newsroom.hpp"
#include "store/alert_rules.hpp"
#include "store/migrations.hpp"
#include "test_database.hpp"

using namespace newsmon;
using namespace std::chrono_literals;
using testkit::HttpTestServer;
using testkit::Response;
using testkit::TestDatabase;
using Time = std::chrono::system_clock::time_point;

namespace {

// Words no two stories share, so that story assignment keeps every burst article apart.
std::string made_up_words(std::mt19937& random, int count) {
    static const char* const k_parts[] = {"ka", "ro",  "mi",  "sel", "tan", "ve", "bor", "is",
                                          "lu", "dex", "nor", "gal", "pe",  "zu", "fa",  "qa"};
    std::string words;
    for (int w = 0; w < count; ++w) {
        std::string word;
        for (int p = 0; p < 4; ++p)
            word += k_parts[random() % 16];
        words += (words.empty() ? "" : " ") + word;
    }
    return words;
}

// A feed on 127.0.0.1 bringing twenty new "pipeline" stories at once, a webhook receiver, and
// a config for the daemon or `poll --once` with that feed.
class BurstFeed {
public:
    explicit BurstFeed(const std::string& database_url) {
        std::mt19937 random(7);
        m_feed = "<rss version=\"2.0\"><channel><title>Burst</title>"
                 "<link>https://burst.example.test/</link>";
        for (int i = 0; i < 20; ++i)
            m_feed += "<item><guid>b" + std::to_string(i) + "</guid><title>Pipeline " +
                      made_up_words(random, 3) + "</title><link>https://burst.example.test/" +
                      std::to_string(i) + "</link><description>" + made_up_words(random, 12) +
                      "</description></item>";
        m_feed += "</channel></rss>";
        std::ofstream(config) << "[database]\nurl = \"" << database_url
                              << "\"\n[http]\nblock_private = false\n[server]\nlisten = \"off\"\n"
                                 "[log]\nlevel = \"warn\"\n[daemon]\nstate_dir = \""
                              << m_state.string()
                              << "\"\n[alerts]\nwebhook_allow = [\"127.0.0.1\"]\n[[feed]]\n"
                                 "name = \"Burst wire\"\nurl = \""
                              << m_server.url("/feed") << "\"\ninterval = \"1s\"\n";
    }
    ~BurstFeed() {
        std::filesystem::remove(config);
        std::filesystem::remove_all(m_state);
    }
    BurstFeed(const BurstFeed&) = delete;
    BurstFeed& operator=(const BurstFeed&) = delete;

    [[nodiscard]] std::string hook_url() const { return m_server.url("/hook"); }
    // The webhook bodies received so far.
    [[nodiscard]] std::vector<std::string> bodies() const {
        std::lock_guard lock(m_mutex);
        return m_bodies;
    }

    const std::filesystem::path config = std::filesystem::temp_directory_path() /
                                         ("newsmon-spiked-" + std::to_string(getpid()) + ".toml");

private:
    std::filesystem::path m_state =
        std::filesystem::temp_directory_path() / ("newsmon-spiked-" + std::to_string(getpid()));
    std::string m_feed;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_bodies;
    HttpTestServer m_server;
    HttpTestServer::Endpoint m_hook =
        m_server.serve("/hook", [this](const httplib::Request& request) {
            std::lock_guard lock(m_mutex);
            m_bodies.push_back(request.body);
            return Response{200, "", "text/plain", {}};
        });
    HttpTestServer::Endpoint m_served = m_server.serve("/feed", [this](const httplib::Request&) {
        return Response{200, m_feed, "application/rss+xml", {}};
    });
};

class SpikeAlertsTest : public ::testing::Test {
protected:
    SpikeAlertsTest() {
        store::migrate(store.connection());
        auto config = testkit::newsroom_config(db.url());
        store.sync_feeds(config);
        store.sync_topics(config);
        for (const auto& feed : store.enabled_feeds())
            feeds.push_back(feed.id);
        store.use_alert_rules(&rules);
        settings.database.url = db.url();
        settings.alerts.webhook_allow = {"127.0.0.1"};
        settings.alerts.timeout = 3s;
    }

    // Twenty days of "pipeline" stories up to now, one article each: three an hour from 07:00
    // to 21:00 UTC, one an hour at night; and as many about something else.
    void store_history() {
        db.execute(R"sql(
WITH hours AS (
    SELECT h FROM generate_series(date_trunc('hour', now()) - interval '20 days',
                                  date_trunc('hour', now()) - interval '1 hour',
                                  interval '1 hour') h),
slots AS (
    SELECT h + (7 + 17 * n) * interval '1 minute' AS published_at, row_number() OVER () AS g
      FROM hours, generate_series(0, 2) n
     WHERE n = 0 OR extract(hour FROM h AT TIME ZONE 'UTC') BETWEEN 7 AND 20),
stored AS (
    INSERT INTO articles (feed_id, guid, url, title, summary, published_at, content_hash,
                          title_key, story_id)
    SELECT )sql" + std::to_string(feeds[0]) +
                   R"sql(, 'history-' || g || '-' || topic,
           'https://history.example.test/' || topic || '/' || g,
           initcap(topic) || ' archive report ' || g, 'Archived ' || topic || ' news ' || g,
           published_at, md5(g::text || topic), topic || ' archive report ' || g,
           nextval(pg_get_serial_sequence('stories', 'id'))
      FROM slots, unnest(ARRAY['pipeline', 'harvest']) topic
    RETURNING id, story_id, published_at, title)
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, id, published_at, published_at, 1, 1, '{en}', title FROM stored)sql");
    }

    // A spike rule, its hits filled from the stored articles of `history` plus a day and a window
    // (by default its baseline's, as `alert add` fills it).
    std::int64_t add_spike_rule(const std::string& name, const std::string& query,
                                const std::string& channels = R"({"notify": true})",
                                std::chrono::seconds history = 14 * 24h) {
        store::NewAlertRule rule{name,  query,        channels, std::nullopt, "",
                                 false, std::nullopt, 3600,     14 * 86'400,  5};
        auto id = store::add_alert_rule(store.connection(), rule);
        EXPECT_TRUE(id.has_value());
        auto filled = alerts::fill_spike_history(store.connection(), *id, name, query, 1h, history);
        EXPECT_TRUE(filled.has_value());
        filled_hits = filled.value_or(0);
        rules.replace(alerts::load_rules(store.connection()).rules);
        return *id;
    }

    // `count` new "pipeline" stories published over the ten minutes before `end`, from every
    // feed in turn, through the store's write path.
    void burst(Time end, int count) {
        for (int i = 0; i < count; ++i) {
            store::PolledArticle article;
            std::string guid = "burst-" + std::to_string(++m_burst_articles);
            auto published = std::chrono::floor<std::chrono::seconds>(end - 10min + i * 25s);
            article.item = testkit::make_item(
                guid, "Pipeline " + made_up_words(m_random, 3), "https://news.example.test/" + guid,
                std::chrono::time_point_cast<std::chrono::seconds>(published),
                made_up_words(m_random, 12) + " pipeline " + made_up_words(m_random, 12));
            article.language = "en";
            store::FeedPoll poll;
            poll.feed_id = feeds[static_cast<std::size_t>(i) % feeds.size()];
            poll.started_at = std::chrono::system_clock::now();
            poll.http_status = 200;
            poll.articles = {std::move(article)};
            poll.next_poll_in = 15min;
            store.record_poll(poll);
        }
    }

    alerts::SpikeRound evaluate(Time at) {
        return alerts::evaluate_spike_rules(store.connection(), at);
    }
    long long spike_deliveries() const {
        return db.scalar("SELECT count(*) FROM alert_deliveries WHERE kind = 'spike'");
    }

    TestDatabase db;
    store::Store store{db.url()};
    rules::LiveRules rules;
    config::Config settings;
    std::vector<std::int64_t> feeds;
    long long filled_hits = 0;

private:
    std::mt19937 m_random{42};
    int m_burst_articles = 0;
};

// 14:00 UTC three days ago: the middle of a busy day, well inside the stored history.
Time afternoon_three_days_ago() {
    return testkit::start_of_today() - 3 * 24h + 14h;
}

} // namespace

TEST_F(SpikeAlertsTest, ABurstAlertsOnceAndASecondBurstAfterFallingBackAgain) {
    store_history();
    add_spike_rule("pipeline spikes", "pipeline");
    // 15 days and an hour of history, three stories an hour by day and one by night.
    EXPECT_GE(filled_hits, 15 * (14 * 3 + 10));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM spike_hits h JOIN articles a ON a.id = h.article_id "
                        "WHERE a.title NOT LIKE 'Pipeline%'"),
              0);

    // The steady rhythm, evaluated every 15 minutes for a day, is no spike.
    Time t1 = afternoon_three_days_ago();
    for (Time at = t1 - 24h; at < t1; at += 15min)
        EXPECT_EQ(evaluate(at).fired, 0);
    EXPECT_EQ(spike_deliveries(), 0);

    burst(t1, 20);
    auto first = evaluate(t1);
    EXPECT_EQ(first.rules, 1);
    EXPECT_EQ(first.fired, 1);
    ASSERT_EQ(spike_deliveries(), 1);
    // The burst's articles were counted, not delivered one by one.
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_deliveries WHERE kind <> 'spike'"), 0);
    auto spike = nlohmann::json::parse(db.text("SELECT spike::text FROM alert_deliveries"));
    EXPECT_GE(spike["count"].get<double>(), 20);
    EXPECT_NEAR(spike["expected"].get<double>(), 3, 1);
    EXPECT_GE(spike["ratio"].get<double>(), 5);
    EXPECT_EQ(spike["window_seconds"].get<double>(), 3600);
    ASSERT_EQ(spike["stories"].size(), 5u);
    EXPECT_TRUE(spike["stories"][0]["title"].get<std::string>().starts_with("Pipeline"));
    EXPECT_TRUE(spike["stories"][0]["url"].get<std::string>().starts_with("https://"));
    EXPECT_GE(spike["stories"][0]["feed_count"].get<int>(), 1);

    // Evaluated again, still high: the same episode, no second delivery.
    EXPECT_EQ(evaluate(t1).fired, 0);
    EXPECT_EQ(evaluate(t1 + 15min).fired, 0);
    EXPECT_EQ(spike_deliveries(), 1);

    // Fallen back, then a second burst: a second episode.
    EXPECT_EQ(evaluate(t1 + 2h).fired, 0);
    EXPECT_EQ(db.scalar("SELECT in_episode::int FROM spike_state"), 0);
    Time t2 = t1 + 6h;
    burst(t2, 20);
    EXPECT_EQ(evaluate(t2).fired, 1);
    EXPECT_EQ(spike_deliveries(), 2);
    EXPECT_EQ(db.text("SELECT string_agg(episode_key, ',' ORDER BY id) FROM alert_deliveries"),
              db.text("SELECT 'spike-' || id || '-1,spike-' || id || '-2' FROM alert_rules"));
}

TEST_F(SpikeAlertsTest, TwoEvaluatorsAtOnceQueueOneDelivery) {
    store_history();
    add_spike_rule("pipeline spikes", "pipeline");
    Time t1 = afternoon_three_days_ago();
    burst(t1, 20);
    constexpr int k_evaluators = 4;
    std::barrier start(k_evaluators);
    std::vector<int> fired(k_evaluators, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < k_evaluators; ++i)
        threads.emplace_back([&, i] {
            pqxx::connection connection{db.url()};
            start.arrive_and_wait();
            fired[static_cast<std::size_t>(i)] = alerts::evaluate_spike_rules(connection, t1).fired;
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(fired[0] + fired[1] + fired[2] + fired[3], 1);
    EXPECT_EQ(spike_deliveries(), 1);
    // The episode key is unique per rule, whatever writes it.
    EXPECT_THROW(db.execute("INSERT INTO alert_deliveries (rule_id, article_id, kind, episode_key) "
                            "SELECT rule_id, (SELECT max(id) FROM articles), 'spike', episode_key "
                            "FROM alert_deliveries"),
                 pqxx::unique_violation);
}

TEST_F(SpikeAlertsTest, TheWebhookSaysCountBaselineRatioWindowAndTopStories) {
    store_history();
    HttpTestServer server;
    std::mutex mutex;
    std::vector<std::string> bodies;
    auto endpoint = server.serve("/hook", [&](const httplib::Request& request) {
        std::lock_guard lock(mutex);
        bodies.push_back(request.body);
        return Response{200, "", "text/plain", {}};
    });
    add_spike_rule("pipeline spikes", "pipeline",
                   R"({"webhook": ")" + server.url("/hook") + R"("})");
    Time t1 = afternoon_three_days_ago();
    burst(t1, 20);
    ASSERT_EQ(evaluate(t1).fired, 1);
    EXPECT_EQ(alerts::Sender(settings).deliver_due(store.connection()).sent, 1);
    std::lock_guard lock(mutex);
    ASSERT_EQ(bodies.size(), 1u);
    auto body = nlohmann::json::parse(bodies[0]);
    EXPECT_EQ(body["kind"], "spike");
    EXPECT_EQ(body["rule"], "pipeline spikes");
    EXPECT_EQ(body["window"], "1h");
    EXPECT_GE(body["count"].get<double>(), 20);
    EXPECT_GT(body["expected"].get<double>(), 0);
    EXPECT_GE(body["ratio"].get<double>(), 5);
    ASSERT_FALSE(body["stories"].empty());
    EXPECT_TRUE(body["stories"][0].contains("feed_count"));
    std::string text = body["text"].get<std::string>();
    EXPECT_NE(text.find("stories in the last 1h, expected"), std::string::npos) << text;
    EXPECT_NE(text.find(body["stories"][0]["title"].get<std::string>()), std::string::npos);
    EXPECT_EQ(db.text("SELECT status FROM alert_deliveries"), "sent");
}

TEST_F(SpikeAlertsTest, ANewRuleWithoutHistoryJudgesNothing) {
    // Rules added with plain SQL have no filled history: they wait for two days of their own.
    auto id = store::add_alert_rule(store.connection(),
                                    {"fresh", "pipeline", R"({"notify": true})", std::nullopt, "",
                                     false, std::nullopt, 3600, 14 * 86'400, 5});
    ASSERT_TRUE(id);
    rules.replace(alerts::load_rules(store.connection()).rules);
    Time now = std::chrono::system_clock::now();
    burst(now, 20);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM spike_hits"), 20);
    EXPECT_EQ(evaluate(now).fired, 0);
    EXPECT_EQ(spike_deliveries(), 0);
}

// `newsmon alert add --spike` fills the rule's history, and the running daemon evaluates it
// after each poll cycle: a feed bringing a burst is alerted on at once, and only once.
TEST_F(SpikeAlertsTest, TheDaemonEvaluatesAfterEachPollCycle) {
    store_history();
    BurstFeed newsroom(db.url());
    const auto& config = newsroom.config;
    cli::AlertCommand add;
    add.action = "add";
    add.name = "pipeline spikes";
    add.spike = "pipeline";
    add.webhooks = {newsroom.hook_url()};
    ::testing::internal::CaptureStdout();
    int status = cli::command_alert({config.string(), std::nullopt}, add);
    std::string printed = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(status, 0);
    EXPECT_NE(printed.find("stored articles of the last 14d matched"), std::string::npos)
        << printed;
    EXPECT_GE(db.scalar("SELECT count(*) FROM spike_hits"), 15 * (14 * 3 + 10));
    EXPECT_EQ(db.text("SELECT spike_window::text || ' ' || spike_baseline::text || ' ' || "
                      "spike_min_count FROM alert_rules"),
              "01:00:00 14 days 5");
    cli::AlertCommand list;
    list.action = "list";
    list.json = true;
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(cli::command_alert({config.string(), std::nullopt}, list), 0);
    auto listed = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["query"], "pipeline");
    EXPECT_EQ(listed[0]["spike"],
              nlohmann::json({{"window", "01:00:00"}, {"baseline", "14 days"}, {"min_count", 5}}));
    {
        testkit::DaemonThread daemon(config);
        EXPECT_TRUE(testkit::eventually([&] { return !newsroom.bodies().empty(); }, 20s));
        std::this_thread::sleep_for(2s); // more cycles, no more alerts
        daemon.stop();
    }
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alert_deliveries"), 1);
    auto bodies = newsroom.bodies();
    ASSERT_EQ(bodies.size(), 1u);
    auto body = nlohmann::json::parse(bodies[0]);
    EXPECT_EQ(body["kind"], "spike");
    EXPECT_GE(body["count"].get<double>(), 20);
}

// `alert test NAME` replays a spike rule over the stored articles: the series of its windows
// and the one episode the burst begins, at the window the daemon fires in, on the same counts.
TEST_F(SpikeAlertsTest, AlertTestReplaysASpikeRuleOverTheStoredHistory) {
    store_history();
    // The rule's hits are filled from the whole stored history, so that the daemon's evidence
    // begins where the replay's does (the first stored article) whatever the hour of the run.
    add_spike_rule("pipeline spikes", "pipeline", R"({"notify": true})", 20 * 24h);
    Time t1 = afternoon_three_days_ago();
    burst(t1, 20);
    auto config = std::filesystem::temp_directory_path() /
                  ("newsmon-spiketest-" + std::to_string(getpid()) + ".toml");
    std::ofstream(config) << "[database]\nurl = \"" << db.url() << "\"\n";
    cli::AlertCommand test;
    test.action = "test";
    test.query = "pipeline spikes";
    test.since = "5d";
    test.json = true;
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int status = cli::command_alert({config.string(), std::nullopt}, test);
    auto replay = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
    std::string said = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(status, 0);
    EXPECT_EQ(said, "testing spike rule \"pipeline spikes\": pipeline (window 1h, baseline 14d, "
                    "min count 5)\n");
    EXPECT_EQ(replay["window_seconds"], 3600);
    // five days of hourly windows, each judged (the history is twenty days long)
    EXPECT_GE(replay["series"].size(), 5u * 24 - 1);
    EXPECT_LE(replay["series"].size(), 5u * 24 + 1);
    for (const auto& point : replay["series"])
        EXPECT_TRUE(point["judged"].get<bool>()) << point.dump();
    ASSERT_EQ(replay["episodes"].size(), 1u) << replay["episodes"].dump();
    auto t1_text = [&] {
        auto seconds = std::chrono::floor<std::chrono::seconds>(t1).time_since_epoch().count();
        return db.text("SELECT to_char(to_timestamp(" + std::to_string(seconds) +
                       ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    }();
    EXPECT_EQ(replay["episodes"][0]["began"], t1_text);
    EXPECT_FALSE(replay["episodes"][0]["ended"].is_null());
    EXPECT_GE(replay["episodes"][0]["peak_count"].get<double>(), 20);
    // Every window of the day before the burst and the hours after it, as the daemon counts and
    // judges it at the window's end, evaluated in order so that its episode state is carried
    // as the replay carries it.
    std::map<std::string, nlohmann::json> by_end;
    for (const auto& point : replay["series"])
        by_end[point["window_end"].get<std::string>()] = point;
    int compared = 0;
    for (Time at = t1 - 24h; at <= t1 + 3h; at += 1h) {
        auto seconds = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
        auto end = db.text("SELECT to_char(to_timestamp(" + std::to_string(seconds) +
                           ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
        auto point = by_end.find(end);
        ASSERT_NE(point, by_end.end()) << end;
        auto round = evaluate(at);
        EXPECT_EQ(round.fired, point->second["fire"].get<bool>() ? 1 : 0) << end;
        EXPECT_EQ(point->second["count"].get<double>(),
                  db.scalar("SELECT last_count FROM spike_state"))
            << end;
        double expected = std::stod(db.text("SELECT last_expected FROM spike_state"));
        // the same evidence gives the same mean, printed to three decimals
        EXPECT_NEAR(point->second["expected"].get<double>(), expected, 0.0005 + 1e-9) << end;
        EXPECT_EQ(point->second["in_episode"].get<bool>(),
                  db.scalar("SELECT in_episode::int FROM spike_state") == 1)
            << end;
        ++compared;
    }
    EXPECT_EQ(compared, 28);

    // The text form lists the windows and the episode.
    test.json = false;
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(cli::command_alert({config.string(), std::nullopt}, test), 0);
    std::string printed = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(printed.find(t1_text + "  "), std::string::npos) << printed;
    EXPECT_NE(printed.find("SPIKE: alert"), std::string::npos);
    EXPECT_NE(printed.find("1 episode, one alert each:\n  " + t1_text + " to "), std::string::npos)
        << printed;

    // A replay that would judge more windows than a command can in reasonable time is refused.
    test.since = "1900-01-01";
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(cli::command_alert({config.string(), std::nullopt}, test), 2);
    EXPECT_NE(::testing::internal::GetCapturedStderr().find("error: --since: too long a replay"),
              std::string::npos);
    std::filesystem::remove(config);
}

// `poll --once` evaluates the spike rules after its poll, as the daemon does after a cycle, and
// sends the delivery before it exits.
TEST_F(SpikeAlertsTest, PollOnceEvaluatesSpikeRulesAfterItsPoll) {
    store_history();
    BurstFeed newsroom(db.url());
    add_spike_rule("pipeline spikes", "pipeline",
                   R"({"webhook": [")" + newsroom.hook_url() + R"("]})");
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(cli::command_poll_once({newsroom.config.string(), std::nullopt}), 0);
    std::string said = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(spike_deliveries(), 1) << said;
    auto bodies = newsroom.bodies();
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(bodies[0])["kind"], "spike");
    // Run again: the feed brings nothing new and the episode goes on; no second alert.
    EXPECT_EQ(cli::command_poll_once({newsroom.config.string(), std::nullopt}), 0);
    EXPECT_EQ(spike_deliveries(), 1);
}
