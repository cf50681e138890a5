#include "service/daemon.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

#include "alerts/rule_store.hpp"
#include "alerts/spike_evaluator.hpp"
#include "base/log.hpp"
#include "service/page_cycle.hpp"
#include "service/poll_cycle.hpp"
#include "service/systemd_notify.hpp"
#include "store/alert_retention.hpp"
#include "store/article_retention.hpp"
#include "store/log_partitions.hpp"
#include "store/migrations.hpp"
#include "store/page_store.hpp"
#include "store/raw_archive.hpp"
#include "store/redact.hpp"
#include "store/topic_rollups.hpp"

namespace newsmon::service {
namespace {

constexpr std::chrono::milliseconds k_longest_sleep{60'000};
constexpr std::chrono::milliseconds k_first_retry{1'000};
constexpr std::chrono::milliseconds k_longest_retry{60'000};
constexpr std::chrono::hours k_purge_every{1};
// Article retention deletes for this long per cycle at most (a first purge of years takes
// several cycles), well inside the watchdog's interval.
constexpr std::chrono::seconds k_purge_budget{5};
// Feed batches back to back for at most this long before the rest of the loop's work.
constexpr std::chrono::seconds k_longest_feed_round{30};
// A spool file is written in milliseconds: a temporary one untouched this long was left by a
// crash in the middle of a write.
constexpr std::chrono::seconds k_stale_temporary{60};

} // namespace

namespace {} // namespace

std::string instance_name(const config::Config& config) {
    if (!config.daemon.instance.empty())
        return config.daemon.instance;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(getpid());
}

Daemon::Daemon(config::Config config, SignalWatcher& signals)
    : m_signals(signals), m_instance(instance_name(config)),
      m_pipeline(std::move(config), &m_metrics) {}

Daemon::Wake Daemon::classify(std::optional<int> signal) {
    if (!signal)
        return Wake::timeout;
    if (*signal == SIGHUP) {
        m_reload_requested = true;
        return Wake::reload;
    }
    m_stop_requested = true;
    return Wake::stop;
}

Daemon::Wake Daemon::sleep_for(std::chrono::milliseconds duration) {
    return classify(m_signals.wait(duration));
}

void Daemon::connect() {
    // All or nothing: m_store is set last, so a connection that failed half-way is made again.
    auto main = m_pipeline.open_store();
    m_writers = m_pipeline.open_writers();
    m_store = std::move(main);
}

void Daemon::drop_connections() {
    m_store.reset();
    m_writers.clear();
}

void Daemon::restart_alert_service() {
    if (m_alert_service)
        m_alert_service->stop();
    m_alert_service = std::make_unique<alerts::AlertService>(m_pipeline.config(),
                                                             m_pipeline.alert_rules(), &m_metrics);
    m_alert_service->start();
}

void Daemon::replay_spool() {
    // In order, before anything new is claimed: a feed's validators and schedule come back
    // with the articles they belong to. The database going away stops the replay and the rest
    // waits for it; a file that cannot be read or stored is set aside, never retried forever.
    if (auto removed = m_spool->remove_stale_temporaries(k_stale_temporary); removed > 0)
        log::warn(
            "spool temporary files removed",
            {log::field("files", removed), log::field("directory", m_spool->directory().string())});
    int replayed = 0;
    for (const auto& file : m_spool->pending()) {
        auto poll = store::Spool::read(file);
        if (!poll)
            quarantine(file, poll.error());
        else if (replay(file, *poll))
            ++replayed;
    }
    if (replayed > 0)
        log::info("spool replayed", {log::field("polls", replayed)});
}

bool Daemon::replay(const std::filesystem::path& file, const store::FeedPoll& poll) {
    try {
        m_store->record_poll(poll);
    } catch (const std::exception& error) {
        if (store::database_is_away(*m_store, error) || store::database_is_busy(error))
            throw;                      // worth trying again, in order
        quarantine(file, error.what()); // refused (its feed was deleted, say): it would be again
        return false;
    }
    std::filesystem::remove(file);
    return true;
}

void Daemon::quarantine(const std::filesystem::path& file, const std::string& reason) {
    auto kept = m_spool->quarantine(file);
    m_metrics.add("newsmon_spool_quarantined_total");
    log::error("spool file quarantined",
               {log::field("file", file.string()), log::field("moved_to", kept.string()),
                log::field("error", reason)});
}

// Each step on its own, so that one failing (a lock not had within its timeout, behind a long
// query: next hour) never keeps the others from running.
void Daemon::maintain_log_partitions() {
    auto attempt = [](const char* step, const auto& run) {
        try {
            run();
        } catch (const pqxx::sql_error& error) {
            log::warn("log partitions not maintained",
                      {log::field("step", step), log::field("error", error.what())});
        }
    };
    attempt("create", [&] { store::create_log_partitions(m_store->connection()); });
    attempt("fetch_log retention", [&] {
        if (auto purged = m_store->purge_fetch_log(settings().retention.fetch_log); purged > 0)
            log::info("fetch_log purged", {log::field("rows", purged)});
    });
    attempt("archive retention", [&] {
        if (auto archived = store::purge_archive(m_store->connection(), settings().archive.keep);
            archived > 0)
            log::info("raw archive purged", {log::field("bodies", archived)});
    });
}

void Daemon::purge_when_due() {
    auto now = std::chrono::steady_clock::now();
    if (m_last_purge && now - *m_last_purge < k_purge_every)
        return;
    maintain_log_partitions();
    auto expired = store::purge_expired_articles(m_store->connection(),
                                                 settings().retention.articles, k_purge_budget);
    if (expired.stories > 0) {
        m_metrics.add("newsmon_articles_purged_total", {}, static_cast<double>(expired.articles));
        log::info("expired articles purged",
                  {log::field("stories", expired.stories), log::field("articles", expired.articles),
                   log::field("finished", expired.finished)});
    }
    // With the horizon the writers match under, so that no purged delivery is matched again.
    auto deliveries = store::purge_delivered_alerts(m_store->connection(), m_store->alert_horizon(),
                                                    k_purge_budget);
    if (deliveries > 0) {
        m_metrics.add("newsmon_alert_deliveries_purged_total", {}, static_cast<double>(deliveries));
        log::info("delivered alerts purged", {log::field("deliveries", deliveries)});
    }
    if (expired.finished) // else due again next cycle, until the backlog is gone
        m_last_purge = now;
}

void Daemon::reload() {
    m_reload_requested = false;
    if (m_ready) // before READY=1, systemd is not waiting for this reload to end
        notify_reloading();
    auto loaded = config::load_config(settings().path);
    for (const auto& diagnostic : loaded.diagnostics)
        log::warn("config problem", {log::field("detail", diagnostic.to_string())});
    if (!loaded.config)
        log::error("reload refused; keeping the running config",
                   {log::field("file", settings().path.string())});
    else
        apply_config(std::move(*loaded.config));
    if (m_ready)
        notify_ready();
}

void Daemon::apply_config(config::Config config) {
    m_pipeline.reconfigure(std::move(config));
    if (m_alert_service)
        restart_alert_service(); // [alerts] and [smtp] may have changed
    log::info("config reloaded", {log::field("feeds", m_pipeline.config().feeds.size()),
                                  log::field("terms", m_pipeline.tagger().term_count())});
    sync_reloaded_config();
}

void Daemon::sync_reloaded_config() {
    if (!m_store)
        return; // connect() syncs the config in use
    try {
        m_pipeline.sync_config(*m_store);
    } catch (const std::exception& error) {
        // The new config is in use all the same; the next connection syncs it.
        std::string problem = store::redact_passwords(error.what());
        log::warn("reloaded config not synced; it will be on reconnection",
                  {log::field("error", problem)});
        if (database_is_away(error))
            set_database_state(false, problem);
        drop_connections();
    }
}

void Daemon::poll_due_feeds() {
    // Batches back to back while feeds are due: the work after a round (spike rules, rollups,
    // a page round, gauges) costs tens of milliseconds, paid once per round rather than once per
    // batch. A round still ends after k_longest_feed_round, so pages get their turn.
    auto started = std::chrono::steady_clock::now();
    bool polled = false;
    while (!m_stop_requested && !m_reload_requested && poll_due_batch()) {
        polled = true;
        notify_watchdog();
        if (std::chrono::steady_clock::now() - started > k_longest_feed_round)
            break;
    }
    if (!polled)
        return;
    evaluate_spikes();
    fold_rollups();
}

bool Daemon::poll_due_batch() {
    // A batch at a time, so that other instances get their share of what is due.
    int batch = std::max(settings().http.concurrency * 4, 64);
    auto due = m_store->claim_feeds(m_instance, settings().daemon.lease, batch);
    if (due.empty())
        return false;
    m_metrics.set("newsmon_queue_depth", {{"stage", "fetch"}}, static_cast<double>(due.size()));
    auto cycle = m_pipeline.poll_cycle(*m_store, m_spool.get(), m_writers);
    auto report = cycle.run(due, [this] {
        if (auto signal = m_signals.poll())
            classify(signal);
        return m_stop_requested;
    });
    m_store->release_feeds(m_instance, report.cancelled);
    if (report.database_away) // reconnect, replay what the spool kept
        throw store::DatabaseAway("the database went away during a poll cycle");
    m_metrics.set("newsmon_queue_depth", {{"stage", "fetch"}}, 0);
    notify_status("polled " + std::to_string(report.feeds) + " feeds, " +
                  std::to_string(report.failed) + " failed, " +
                  std::to_string(report.articles_new) + " new articles");
    return true;
}

void Daemon::evaluate_spikes() {
    // After the cycle's articles are stored, so a burst it brought is counted at once.
    try {
        alerts::evaluate_spike_rules(m_store->connection());
    } catch (const std::exception& error) {
        if (database_is_away(error))
            throw;
        log::error("spike evaluation failed",
                   {log::field("error", store::redact_passwords(error.what()))});
    }
}

void Daemon::fold_rollups() {
    // Readers add the deltas up themselves; folding keeps what they add up small.
    try {
        auto written = store::fold_topic_rollups(m_store->connection());
        log::debug("topic rollups folded", {log::field("rows", written)});
    } catch (const std::exception& error) {
        if (database_is_away(error))
            throw;
        log::error("topic rollups fold failed",
                   {log::field("error", store::redact_passwords(error.what()))});
    }
}

void Daemon::fetch_due_pages() {
    // Feeds first, pages with what is left of the round: a slow site never delays a feed.
    int batch = std::max(settings().http.concurrency * 2, 32);
    auto cycle = m_pipeline.page_cycle(*m_store);
    cycle.run(batch, [this] {
        if (auto signal = m_signals.poll())
            classify(signal);
        return m_stop_requested || m_reload_requested; // unfetched pages wait for the next round
    });
}

std::chrono::milliseconds Daemon::time_until_next_work() {
    auto next_feed = m_store->time_until_next_due().value_or(k_longest_sleep);
    auto next_page = store::time_until_next_page(m_store->connection()).value_or(k_longest_sleep);
    return std::min(next_feed, next_page);
}

void Daemon::set_database_state(bool up, const std::string& problem) {
    m_metrics.set("newsmon_database_up", up ? 1 : 0);
    set_health_problem(up ? std::string() : "database unavailable: " + problem);
}

void Daemon::set_health_problem(const std::string& problem) {
    std::lock_guard lock(m_health_mutex);
    m_health_problem = problem;
}

bool Daemon::database_is_away(const std::exception& error) {
    return m_store ? store::database_is_away(*m_store, error) : store::database_is_away(error);
}

void Daemon::report_failure(const std::exception& error, std::chrono::milliseconds retry_delay) {
    notify_watchdog(); // the loop is alive; systemd should not kill it for this
    std::string problem = store::redact_passwords(error.what());
    if (!database_is_away(error)) {
        // Anything else is said as what it is; the connection is kept, and the round is tried
        // again after the same backoff, so that an error that repeats does not spin.
        log::error("daemon loop failed",
                   {log::field("error", problem), log::field("retry_ms", retry_delay.count())});
        set_health_problem(problem);
        return;
    }
    log::error("database unavailable",
               {log::field("error", problem), log::field("retry_ms", retry_delay.count())});
    set_database_state(false, problem);
    drop_connections();
}

void Daemon::update_gauges() {
    auto counts = m_store->feed_counts();
    m_metrics.set("newsmon_feeds", static_cast<double>(counts.enabled));
    m_metrics.set("newsmon_feeds_due", static_cast<double>(counts.due));
    m_metrics.set("newsmon_feeds_overdue", static_cast<double>(counts.overdue));
    m_metrics.set("newsmon_feeds_failing", static_cast<double>(counts.failing));
    m_metrics.set("newsmon_feeds_silent", static_cast<double>(counts.silent));
    auto archive = store::archive_size(m_store->connection());
    m_metrics.set("newsmon_archive_bytes", static_cast<double>(archive.disk_bytes));
    m_metrics.set("newsmon_archive_bodies", static_cast<double>(archive.bodies));
}

void Daemon::work_once() {
    if (!m_store)
        connect();
    if (!m_alert_service) // after the first connect: the schema is there
        restart_alert_service();
    if (!m_ready) {
        notify_ready();
        log::info("daemon ready", {log::field("feeds", settings().feeds.size())});
        m_ready = true;
    }
    purge_when_due();
    set_database_state(true, "");
    replay_spool();
    poll_due_feeds();
    if (!m_stop_requested)
        fetch_due_pages();
    update_gauges();
    notify_watchdog();
}

int Daemon::run() {
    auto endpoints = HttpEndpoints::start(settings().server.listen, m_metrics, [this] {
        std::lock_guard lock(m_health_mutex);
        return m_health_problem;
    });
    if (!endpoints) {
        log::error("cannot start", {log::field("error", endpoints.error())});
        return 1;
    }
    m_endpoints = std::move(*endpoints);
    try {
        m_spool =
            std::make_unique<store::Spool>(store::spool_directory(settings().daemon.state_dir));
    } catch (const std::exception& error) {
        log::error("cannot start", {log::field("error", error.what())});
        return 1;
    }
    if (m_endpoints->port() > 0)
        log::info("endpoints listening", {log::field("port", m_endpoints->port())});
    auto longest_sleep = std::min(k_longest_sleep, watchdog_interval().value_or(k_longest_sleep));
    auto retry_delay = k_first_retry;
    while (!m_stop_requested) {
        if (m_reload_requested)
            reload();
        try {
            work_once();
            retry_delay = k_first_retry;
            if (m_stop_requested)
                break;
            sleep_for(
                std::clamp(time_until_next_work(), std::chrono::milliseconds{0}, longest_sleep));
        } catch (const std::exception& error) {
            report_failure(error, retry_delay);
            sleep_for(std::min(retry_delay, longest_sleep));
            retry_delay = std::min(retry_delay * 2, k_longest_retry);
        }
    }
    notify_stopping();
    if (m_alert_service)
        m_alert_service->stop();
    log::info("daemon stopped");
    return 0;
}

} // namespace newsmon::service
