#include <gtest/gtest.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <httplib.h>

#include "base/unique_fd.hpp"
#include "config/config.hpp"
#include "daemon_thread.hpp"
#include "http_test_server.hpp"
#include "log_capture.hpp"
#include "newsroom.hpp"
#include "service/daemon.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "test_database.hpp"

using namespace newsmon;
using testkit::DaemonThread;
using testkit::eventually;
using testkit::HttpTestServer;
using testkit::LogCapture;
using testkit::Response;
using testkit::TestDatabase;

namespace {

class DaemonTest : public ::testing::Test {
protected:
    void write_config(const std::string& feeds_toml) {
        std::ofstream(m_path) << "[database]\nurl = \"" << db.url()
                              << "\"\n[http]\nblock_private = false\n[server]\nlisten = "
                                 "\"127.0.0.1:0\"\n[log]\nlevel = \"warn\"\n[daemon]\n"
                                 "state_dir = \""
                              << m_state.string() << "\"\n"
                              << feeds_toml;
    }
    std::string feed(const std::string& name, const std::string& path,
                     const std::string& interval = "1s") {
        return "[[feed]]\nname = \"" + name + "\"\nurl = \"" + server.url(path) +
               "\"\ninterval = \"" + interval + "\"\n";
    }
    void TearDown() override {
        std::filesystem::remove(m_path);
        std::filesystem::remove_all(m_state);
    }
    // A count, or -1 while the daemon has not created the schema yet.
    long long count_when_ready(const std::string& sql) {
        try {
            return db.scalar(sql);
        } catch (const std::exception&) {
            return -1;
        }
    }
    std::size_t spooled() const {
        std::error_code ignored;
        auto directory = m_state / "spool";
        if (!std::filesystem::exists(directory, ignored))
            return 0;
        std::size_t count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(directory))
            count += entry.path().extension() == ".json" ? 1U : 0U;
        return count;
    }
    // /feed, whose answer (three items, ETag "v1") waits until `release` is set: a poll in
    // flight, for as long as the test needs (10 s at most).
    HttpTestServer::Endpoint feed_answering_when(std::atomic<bool>& release) {
        return server.serve("/feed", [&release](const httplib::Request&) {
            for (int i = 0; i < 400 && !release; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds{25});
            return Response{200,
                            testkit::read_fixture("feeds/rss20/items_without_guid.xml"),
                            "application/rss+xml",
                            {{"ETag", "\"v1\""}}};
        });
    }
    // Stops (false) or allows (true) connections to the test database, cutting existing ones.
    void set_database_reachable(bool reachable) {
        pqxx::connection admin{testkit::admin_database_url()};
        pqxx::nontransaction tx{admin};
        tx.exec0("ALTER DATABASE " + tx.quote_name(m_database) + " ALLOW_CONNECTIONS " +
                 (reachable ? "true" : "false"));
        if (!reachable)
            tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                    tx.quote(m_database));
    }

    TestDatabase db;
    HttpTestServer server;
    std::filesystem::path m_path = std::filesystem::temp_directory_path() /
                                   ("newsmon-daemon-" + std::to_string(getpid()) + ".toml");
    std::filesystem::path m_state =
        std::filesystem::temp_directory_path() / ("newsmon-state-" + std::to_string(getpid()));
    std::string m_database = db.text("SELECT current_database()");
};

} // namespace

TEST_F(DaemonTest, PollsOnTheIntervalAndStopsCleanlyOnSigterm) {
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed"));
    DaemonThread daemon(m_path);
    // Wait for recorded polls: a poll cancelled by SIGTERM is, by design, not recorded.
    ASSERT_TRUE(
        eventually([&] { return count_when_ready("SELECT count(*) FROM fetch_log") >= 3; }));
    auto took = daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_LT(took, std::chrono::seconds{10});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
    EXPECT_GE(server.request_count("/feed"), 3);
}

TEST_F(DaemonTest, SighupWithAGoodConfigAddsFeedsWithoutARestart) {
    auto a = server.serve_file("/a", "feeds/rss20/items_without_guid.xml");
    auto b = server.serve_file("/b", "feeds/rss20/same_guid_every_item.xml");
    write_config(feed("A", "/a", "1h"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/a") == 1; }));
    write_config(feed("A", "/a", "1h") + feed("B", "/b", "1h"));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] { return count_when_ready("SELECT count(*) FROM articles") == 5; }));
    daemon.stop();
    EXPECT_EQ(server.request_count("/a"), 1);
    EXPECT_EQ(server.request_count("/b"), 1);
}

TEST_F(DaemonTest, SighupWithABrokenConfigKeepsTheRunningOne) {
    auto a = server.serve_file("/a", "feeds/rss20/items_without_guid.xml");
    write_config(feed("A", "/a", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/a") >= 1; }));
    std::ofstream(m_path) << "[http]\ntimout = \"1s\"\n";
    daemon.signal(SIGHUP);
    int before = server.request_count("/a");
    ASSERT_TRUE(eventually([&] { return server.request_count("/a") >= before + 2; }));
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(db.text("SELECT enabled::text FROM feeds"), "true");
}

TEST_F(DaemonTest, PagesThatAdvertiseEachOtherAreNotPolledInALoop) {
    auto page = [&](const std::string& other) {
        return Response{200,
                        "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" "
                        "href=\"" +
                            server.url(other) + "\"></head></html>",
                        "text/html",
                        {}};
    };
    auto a = server.serve("/a", [&](const httplib::Request&) { return page("/b"); });
    auto b = server.serve("/b", [&](const httplib::Request&) { return page("/a"); });
    write_config(feed("Loop", "/a", "15m"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/a") >= 1; }));
    std::this_thread::sleep_for(std::chrono::seconds{3});
    daemon.stop();
    EXPECT_LE(server.request_count("/a") + server.request_count("/b"), 3);
}

namespace {

std::string get(int port, const std::string& path, int* status = nullptr) {
    httplib::Client client("127.0.0.1", port);
    auto response = client.Get(path.c_str());
    if (status)
        *status = response ? response->status : 0;
    return response ? response->body : std::string();
}

// Stores, before the daemon starts, one article of a feed of its own published `days` ago.
void store_old_article(const TestDatabase& db, const std::string& guid, int days) {
    store::Store store{db.url()};
    (void)store::migrate(store.connection());
    auto feed_id = db.scalar("INSERT INTO feeds (url, name) VALUES "
                             "('https://old.example.test/rss', 'Old') RETURNING id");
    auto long_ago = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
                    std::chrono::hours{24 * days};
    (void)testkit::store_items(
        store, feed_id,
        {testkit::make_item(guid, "Old news", "https://old.example.test/" + guid, long_ago)}, {{}});
}

} // namespace

// [retention] articles = "2y": the daemon deletes a story stored long ago and does not store
// the feed's item of 2014 (its others are of November 2025); the purge is counted.
TEST_F(DaemonTest, ArticlesPastTheRetentionArePurgedAndOldItemsNotStored) {
    store_old_article(db, "ancient", 800);
    auto endpoint = server.serve_file("/feed", "feeds/rss20/all_sections_one_feed.xml");
    write_config(feed("Wire", "/feed", "1h") + "[retention]\narticles = \"2y\"\n");
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] {
        return count_when_ready("SELECT count(*) FROM articles WHERE guid <> 'ancient'") == 4 &&
               count_when_ready("SELECT count(*) FROM articles WHERE guid = 'ancient'") == 0;
    }));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE published_at < '2015-01-01'"), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM stories s WHERE NOT EXISTS "
                        "(SELECT 1 FROM articles a WHERE a.story_id = s.id)"),
              0);
    ASSERT_TRUE(eventually([&] {
        return get(daemon.port(), "/metrics").find("newsmon_articles_purged_total 1") !=
               std::string::npos;
    }));
}

// [retention] alert_deliveries = "90d": a delivery sent 100 days ago goes, its article stays.
TEST_F(DaemonTest, DeliveredAlertsPastTheirRetentionArePurged) {
    store_old_article(db, "old", 200);
    auto rule = db.scalar("INSERT INTO alert_rules (name, query, channels) VALUES "
                          "('rare', 'Quxbazian', '{\"notify\": true}') RETURNING id");
    db.execute("INSERT INTO alert_deliveries (rule_id, article_id, status, created_at) SELECT " +
               std::to_string(rule) + ", id, 'sent', now() - interval '100 days' FROM articles");
    auto endpoint = server.serve_file("/feed", "feeds/rss20/all_sections_one_feed.xml");
    write_config(feed("Wire", "/feed", "1h") + "[retention]\nalert_deliveries = \"90d\"\n");
    DaemonThread daemon(m_path);
    ASSERT_TRUE(
        eventually([&] { return count_when_ready("SELECT count(*) FROM alert_deliveries") == 0; }));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE guid = 'old'"), 1);
    ASSERT_TRUE(eventually([&] {
        return get(daemon.port(), "/metrics").find("newsmon_alert_deliveries_purged_total 1") !=
               std::string::npos;
    }));
}

TEST_F(DaemonTest, MetricsCountPollsArticlesAndTopics) {
    auto endpoint = server.serve_file("/feed", "feeds/rss20/all_sections_one_feed.xml");
    write_config(feed("Wire", "/feed", "1h") +
                 "[[topic]]\nname = \"azerbaijan\"\nterms = [\"Baku\"]\n");
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { // counted during the cycle, gauges set right after it
        std::string text = daemon.port() > 0 ? get(daemon.port(), "/metrics") : "";
        return text.find("newsmon_polls_total{outcome=\"ok\"} 1") != std::string::npos &&
               text.find("newsmon_feeds 1") != std::string::npos;
    }));
    std::string metrics = get(daemon.port(), "/metrics");
    EXPECT_NE(metrics.find("# TYPE newsmon_polls_total counter"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("newsmon_articles_total{kind=\"new\"} 5"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("newsmon_http_responses_total{status=\"200\"} 1"), std::string::npos);
    EXPECT_NE(metrics.find("newsmon_topic_hits_total{topic=\"azerbaijan\"} 1"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("newsmon_database_up 1"), std::string::npos);
    EXPECT_NE(metrics.find("newsmon_feeds 1"), std::string::npos);
    int status = 0;
    EXPECT_EQ(get(daemon.port(), "/healthz", &status), "ok\n");
    EXPECT_EQ(status, 200);
}

TEST_F(DaemonTest, HealthzSays503WhileTheDatabaseIsAwayAndRecovers) {
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(
        eventually([&] { return daemon.port() > 0 && get(daemon.port(), "/healthz") == "ok\n"; }));
    set_database_reachable(false);
    int status = 0;
    ASSERT_TRUE(eventually([&] {
        std::string body = get(daemon.port(), "/healthz", &status);
        return status == 503 && body.starts_with("database unavailable:");
    }));
    EXPECT_NE(get(daemon.port(), "/metrics").find("newsmon_database_up 0"), std::string::npos);
    set_database_reachable(true);
    ASSERT_TRUE(eventually([&] { return get(daemon.port(), "/healthz", &status) == "ok\n"; },
                           std::chrono::seconds{20}));
    EXPECT_EQ(status, 200);
}

// libpq quotes a malformed URL back whole: /healthz says why, without the password.
TEST_F(DaemonTest, HealthzNeverShowsTheDatabasePassword) {
    std::ofstream(m_path) << "[database]\nurl = \"postgresql://news:s3cret-db-pw@[::1/newsmon\"\n"
                             "[server]\nlisten = \"127.0.0.1:0\"\n[log]\nlevel = \"off\"\n"
                             "[daemon]\nstate_dir = \""
                          << m_state.string() << "\"\n";
    DaemonThread daemon(m_path);
    int status = 0;
    std::string body;
    // "starting" comes first, until the first connection has been tried.
    ASSERT_TRUE(eventually([&] {
        body = daemon.port() > 0 ? get(daemon.port(), "/healthz", &status) : "";
        return status == 503 && !body.starts_with("starting");
    })) << body;
    EXPECT_TRUE(body.starts_with("database unavailable:")) << body;
    EXPECT_NE(body.find("news:***@"), std::string::npos) << body;
    EXPECT_EQ(body.find("s3cret"), std::string::npos) << body;
}

TEST_F(DaemonTest, APollInFlightWhenTheDatabaseGoesIsSpooledAndStoredOnceOnItsReturn) {
    std::atomic<bool> release{false};
    auto endpoint = feed_answering_when(release);
    write_config(feed("Agency", "/feed", "1h"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/feed") == 1; }));
    set_database_reachable(false); // while the daemon waits for the response
    release = true;
    ASSERT_TRUE(eventually([&] { return spooled() == 1; }));
    set_database_reachable(true);
    ASSERT_TRUE(eventually([&] { return spooled() == 0; }, std::chrono::seconds{20}));
    daemon.stop();
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
    EXPECT_EQ(db.text("SELECT etag FROM feeds"), "\"v1\"");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 1);
    EXPECT_EQ(server.request_count("/feed"), 1); // replayed from disk, not fetched again
}

TEST_F(DaemonTest, APollThatNeitherTheDatabaseNorTheSpoolCanTakeIsLostButNotTheDaemon) {
    LogCapture log;
    std::atomic<bool> release{false};
    auto endpoint = feed_answering_when(release);
    write_config(feed("Agency", "/feed", "1h"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/feed") == 1; }));
    auto spool = m_state / "spool"; // a file where the directory was: no poll can be kept
    std::filesystem::remove_all(spool);
    std::ofstream(spool) << "not a directory";
    set_database_reachable(false);
    release = true;
    ASSERT_TRUE(eventually([&] {
        return log.find({"error poll lost", "spool_error=", "Not a directory"}) != "";
    }));
    EXPECT_NE(get(daemon.port(), "/metrics").find("newsmon_spool_write_failures_total 1"),
              std::string::npos);
    EXPECT_EQ(daemon.exit_status(), -2); // still running

    std::filesystem::remove(spool);
    std::filesystem::create_directories(spool);
    set_database_reachable(true);
    db.execute("UPDATE feeds SET lease_until = now()"); // as when the lease runs out
    ASSERT_TRUE(eventually([&] { return count_when_ready("SELECT count(*) FROM articles") == 3; },
                           std::chrono::seconds{20}));
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(server.request_count("/feed"), 2); // polled again, not replayed
}

TEST_F(DaemonTest, TwoInstancesShareTheFeedsWithoutFetchingAnyTwice) {
    std::vector<HttpTestServer::Endpoint> endpoints;
    std::string feeds;
    for (int i = 0; i < 30; ++i) {
        std::string path = "/f" + std::to_string(i);
        endpoints.push_back(server.serve_file(path, "feeds/rss20/items_without_guid.xml"));
        feeds += feed("Feed " + std::to_string(i), path, "1h");
    }
    write_config(feeds);
    {
        DaemonThread first(m_path);
        DaemonThread second(m_path);
        ASSERT_TRUE(eventually([&] {
            return count_when_ready(
                       "SELECT count(*) FROM feeds WHERE last_polled_at IS NOT NULL") == 30;
        }));
        std::this_thread::sleep_for(std::chrono::milliseconds{300});
    }
    for (int i = 0; i < 30; ++i)
        EXPECT_EQ(server.request_count("/f" + std::to_string(i)), 1) << "feed " << i;
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 30);
}

TEST_F(DaemonTest, SigtermDuringAHangingFetchStopsQuicklyAndGivesTheFeedBack) {
    std::atomic<bool> release{false};
    auto endpoint = server.serve("/hang", [&](const httplib::Request&) {
        for (int i = 0; i < 600 && !release; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds{50});
        return Response{200, "<rss/>", "application/rss+xml", {}};
    });
    write_config(feed("Hanging", "/hang", "1h"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { return server.request_count("/hang") == 1; }));
    auto took = daemon.stop();
    release = true;
    EXPECT_LT(took, std::chrono::seconds{10});
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(db.text("SELECT coalesce(lease_owner, 'none') FROM feeds"), "none");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM fetch_log"), 0); // nothing half-written
}

TEST_F(DaemonTest, NoRequestBeforeRetryAfter) {
    auto endpoint = server.serve("/limited", [](const httplib::Request&) {
        return Response{429, "slow down", "text/plain", {{"Retry-After", "3600"}}};
    });
    write_config(feed("Limited", "/limited", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] {
        return daemon.port() > 0 &&
               get(daemon.port(), "/metrics")
                       .find("newsmon_http_responses_total{status=\"429\"} 1") != std::string::npos;
    }));
    std::this_thread::sleep_for(std::chrono::seconds{3}); // three intervals of 1 s
    daemon.stop();
    EXPECT_EQ(server.request_count("/limited"), 1);
    EXPECT_GE(db.scalar("SELECT EXTRACT(EPOCH FROM next_poll_at - now())::bigint FROM feeds"),
              3500);
}

namespace {

// The socket systemd gives a Type=notify service, in $NOTIFY_SOCKET while it lives; collects
// what the daemon tells it, one message a line.
class NotifySocket {
public:
    NotifySocket() {
        std::filesystem::remove(m_path);
        m_fd = base::UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, m_path.c_str(), sizeof address.sun_path - 1);
        m_bound = m_fd.get() >= 0 &&
                  ::bind(m_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        setenv("NOTIFY_SOCKET", m_path.c_str(), 1);
    }
    ~NotifySocket() {
        unsetenv("NOTIFY_SOCKET");
        std::filesystem::remove(m_path);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    [[nodiscard]] bool bound() const { return m_bound; }
    // Reads what has arrived, waiting up to `wait` for the first message; returns all so far.
    const std::string& receive(std::chrono::milliseconds wait = std::chrono::milliseconds{0}) {
        pollfd entry{m_fd.get(), POLLIN, 0};
        if (wait.count() > 0 && ::poll(&entry, 1, static_cast<int>(wait.count())) <= 0)
            return m_received;
        char buffer[512];
        for (ssize_t n; (n = ::recv(m_fd.get(), buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
            m_received.append(buffer, static_cast<std::size_t>(n)).push_back('\n');
        return m_received;
    }

private:
    std::filesystem::path m_path =
        std::filesystem::temp_directory_path() / ("newsmon-notify-" + std::to_string(getpid()));
    base::UniqueFd m_fd;
    bool m_bound = false;
    std::string m_received;
};

} // namespace

TEST_F(DaemonTest, TellsSystemdWhenReadyAliveAndStopping) {
    NotifySocket notify;
    ASSERT_TRUE(notify.bound());
    setenv("WATCHDOG_USEC", "1000000", 1); // pings every half second

    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1h"));
    {
        DaemonThread daemon(m_path);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
        while (std::chrono::steady_clock::now() < deadline) {
            const auto& received = notify.receive(std::chrono::milliseconds{100});
            if (received.find("WATCHDOG=1") != received.rfind("WATCHDOG=1"))
                break;
        }
        daemon.stop();
    }
    unsetenv("WATCHDOG_USEC");
    const auto& received = notify.receive();
    EXPECT_NE(received.find("READY=1"), std::string::npos) << received;
    EXPECT_NE(received.find("STATUS=polled 1 feeds"), std::string::npos) << received;
    EXPECT_NE(received.find("WATCHDOG=1"), received.rfind("WATCHDOG=1")) << received; // twice
    EXPECT_NE(received.find("STOPPING=1"), std::string::npos) << received;
}

// A start that spends minutes in migrations (0027 builds an index: 13 minutes at 5,000,000
// articles) keeps asking systemd for more time, so that it is not killed at the start timeout
// and made to begin them again at every restart. Here the migrations wait on their lock, held by
// another session (an instance migrating) for longer than one keep-alive interval (5 s).
TEST_F(DaemonTest, AStartThatSpendsLongInMigrationsKeepsExtendingSystemdsTimeout) {
    NotifySocket notify;
    ASSERT_TRUE(notify.bound());
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1h"));
    pqxx::connection other{db.url()};
    pqxx::nontransaction lock{other};
    lock.exec("SELECT pg_advisory_lock(x'6e6577736d6f6e'::bigint)"); // migrations' lock key

    DaemonThread daemon(m_path);
    std::this_thread::sleep_for(std::chrono::milliseconds{6500});
    std::string while_migrating = notify.receive();
    lock.exec("SELECT pg_advisory_unlock(x'6e6577736d6f6e'::bigint)");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (std::chrono::steady_clock::now() < deadline &&
           notify.receive(std::chrono::milliseconds{100}).find("READY=1") == std::string::npos) {
    }
    daemon.stop();

    EXPECT_EQ(while_migrating.find("READY=1"), std::string::npos) << while_migrating;
    auto first = while_migrating.find("EXTEND_TIMEOUT_USEC=15000000\nSTATUS=applying database "
                                      "migrations");
    ASSERT_NE(first, std::string::npos) << while_migrating;
    EXPECT_NE(while_migrating.find("EXTEND_TIMEOUT_USEC=", first + 1), std::string::npos)
        << while_migrating; // again after 5 s
    EXPECT_NE(notify.receive().find("READY=1"), std::string::npos) << notify.receive();
}

TEST_F(DaemonTest, ATruncatedSpoolFileIsQuarantinedAndPollingGoesOn) {
    LogCapture log;
    auto spool = m_state / "spool";
    std::filesystem::create_directories(spool);
    const std::string truncated = "00000000000000000001-000001-1.json";
    const std::string temporary = "00000000000000000002-000002-1.tmp"; // a crash mid-write
    std::ofstream(spool / truncated) << R"({"spool_version": 1, "feed_id": 1, "started_at_ms": 17)";
    std::ofstream(spool / temporary) << R"({"spool_version": 1, "feed)";
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(
        eventually([&] { return count_when_ready("SELECT count(*) FROM fetch_log") >= 2; }));
    EXPECT_TRUE(std::filesystem::exists(spool / "quarantine" / truncated));
    EXPECT_FALSE(std::filesystem::exists(spool / truncated));
    EXPECT_FALSE(std::filesystem::exists(spool / temporary));
    EXPECT_NE(log.find({"error spool file quarantined", truncated, "parse error"}), "");
    EXPECT_NE(get(daemon.port(), "/metrics").find("newsmon_spool_quarantined_total 1"),
              std::string::npos);
    EXPECT_EQ(get(daemon.port(), "/healthz"), "ok\n");
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles"), 3);
}

TEST_F(DaemonTest, SighupWhileTheDatabaseIsAwayKeepsRunningAndSyncsTheConfigOnItsReturn) {
    LogCapture log;
    NotifySocket notify;
    ASSERT_TRUE(notify.bound());
    auto a = server.serve_file("/a", "feeds/rss20/items_without_guid.xml");
    auto b = server.serve_file("/b", "feeds/rss20/same_guid_every_item.xml");
    write_config(feed("A", "/a", "1h"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually(
        [&] { return notify.receive().find("STATUS=polled 1 feeds") != std::string::npos; }));
    std::this_thread::sleep_for(std::chrono::milliseconds{500}); // asleep until A is due
    set_database_reachable(false);                               // and it has not noticed
    write_config(feed("A", "/a", "1h") + feed("B", "/b", "1h"));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(eventually([&] {
        const auto& received = notify.receive();
        auto reloading = received.find("RELOADING=1");
        return reloading != std::string::npos &&
               received.find("READY=1", reloading) != std::string::npos;
    })) << notify.receive();
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    EXPECT_EQ(daemon.exit_status(), -2); // still running
    EXPECT_NE(log.find({"config reloaded"}), "");
    EXPECT_NE(log.find({"warning reloaded config not synced", "error="}), "");
    set_database_reachable(true);
    ASSERT_TRUE(
        eventually([&] { return server.request_count("/b") == 1; }, std::chrono::seconds{30}));
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM feeds"), 2);
}

TEST_F(DaemonTest, AnErrorThatIsNotTheDatabaseIsLoggedAsItselfAndRetried) {
    // A database migrated by a newer newsmon: reachable, but refused by this one.
    db.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
               "applied_at timestamptz NOT NULL DEFAULT now())");
    db.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
    LogCapture log;
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(eventually([&] { // tried again, not given up on
        return log.matching({"newer than this newsmon knows"}).size() >= 2;
    }));
    auto line = log.find({"newer than this newsmon knows"});
    EXPECT_TRUE(line.starts_with("error daemon loop failed error=")) << line;
    EXPECT_EQ(log.find({"database unavailable"}), "");
    int status = 0;
    auto health = get(daemon.port(), "/healthz", &status);
    EXPECT_EQ(status, 503); // the daemon cannot do its work, and says why
    EXPECT_NE(health.find("newer than this newsmon knows"), std::string::npos) << health;
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
    EXPECT_EQ(server.request_count("/feed"), 0);
}

TEST_F(DaemonTest, ALoopErrorThatIsNotTheDatabaseIsLoggedAsItselfAndPollingResumes) {
    LogCapture log;
    auto endpoint = server.serve_file("/feed", "feeds/rss20/items_without_guid.xml");
    write_config(feed("Agency", "/feed", "1s"));
    DaemonThread daemon(m_path);
    ASSERT_TRUE(
        eventually([&] { return count_when_ready("SELECT count(*) FROM fetch_log") >= 1; }));
    auto spool = m_state / "spool";
    std::filesystem::remove_all(spool);
    std::ofstream(spool) << "not a directory\n"; // every look at the spool fails now
    ASSERT_TRUE(eventually([&] {
        return !log.find({"error daemon loop failed", "Not a directory", spool.string()}).empty();
    }));
    EXPECT_EQ(log.find({"database unavailable"}), "");
    EXPECT_NE(get(daemon.port(), "/metrics").find("newsmon_database_up 1"), std::string::npos);
    std::filesystem::remove(spool);
    std::filesystem::create_directory(spool);
    auto before = db.scalar("SELECT count(*) FROM fetch_log");
    ASSERT_TRUE(eventually([&] { return db.scalar("SELECT count(*) FROM fetch_log") > before; },
                           std::chrono::seconds{20}));
    EXPECT_EQ(get(daemon.port(), "/healthz"), "ok\n");
    daemon.stop();
    EXPECT_EQ(daemon.exit_status(), 0);
}
