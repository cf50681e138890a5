#include "store/alert_matches.hpp"

#include <algorithm>

#include "tag/article_text.hpp"

namespace newsmon::store {

int record_alert_matches(pqxx::work& tx, const rules::RuleSet& rules, std::int64_t feed_id,
                         const std::vector<PolledArticle>& articles,
                         const std::vector<WrittenArticle>& written) {
    if (rules.empty() || written.empty())
        return 0;
    std::string feed_name =
        tx.exec_params1("SELECT name FROM feeds WHERE id = $1", feed_id)[0].as<std::string>();
    std::vector<std::int64_t> rule_ids, article_ids;
    std::vector<std::string> terms;
    // In feed order, so that delivery ids, and a digest's list, follow the feed.
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
            rule_ids.push_back(hit.rule_id);
            article_ids.push_back(row.id);
            terms.push_back(to_text_array(hit.matched_terms));
        }
    }
    if (rule_ids.empty())
        return 0;
    // Arrays in, one statement: the batch's matches cost one round trip.
    auto inserted =
        tx.exec_params("INSERT INTO alert_deliveries (rule_id, article_id, matched_terms) "
                       "SELECT m.rule_id, m.article_id, m.terms::text[] "
                       "  FROM unnest($1::bigint[], $2::bigint[], $3::text[]) "
                       "       WITH ORDINALITY AS m(rule_id, article_id, terms, n) "
                       " WHERE EXISTS (SELECT 1 FROM alert_rules r WHERE r.id = m.rule_id) "
                       " ORDER BY m.n "
                       "ON CONFLICT ON CONSTRAINT alert_deliveries_rule_article_key DO NOTHING",
                       to_int_array(rule_ids), to_int_array(article_ids), to_text_array(terms));
    return static_cast<int>(inserted.affected_rows());
}

} // namespace newsmon::store
