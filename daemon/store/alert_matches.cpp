#include "store/alert_matches.hpp"

#include <algorithm>
#include <unordered_set>

#include "store/spike_store.hpp"
#include "tag/article_text.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_insert_matches = R"sql(
INSERT INTO alert_deliveries (rule_id, article_id, matched_terms, story_id, story_once, feed_count)
SELECT m.rule_id, m.article_id, m.terms::text[], a.story_id, r.per = 'story', s.feed_count
  FROM unnest($1::bigint[], $2::bigint[], $3::text[])
       WITH ORDINALITY AS m(rule_id, article_id, terms, n)
  JOIN alert_rules r ON r.id = m.rule_id
  JOIN articles a ON a.id = m.article_id
  LEFT JOIN stories s ON s.id = a.story_id
 WHERE $4::bigint = 0 OR (a.first_seen_at >= now() - make_interval(secs => $4)
                          AND a.published_at >= now() - make_interval(secs => $4))
 ORDER BY m.n
ON CONFLICT DO NOTHING
)sql";

// A story that a per-story rule with update_every = N has alerted on, and that has spread to N
// more feeds than its last delivery said, gets an update, tied to its newest article.
constexpr const char* k_insert_updates = R"sql(
INSERT INTO alert_deliveries (rule_id, article_id, matched_terms, story_id, kind, feed_count)
SELECT r.id, n.article_id, '{}', s.id, 'update', s.feed_count
  FROM (SELECT a.story_id, max(a.id) AS article_id FROM articles a
         WHERE a.id = ANY($1::bigint[]) GROUP BY a.story_id) n
  JOIN stories s ON s.id = n.story_id
  JOIN alert_rules r ON r.per = 'story' AND r.update_every IS NOT NULL AND r.enabled
  JOIN LATERAL (SELECT max(d.feed_count) AS feeds FROM alert_deliveries d
                 WHERE d.rule_id = r.id AND d.story_id = s.id) last ON last.feeds IS NOT NULL
 WHERE s.feed_count >= last.feeds + r.update_every
ON CONFLICT DO NOTHING
)sql";

} // namespace

int record_alert_matches(pqxx::work& tx, const AlertMatching& alerts, std::int64_t feed_id,
                         const std::vector<PolledArticle>& articles,
                         const std::vector<WrittenArticle>& written) {
    if (!alerts.rules || alerts.rules->empty() || written.empty())
        return 0;
    const rules::RuleSet& rules = *alerts.rules;
    std::string feed_name =
        tx.exec_params1("SELECT name FROM feeds WHERE id = $1", feed_id)[0].as<std::string>();
    std::vector<std::int64_t> rule_ids, article_ids, spike_rule_ids, spike_article_ids;
    std::vector<std::string> terms;
    // In feed order, so that delivery ids, and a digest's list, follow the feed.
    std::unordered_set<std::int64_t> spiking = rules.spike_rule_ids();
    std::vector<WrittenArticle> in_order = written;
    std::sort(in_order.begin(), in_order.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
    for (const WrittenArticle& row : in_order) {
        if (row.is_duplicate)
            continue; // the article it repeats has alerted already
        const PolledArticle& article = articles[row.index];
        std::string body = tag::article_body(article.item.summary, article.content_text);
        rules::ArticleFacts facts{article.item.title, body, feed_name, article.language, {}};
        for (const auto& topic : article.topics)
            facts.topics.push_back(topic.topic);
        for (auto& hit : rules.match(facts)) {
            if (spiking.contains(hit.rule_id)) { // counted, not sent
                spike_rule_ids.push_back(hit.rule_id);
                spike_article_ids.push_back(row.id);
                continue;
            }
            rule_ids.push_back(hit.rule_id);
            article_ids.push_back(row.id);
            terms.push_back(to_text_array(hit.matched_terms));
        }
    }
    // Arrays in, one statement: the batch's matches cost one round trip. A per-story rule's
    // match of a story it has matched before conflicts with the first one and is dropped.
    record_spike_hits(tx, spike_rule_ids, spike_article_ids);
    pqxx::result inserted;
    if (!rule_ids.empty())
        inserted =
            tx.exec_params(k_insert_matches, to_int_array(rule_ids), to_int_array(article_ids),
                           to_text_array(terms), static_cast<std::int64_t>(alerts.horizon.count()));
    std::vector<std::int64_t> new_ids;
    for (const WrittenArticle& row : written)
        if (row.is_new)
            new_ids.push_back(row.id);
    pqxx::result updates;
    if (!new_ids.empty())
        updates = tx.exec_params(k_insert_updates, to_int_array(new_ids));
    return static_cast<int>(inserted.affected_rows() + updates.affected_rows());
}

} // namespace newsmon::store
