#include "base/metrics.hpp"

#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace newsmon::base {
namespace {

struct Declaration {
    std::string_view name;
    std::string_view type;
    std::string_view help;
};

// Names are a public interface (dashboards and alerts use them): add, never rename.
constexpr std::array<Declaration, 23> k_metrics = {{
    {"newsmon_polls_total", "counter", "Feed polls by outcome: ok, unchanged, failed"},
    {"newsmon_http_responses_total", "counter", "HTTP responses by status code"},
    {"newsmon_fetched_bytes_total", "counter", "Response body bytes fetched"},
    {"newsmon_articles_total", "counter", "Articles stored, by kind: new, updated"},
    {"newsmon_topic_hits_total", "counter", "Articles tagged, by topic"},
    {"newsmon_alerts_total", "counter", "Alert deliveries by channel and outcome"},
    {"newsmon_alert_matches_total", "counter", "Articles that matched an alert rule"},
    {"newsmon_pages_total", "counter", "Article pages fetched for full text, by outcome"},
    {"newsmon_alert_rules", "gauge", "Enabled alert rules by state: active, invalid"},
    {"newsmon_feeds", "gauge", "Enabled feeds"},
    {"newsmon_feeds_due", "gauge", "Enabled feeds due for a poll now"},
    {"newsmon_feeds_overdue", "gauge", "Enabled feeds due for more than five minutes"},
    {"newsmon_feeds_failing", "gauge", "Enabled feeds whose last poll failed"},
    {"newsmon_feeds_silent", "gauge",
     "Feeds that answer but have published nothing for far "
     "longer than usual"},
    {"newsmon_queue_depth", "gauge", "Work waiting in a pipeline stage"},
    {"newsmon_database_up", "gauge", "1 when the database is reachable, else 0"},
    {"newsmon_last_successful_poll_timestamp_seconds", "gauge",
     "Unix time of the last poll that succeeded"},
    {"newsmon_spool_quarantined_total", "counter",
     "Spool files that could not be read or stored, moved to the spool's quarantine/"},
    {"newsmon_spool_write_failures_total", "counter",
     "Polls lost because the database was away and the spool could not be written"},
    {"newsmon_archive_bytes", "gauge",
     "Size on disk of the raw archive of fetched feed bodies and pages"},
    {"newsmon_archive_bodies", "gauge", "Bodies in the raw archive (estimated)"},
    {"newsmon_articles_purged_total", "counter",
     "Articles deleted by [retention] articles, with their stories"},
    {"newsmon_alert_deliveries_purged_total", "counter",
     "Delivered alerts deleted by [retention] alert_deliveries"},
}};

std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c == '\n' ? 'n' : c;
    }
    return out;
}

std::string number(double value) {
    if (std::floor(value) == value && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    std::ostringstream out;
    out.precision(17);
    out << value;
    return out.str();
}

} // namespace

Metrics::Metrics() {
    for (const auto& declaration : k_metrics)
        m_families.emplace(
            std::string(declaration.name),
            Family{std::string(declaration.type), std::string(declaration.help), {}});
}

std::string Metrics::label_text(Labels labels) {
    std::string text;
    for (const auto& [key, value] : labels)
        text += (text.empty() ? "" : ",") + std::string(key) + "=\"" + escape_label(value) + "\"";
    return text;
}

Metrics::Family& Metrics::family(std::string_view name) {
    auto found = m_families.find(name);
    if (found == m_families.end())
        throw std::logic_error("metric " + std::string(name) + " is not declared");
    return found->second;
}

void Metrics::add(std::string_view name, Labels labels, double value) {
    std::lock_guard lock(m_mutex);
    family(name).series[label_text(labels)] += value;
}

void Metrics::set(std::string_view name, Labels labels, double value) {
    std::lock_guard lock(m_mutex);
    family(name).series[label_text(labels)] = value;
}

double Metrics::value(std::string_view name, Labels labels) const {
    std::lock_guard lock(m_mutex);
    auto found = m_families.find(name);
    if (found == m_families.end())
        return 0;
    auto series = found->second.series.find(label_text(labels));
    return series == found->second.series.end() ? 0 : series->second;
}

std::string Metrics::render() const {
    std::lock_guard lock(m_mutex);
    std::string out;
    for (const auto& [name, family] : m_families) {
        out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " " + family.type + "\n";
        for (const auto& [labels, value] : family.series)
            out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(value) + "\n";
    }
    return out;
}

} // namespace newsmon::base
