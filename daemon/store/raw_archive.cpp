#include "store/raw_archive.hpp"

#include "newsmon/parsers/dates.hpp"
#include "store/log_partitions.hpp"

namespace newsmon::store {
namespace {

const char* kind_name(ArchiveKind kind) {
    return kind == ArchiveKind::feed ? "feed" : "page";
}

// A page is read again only in its newest version: an older one was replaced by it.
constexpr const char* k_selection = R"sql(
  FROM raw_archive r JOIN feeds f ON f.id = r.feed_id
 WHERE r.kind = $1 AND ($2::timestamptz IS NULL OR r.fetched_at >= $2::timestamptz)
   AND ($3::bigint IS NULL OR r.feed_id = $3)
   AND (r.kind = 'feed' OR NOT EXISTS (SELECT 1 FROM raw_archive n
                                        WHERE n.kind = 'page' AND n.article_id = r.article_id
                                          AND n.id > r.id))
)sql";

} // namespace

std::int64_t archive_body(pqxx::work& tx, ArchiveKind kind, std::int64_t feed_id,
                          std::optional<std::int64_t> article_id, const ArchivedBody& body) {
    using namespace std::chrono;
    pqxx::binarystring frame(body.frame.data(), body.frame.size());
    return tx
        .exec_params1(R"sql(
INSERT INTO raw_archive (kind, feed_id, article_id, url, fetched_at, http_status, headers,
                         content_hash, size, body)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
RETURNING id)sql",
                      kind_name(kind), feed_id, article_id, body.url,
                      parsers::format_rfc3339(floor<seconds>(body.fetched_at)), body.http_status,
                      body.headers_json.empty() ? std::string("{}") : body.headers_json,
                      body.content_hash, static_cast<long long>(body.size), frame)[0]
        .as<std::int64_t>();
}

std::int64_t purge_archive(pqxx::connection& connection, std::chrono::milliseconds keep) {
    return purge_partitions(connection, k_raw_archive_partitions,
                            std::chrono::system_clock::now() - keep)
        .rows;
}

ArchiveSize archive_size(pqxx::connection& connection) {
    pqxx::work tx{connection};
    auto row =
        tx.exec1("SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint, "
                 "coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint "
                 "FROM pg_partition_tree('raw_archive') t JOIN pg_class c ON c.oid = t.relid "
                 "WHERE t.isleaf");
    tx.commit();
    return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>()};
}

std::vector<StoredBody> archived_bodies(pqxx::connection& connection,
                                        const ArchiveSelection& selection, std::int64_t after_id,
                                        int limit) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params(std::string("SELECT r.id, r.feed_id, r.article_id, f.url, r.url, "
                                           "coalesce(r.headers->>'content-type', ''), r.body") +
                                   k_selection + " AND r.id > $4 ORDER BY r.id LIMIT $5",
                               kind_name(selection.kind), selection.since, selection.feed_id,
                               after_id, limit);
    tx.commit();
    std::vector<StoredBody> bodies;
    bodies.reserve(rows.size());
    for (const auto& row : rows) {
        pqxx::binarystring frame(row[6]);
        bodies.push_back({row[0].as<std::int64_t>(), row[1].as<std::int64_t>(),
                          row[2].is_null() ? std::nullopt
                                           : std::optional<std::int64_t>(row[2].as<std::int64_t>()),
                          row[3].as<std::string>(), row[4].as<std::string>(),
                          row[5].as<std::string>(), frame.str()});
    }
    return bodies;
}

std::int64_t count_archived_bodies(pqxx::connection& connection,
                                   const ArchiveSelection& selection) {
    pqxx::work tx{connection};
    auto count = tx.exec_params1(std::string("SELECT count(*)") + k_selection,
                                 kind_name(selection.kind), selection.since, selection.feed_id)[0]
                     .as<std::int64_t>();
    tx.commit();
    return count;
}

std::optional<std::int64_t> feed_id_named(pqxx::connection& connection,
                                          const std::string& name_or_url) {
    pqxx::work tx{connection};
    auto rows = tx.exec_params("SELECT id FROM feeds WHERE name = $1 OR url = $1 "
                               "ORDER BY enabled DESC, id LIMIT 1",
                               name_or_url);
    tx.commit();
    if (rows.empty())
        return std::nullopt;
    return rows[0][0].as<std::int64_t>();
}

} // namespace newsmon::store
