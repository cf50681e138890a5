// [retention] alert_deliveries: a delivered alert (sent, or failed for good) older than the
// setting is deleted, unless its story is still reported within it (a per-story rule's "once"
// and its updates read the story's deliveries). An article older than the setting raises no
// alert (AlertMatching::horizon), so a deleted delivery is never sent again.
#pragma once

#include <chrono>
#include <cstdint>

#include <pqxx/pqxx>

namespace newsmon::store {

// Deletes the expired deliveries, `batch` per transaction, until none is left or `budget` has
// passed. Returns how many it deleted.
std::int64_t purge_delivered_alerts(pqxx::connection& connection, std::chrono::milliseconds keep,
                                    std::chrono::milliseconds budget, int batch = 5000);

} // namespace newsmon::store
