// Matching stored articles against the alert rules, in the transaction that stores them: a
// match becomes an alert_deliveries row, unique per rule and article, for the sender to send.
#pragma once

#include <cstdint>
#include <vector>

#include <pqxx/pqxx>

#include "rules/rule_set.hpp"
#include "store/article_writer.hpp"

namespace newsmon::store {

// Matches the batch's new and changed articles (republications from another feed excepted)
// and records a delivery for each rule that matches and has none for the article yet. Returns
// how many deliveries it recorded.
int record_alert_matches(pqxx::work& tx, const rules::RuleSet& rules, std::int64_t feed_id,
                         const std::vector<PolledArticle>& articles,
                         const std::vector<WrittenArticle>& written);

} // namespace newsmon::store
