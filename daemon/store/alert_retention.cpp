#include "store/alert_retention.hpp"

namespace newsmon::store {
namespace {

constexpr const char* k_delete_delivered = R"sql(
WITH cutoff AS (SELECT now() - $1::bigint * interval '1 millisecond' AS at),
expired AS (
  SELECT d.id FROM alert_deliveries d, cutoff
   WHERE d.status <> 'pending' AND d.created_at < cutoff.at
     AND NOT EXISTS (SELECT 1 FROM stories s
                      WHERE s.id = d.story_id AND s.last_seen_at >= cutoff.at)
   LIMIT $2)
DELETE FROM alert_deliveries d USING expired WHERE d.id = expired.id
)sql";

} // namespace

std::int64_t purge_delivered_alerts(pqxx::connection& connection, std::chrono::milliseconds keep,
                                    std::chrono::milliseconds budget, int batch) {
    if (keep.count() <= 0)
        return 0;
    auto deadline = std::chrono::steady_clock::now() + budget;
    std::int64_t deleted = 0;
    while (true) {
        pqxx::work tx{connection};
        auto rows = tx.exec_params0(k_delete_delivered, static_cast<long long>(keep.count()), batch)
                        .affected_rows();
        tx.commit();
        deleted += static_cast<std::int64_t>(rows);
        if (rows < static_cast<pqxx::result::size_type>(batch) ||
            std::chrono::steady_clock::now() >= deadline)
            return deleted;
    }
}

} // namespace newsmon::store
