// Matching stored articles against the alert rules, in the transaction that stores them: a
// match becomes an alert_deliveries row, unique per rule and article, for the sender to send.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include <pqxx/pqxx>

#include "rules/rule_set.hpp"
#include "store/article_writer.hpp"

namespace newsmon::store {

// The rules stored articles are matched against, and the horizon: an article published or
// first stored longer ago than `horizon` raises no alert (zero: no horizon). Its delivery may
// have been deleted by [retention] alert_deliveries, and must not be sent again.
struct AlertMatching {
    const rules::RuleSet* rules = nullptr; // null: no matching
    std::chrono::seconds horizon{0};
};

// Matches the batch's new and changed articles (republications from another feed excepted)
// and records a delivery for each rule that matches and has none for the article yet. Returns
// how many deliveries it recorded.
int record_alert_matches(pqxx::work& tx, const AlertMatching& alerts, std::int64_t feed_id,
                         const std::vector<PolledArticle>& articles,
                         const std::vector<WrittenArticle>& written);

} // namespace newsmon::store
