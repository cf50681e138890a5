#include "store/spike_store.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "signals/spike_detector.hpp"
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

// Distinct stories per rule and window: window k holds the hits published in
// (as_of - (k+1) w, as_of - k w]. An index-only scan of each rule's hits in its baseline, each
// rule's grouped on its own (small sorts that stay in memory); date_part, a float8, costs far
// less per row than extract's numeric.
constexpr const char* k_count = R"sql(
SELECT r.rule_id, c.k, c.stories
  FROM unnest($1::bigint[], $3::float8[], $4::float8[]) AS r(rule_id, w, span)
 CROSS JOIN LATERAL (
    SELECT floor(($2::float8 - date_part('epoch', h.published_at)) / r.w)::int AS k,
           count(DISTINCT h.story_id) AS stories
      FROM spike_hits h
     WHERE h.rule_id = r.rule_id AND h.published_at <= to_timestamp($2::float8)
       AND h.published_at > to_timestamp($2::float8) - r.span * interval '1 second'
     GROUP BY 1) c
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

constexpr const char* k_add_states = R"sql(
INSERT INTO spike_state (rule_id) SELECT unnest($1::bigint[])
ON CONFLICT ON CONSTRAINT spike_state_pkey DO NOTHING
)sql";

// The rules' states, locked until the verdicts are written: an instance evaluating at the same
// moment skips the rules this one holds.
constexpr const char* k_lock_states = R"sql(
SELECT rule_id, in_episode, episodes, extract(epoch FROM history_from)::float8,
       extract(epoch FROM now())::float8
  FROM spike_state WHERE rule_id = ANY($1::bigint[])
 ORDER BY rule_id
   FOR UPDATE SKIP LOCKED
)sql";

constexpr const char* k_save_states = R"sql(
UPDATE spike_state s
   SET in_episode = v.in_episode, episodes = v.episodes, evaluated_at = to_timestamp($4::float8),
       last_count = v.count, last_expected = v.expected, last_p_value = v.p_value
  FROM unnest($1::bigint[], $2::boolean[], $3::bigint[], $5::float8[], $6::float8[],
              $7::float8[]) AS v(rule_id, in_episode, episodes, count, expected, p_value)
 WHERE s.rule_id = v.rule_id
)sql";

std::string to_float_array(const std::vector<double>& values) {
    std::string out = "{";
    for (double value : values)
        out += (out.size() > 1 ? "," : "") +
               (std::isfinite(value) ? fmt::format("{:.17g}", value) : std::string("NaN"));
    return out + "}";
}

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

// The rule's windows, all zero until counted, and where its history and today begin.
SpikeCounts counts_for(const SpikeRuleRow& rule, const pqxx::row& state, double now) {
    auto series = signals::empty_series(rule.window.count(),
                                        static_cast<int>(rule.baseline.count() / k_seconds_per_day),
                                        now, state[3].as<double>());
    return {std::move(series.counts), series.windows_per_day, series.windows_into_day,
            series.history_days, state[1].as<bool>()};
}

} // namespace

std::optional<std::int64_t> archive_start(pqxx::connection& connection) {
    pqxx::read_transaction tx{connection};
    auto row = tx.exec1("SELECT extract(epoch FROM min(published_at))::bigint FROM articles");
    if (row[0].is_null())
        return std::nullopt;
    return row[0].as<std::int64_t>();
}

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

std::vector<SpikeEvaluation>
evaluate_spike_rules(pqxx::connection& connection, const std::vector<SpikeRuleRow>& rules,
                     std::optional<std::chrono::system_clock::time_point> as_of,
                     const SpikeDecide& decide) {
    std::vector<SpikeEvaluation> done;
    if (rules.empty())
        return done;
    std::vector<std::int64_t> ids;
    for (const auto& rule : rules)
        ids.push_back(rule.id);
    pqxx::work tx{connection};
    // A rule never filled (added with plain SQL) has its history from its first evaluation.
    tx.exec_params0(k_add_states, to_int_array(ids));
    std::map<std::int64_t, pqxx::row> states;
    auto locked = tx.exec_params(k_lock_states, to_int_array(ids));
    for (const auto& row : locked)
        states.emplace(row[0].as<std::int64_t>(), row);
    if (states.empty())
        return done; // another instance is evaluating them
    const double now = as_of ? epoch_of(*as_of) : locked[0][4].as<double>();

    // One statement counts every locked rule's windows.
    std::vector<const SpikeRuleRow*> judged;
    std::vector<std::int64_t> judged_ids;
    std::vector<double> windows, spans;
    std::map<std::int64_t, SpikeCounts> counts;
    for (const auto& rule : rules) {
        auto state = states.find(rule.id);
        if (state == states.end())
            continue;
        judged.push_back(&rule);
        judged_ids.push_back(rule.id);
        SpikeCounts& rule_counts = counts[rule.id] = counts_for(rule, state->second, now);
        windows.push_back(static_cast<double>(rule.window.count()));
        spans.push_back(static_cast<double>(rule.window.count()) *
                        static_cast<double>(rule_counts.counts.size()));
    }
    for (const auto& row : tx.exec_params(k_count, to_int_array(judged_ids), now,
                                          to_float_array(windows), to_float_array(spans))) {
        auto& series = counts[row[0].as<std::int64_t>()].counts;
        auto k = row[1].as<long long>();
        if (k >= 0 && static_cast<std::size_t>(k) < series.size())
            series[static_cast<std::size_t>(k)] = row[2].as<double>();
    }

    std::vector<std::string> in_episode;
    std::vector<std::int64_t> episodes;
    std::vector<double> count_values, expected, p_values;
    for (const SpikeRuleRow* rule : judged) {
        SpikeEvaluation evaluation{*rule, {}};
        auto& outcome = evaluation.outcome;
        outcome.decision = decide(*rule, counts[rule->id]);
        const auto& decision = outcome.decision;
        int episode = states.at(rule->id)[2].as<int>();
        if (decision.fire) {
            ++episode;
            outcome.episode_key =
                "spike-" + std::to_string(rule->id) + "-" + std::to_string(episode);
            auto window = static_cast<double>(rule->window.count());
            auto inserted =
                tx.exec_params(k_deliver, rule->id, outcome.episode_key, now, window,
                               decision.count, decision.expected, decision.ratio, decision.p_value,
                               static_cast<double>(rule->baseline.count()), k_top_stories);
            outcome.delivered = inserted.affected_rows() > 0;
        }
        in_episode.push_back(decision.in_episode ? "true" : "false");
        episodes.push_back(episode);
        count_values.push_back(decision.count);
        expected.push_back(decision.expected);
        p_values.push_back(decision.p_value);
        done.push_back(std::move(evaluation));
    }
    tx.exec_params0(k_save_states, to_int_array(judged_ids), to_text_array(in_episode),
                    to_int_array(episodes), now, to_float_array(count_values),
                    to_float_array(expected), to_float_array(p_values));
    tx.commit();
    return done;
}

} // namespace newsmon::store
