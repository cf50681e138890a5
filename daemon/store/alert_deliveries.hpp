// Alert deliveries on their way out: claimed in batches (the next attempt pushed out before
// anything is sent, so a crash resends once, later, under the same id), single or as a rule's
// digest, and their outcome recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

// How long a claim holds: attempt n waits retry_delay * 2^(n-1), at most max_retry_delay.
struct DeliveryBackoff {
    std::chrono::milliseconds retry_delay{0};
    std::chrono::milliseconds max_retry_delay{0};
};

// A claimed delivery with its rule and article: everything its message says.
struct ClaimedDelivery {
    std::int64_t id = 0;
    std::vector<std::string> channels_done; // the channels that already have it
    std::vector<std::string> matched_terms;
    std::string rule;     // the rule's name
    std::string channels; // the rule's channels, JSON
    std::string secret;   // the rule's webhook secret; empty: none
    std::int64_t article_id = 0;
    std::string title;
    std::string url;
    std::string feed;         // the feed's name
    std::string published_at; // ISO 8601, UTC
    std::vector<std::string> topics;
    std::int64_t story_id = 0;
    bool update = false;             // the story spread: not a new match
    int feed_count = 1;              // feeds that carried the story when the delivery was made
    std::string story_first_seen_at; // ISO 8601, UTC
    std::string query;               // the rule's, for the snippet's marks
    std::string language;            // the article's; empty: unknown
    std::string summary;
    std::string content_text; // the full text; empty: none
    std::string spike;        // a spike episode's summary, JSON; empty: not a spike
};

// Claims up to a batch of due deliveries of rules without a digest, in due order.
[[nodiscard]] std::vector<ClaimedDelivery> claim_single_deliveries(pqxx::connection& connection,
                                                                   const DeliveryBackoff& backoff);

// The enabled rules with a digest whose period is over and that have deliveries due, by id.
[[nodiscard]] std::vector<std::int64_t> digest_rules_due(pqxx::connection& connection);

// Claims the due deliveries of one digest rule, by id: the digest claimed before a crash
// again as it was, else every pending one. Empty when another instance holds the rule or
// nothing is due.
[[nodiscard]] std::vector<ClaimedDelivery> claim_digest_deliveries(pqxx::connection& connection,
                                                                   std::int64_t rule_id,
                                                                   const DeliveryBackoff& backoff);

// Records an attempt at `ids`: sent when `error` is empty, else pending again, or failed once
// `max_attempts` are used up. Returns true when they failed for good.
bool record_delivery_attempt(pqxx::connection& connection, const std::vector<std::int64_t>& ids,
                             const std::vector<std::string>& channels_done,
                             const std::optional<std::string>& error, int max_attempts);

// The rule's digest went out: its next period starts now.
void record_digest_sent(pqxx::connection& connection, std::int64_t rule_id);

// Sends `payload` on the newsmon_alert channel (NOTIFY), outside any transaction.
void notify_alert(pqxx::connection& connection, const std::string& payload);

} // namespace newsmon::store
