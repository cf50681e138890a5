// The hourly rollups: per topic (topic_hourly, 0016_topic_rollups.sql), per topic and feed
// (topic_feed_hourly) and per pair of topics (topic_pair_hourly, both
// 0021_feed_and_pair_rollups.sql): folding the deltas that ingest appends, and recounting
// everything from the articles.
#pragma once

#include <cstdint>
#include <vector>

#include <pqxx/pqxx>

namespace newsmon::store {

// For a change to stored articles outside the ingest upsert (a fetched page re-tags its article
// and may set its time): what the articles count now taken off the rollups, and their tags off
// their stories' (stories.topic_articles), before the change, and added after it, in the same
// transaction.
void take_off_topic_rollups(pqxx::work& tx, const std::vector<std::int64_t>& article_ids);
void add_to_topic_rollups(pqxx::work& tx, const std::vector<std::int64_t>& article_ids);

// Adds the deltas in topic_hourly_changes and topic_pair_hourly_changes to their rollups, and
// those in story_topic_changes to their stories' tags, and removes them, in one transaction;
// readers see the same counts before and after. Deltas of transactions still running, and of
// stories another transaction holds, stay for the next fold. Returns the topic_hourly rows written,
// 0 when another instance is folding at the same moment (it takes them).
std::int64_t fold_topic_rollups(pqxx::connection& connection);

// Recounts the rollups, and each story's tags per topic (stories.topic_articles), from the
// stored articles and empties the rollups' deltas, in one
// transaction that waits for the writers in flight and holds new ones until it commits. For
// what changes topics or stories' first articles outside the upsert (retag, restory), a bulk
// load, a renamed topic. Returns the topic_hourly rows written.
std::int64_t rebuild_topic_rollups(pqxx::connection& connection);
// The same in `tx`, which holds the writers from here until it ends.
std::int64_t rebuild_topic_rollups(pqxx::work& tx);

} // namespace newsmon::store
