#include "store/spike_store.hpp"

#include <cmath>

#include "store/store.hpp"
#include "tag/article_text.hpp"

namespace newsmon::store {
namespace {

constexpr int k_fill_batch = 500;
constexpr int k_top_stories = 5;
constexpr long long k_seconds_per_day = 86'400;

constexpr const char* k_record_hits = R"sql(
INSERT INTO spike_hits (rule_id, article_id, story_id, published_at)
SELECT m.rule_id, a.id, a.story_id, a.published_at
  FROM unnest($1::bigint[], $2::bigint[]) AS m(rule_id, article_id)
  JOIN articles a ON a.id = m.article_id
ON CONFLICT ON CONSTRAINT spike_hits_pkey DO UPDATE
   SET story_id = EXCLUDED.story_id, published_at = EXCLUDED.published_at
 WHERE (spike_hits.story_id, spike_hits.published_at)
       IS DISTINCT FROM (EXCLUDED.story_id, EXCLUDED.published_at)
)sql";

constexpr const char* k_fill_batch_sql = R"sql(
SELECT a.id, a.title, a.summary, coalesce(a.content_text, ''), f.name, coalesce(a.language, ''),
       coalesce((SELECT array_to_json(array_agg(t.topic))::text
                   FROM article_topics t WHERE t.article_id = a.id), '[]')
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.published_at >= now() - $1 * interval '1 second' AND a.id > $2
   AND a.duplicate_of IS NULL
 ORDER BY a.id LIMIT $3
)sql";

// Distinct stories per window: window k holds the hits published in (as_of - (k+1) w,
// as_of - k w]. An index-only scan of the rule's hits in the baseline.
constexpr const char* k_count = R"sql(
SELECT floor(extract(epoch FROM (to_timestamp($2::float8) - h.published_at)) / $3::float8)::int,
       count(DISTINCT h.story_id)
  FROM spike_hits h
 WHERE h.rule_id = $1 AND h.published_at <= to_timestamp($2::float8)
   AND h.published_at > to_timestamp($2::float8) - $4::float8 * interval '1 second'
 GROUP BY 1
)sql";

// The episode's delivery, tied to the newest hit of the window that no delivery of this rule
// names yet (a delivery names an article), with what the message says.
constexpr const char* k_deliver = R"sql(
WITH hits AS (
    SELECT h.article_id, h.story_id FROM spike_hits h
     WHERE h.rule_id = $1 AND h.published_at <= to_timestamp($3::float8)
       AND h.published_at > to_timestamp($3::float8) - $4::float8 * interval '1 second'),
top AS (
    SELECT s.id, s.title, s.feed_count, s.article_count, coalesce(a.url, '') AS url,
           count(*) AS hits
      FROM hits JOIN stories s ON s.id = hits.story_id
      LEFT JOIN articles a ON a.id = s.first_article_id
     GROUP BY s.id, a.url
     ORDER BY s.feed_count DESC, count(*) DESC, s.id
     LIMIT $10),
representative AS (
    SELECT hits.article_id, hits.story_id FROM hits
     WHERE NOT EXISTS (SELECT 1 FROM alert_deliveries d
                        WHERE d.rule_id = $1 AND d.article_id = hits.article_id)
     ORDER BY hits.article_id DESC LIMIT 1)
INSERT INTO alert_deliveries (rule_id, article_id, kind, episode_key, story_id, spike)
SELECT $1, r.article_id, 'spike', $2, r.story_id,
       jsonb_build_object(
           'count', $5::float8, 'expected', $6::float8, 'ratio', $7::float8,
           'p_value', $8::float8, 'window_seconds', $4::float8, 'baseline_seconds', $9::float8,
           'window_start', to_char((to_timestamp($3::float8) - $4::float8 * interval '1 second')
                                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'window_end', to_char(to_timestamp($3::float8) AT TIME ZONE 'UTC',
                                 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'stories', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                    'story_id', t.id, 'title', t.title, 'feed_count', t.feed_count,
                                    'article_count', t.article_count, 'url', t.url)
                                    ORDER BY t.feed_count DESC, t.hits DESC, t.id)
                                  FROM top t), '[]'::jsonb))
  FROM representative r
ON CONFLICT DO NOTHING
)sql";

double epoch_of(std::chrono::system_clock::time_point time) {
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

std::vector<std::string> strings_of_json_array(const std::string& json) {
    // ["a","b"] as PostgreSQL writes it for plain topic names; topics are config keys, never
    // holding quotes or backslashes.
    std::vector<std::string> out;
    for (std::size_t at = json.find('"'); at != std::string::npos;) {
        auto end = json.find('"', at + 1);
        if (end == std::string::npos)
            break;
        out.push_back(json.substr(at + 1, end - at - 1));
        at = json.find('"', end + 1);
    }
    return out;
}

} // namespace

std::vector<SpikeRuleRow> enabled_spike_rules(pqxx::connection& connection) {
    pqxx::work tx{connection};
    std::vector<SpikeRuleRow> rules;
    for (const auto& row : tx.exec(R"sql(
SELECT id, name, extract(epoch FROM spike_window)::bigint, extract(epoch FROM spike_baseline)::bigint,
       spike_min_count
  FROM alert_rules
 WHERE enabled AND spike_window IS NOT NULL AND last_error IS NULL
 ORDER BY id)sql"))
        rules.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(),
                         std::chrono::seconds{row[2].as<long long>()},
                         std::chrono::seconds{row[3].as<long long>()}, row[4].as<int>()});
    tx.commit();
    return rules;
}

void record_spike_hits(pqxx::work& tx, const std::vector<std::int64_t>& rule_ids,
                       const std::vector<std::int64_t>& article_ids) {
    if (!rule_ids.empty())
        tx.exec_params0(k_record_hits, to_int_array(rule_ids), to_int_array(article_ids));
}

long long fill_spike_hits(pqxx::connection& connection, std::int64_t rule_id,
                          const rules::RuleSet& rules, std::chrono::seconds since) {
    {
        // The history starts where the archive does, if that is later: days before it are no
        // evidence of a quiet topic.
        pqxx::work tx{connection};
        tx.exec_params0(R"sql(
INSERT INTO spike_state (rule_id, history_from)
VALUES ($1, greatest(now() - $2 * interval '1 second',
                     coalesce((SELECT min(published_at) FROM articles), now())))
ON CONFLICT ON CONSTRAINT spike_state_pkey DO UPDATE SET history_from = EXCLUDED.history_from)sql",
                        rule_id, static_cast<long long>(since.count()));
        tx.commit();
    }
    long long recorded = 0;
    std::int64_t last_id = 0;
    for (;;) {
        pqxx::work tx{connection};
        auto rows = tx.exec_params(k_fill_batch_sql, static_cast<long long>(since.count()), last_id,
                                   k_fill_batch);
        if (rows.empty())
            return recorded;
        std::vector<std::int64_t> rule_ids, article_ids;
        for (const auto& row : rows) {
            last_id = row[0].as<std::int64_t>();
            auto title = row[1].as<std::string>(), summary = row[2].as<std::string>(),
                 content = row[3].as<std::string>(), feed = row[4].as<std::string>(),
                 language = row[5].as<std::string>();
            auto topics = strings_of_json_array(row[6].as<std::string>());
            std::string body = tag::article_body(summary, content);
            rules::ArticleFacts facts{title, body, feed, language, {}};
            for (const auto& topic : topics)
                facts.topics.push_back(topic);
            for (const auto& hit : rules.match(facts))
                if (hit.rule_id == rule_id) {
                    rule_ids.push_back(rule_id);
                    article_ids.push_back(last_id);
                }
        }
        record_spike_hits(tx, rule_ids, article_ids);
        tx.commit();
        recorded += static_cast<long long>(rule_ids.size());
    }
}

std::optional<SpikeOutcome>
evaluate_spike_rule(pqxx::connection& connection, const SpikeRuleRow& rule,
                    std::optional<std::chrono::system_clock::time_point> as_of,
                    const std::function<SpikeDecision(const SpikeCounts&)>& decide) {
    pqxx::work tx{connection};
    // A rule never filled (added with plain SQL) has its history from its first evaluation.
    tx.exec_params0("INSERT INTO spike_state (rule_id) VALUES ($1) "
                    "ON CONFLICT ON CONSTRAINT spike_state_pkey DO NOTHING",
                    rule.id);
    auto state =
        tx.exec_params("SELECT in_episode, episodes, extract(epoch FROM history_from)::float8, "
                       "extract(epoch FROM now())::float8 FROM spike_state WHERE rule_id = $1 "
                       "FOR UPDATE SKIP LOCKED",
                       rule.id);
    if (state.empty())
        return std::nullopt; // another instance is evaluating it
    const double now = as_of ? epoch_of(*as_of) : state[0][3].as<double>();
    const auto window = static_cast<double>(rule.window.count());
    const long long baseline_days = rule.baseline.count() / k_seconds_per_day;

    SpikeCounts counts;
    counts.in_episode = state[0][0].as<bool>();
    counts.windows_per_day = static_cast<int>(k_seconds_per_day / rule.window.count());
    auto windows = static_cast<std::size_t>((baseline_days + 1) * counts.windows_per_day);
    counts.counts.assign(windows, 0.0);
    double time_of_day = std::fmod(now, static_cast<double>(k_seconds_per_day));
    counts.windows_into_day = static_cast<int>((time_of_day + window / 2) / window);
    double history = (now - state[0][2].as<double>()) / static_cast<double>(k_seconds_per_day);
    counts.history_days = static_cast<int>(
        std::clamp(std::floor(history) - 1, 0.0, static_cast<double>(baseline_days)));
    for (const auto& row :
         tx.exec_params(k_count, rule.id, now, window, window * static_cast<double>(windows))) {
        auto k = row[0].as<long long>();
        if (k >= 0 && static_cast<std::size_t>(k) < windows)
            counts.counts[static_cast<std::size_t>(k)] = row[1].as<double>();
    }

    SpikeOutcome outcome;
    outcome.decision = decide(counts);
    const auto& decision = outcome.decision;
    int episodes = state[0][1].as<int>();
    if (decision.fire) {
        ++episodes;
        outcome.episode_key = "spike-" + std::to_string(rule.id) + "-" + std::to_string(episodes);
        auto inserted =
            tx.exec_params(k_deliver, rule.id, outcome.episode_key, now, window, decision.count,
                           decision.expected, decision.ratio, decision.p_value,
                           static_cast<double>(rule.baseline.count()), k_top_stories);
        outcome.delivered = inserted.affected_rows() > 0;
    }
    tx.exec_params0("UPDATE spike_state SET in_episode = $2, episodes = $3, evaluated_at = "
                    "to_timestamp($4::float8), last_count = $5, last_expected = $6, "
                    "last_p_value = $7 WHERE rule_id = $1",
                    rule.id, decision.in_episode, episodes, now, decision.count, decision.expected,
                    decision.p_value);
    tx.commit();
    return outcome;
}

} // namespace newsmon::store
