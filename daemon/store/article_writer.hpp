// The batched write of one feed's articles and their topics, inside the caller's transaction:
// one statement, given the batch as arrays, that skips unchanged rows, updates changed ones,
// inserts new ones (recognising republications) and writes their topics. No per-row round trips.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"
#include "store/story_store.hpp"

namespace newsmon::store {
class SearchVectors;
}

namespace newsmon::store {

// One article the batch inserted or changed.
struct WrittenArticle {
    std::int64_t id = 0;
    std::size_t index = 0; // into the batch
    bool is_new = false;
    bool is_duplicate = false; // a republication of an article first seen from another feed
};

struct WriteCounts {
    std::vector<WrittenArticle> written;
    int inserted = 0;
    int updated = 0;
    int duplicates = 0;
    std::map<std::string, int> topic_hits; // written (new or changed) articles per topic
};

// Where a batch comes from.
struct WriteSource {
    std::optional<std::int64_t> archive_id; // the archived body it was read from
    // `newsmon reparse`: an article is changed only from a body at least as new as the one it
    // was last written from, and a stored article keeps its page's state.
    bool reparse = false;
    // When the story lock is taken: at confirmation, the caller confirms the batch's stories
    // (StoryAssigner::confirm) before committing. A batch that changes a stored article takes
    // it at assignment all the same.
    LockTiming story_lock = LockTiming::at_assignment;
};

// Prepares the statements and the temporary tables on this connection; call once.
void prepare_article_writer(pqxx::connection& connection);

// Writes the articles of `feed_id`: new ones inserted, changed ones updated in place (same id,
// updated_at set), unchanged ones left alone. A guid repeated within the batch keeps its first
// occurrence. Each new article goes into the story `stories` assigns it, in the same
// transaction. A new article's search vector is assembled by `search` where it can, else
// computed by PostgreSQL.
[[nodiscard]] WriteCounts write_articles(pqxx::transaction_base& tx, std::int64_t feed_id,
                                         const std::vector<PolledArticle>& articles,
                                         StoryAssigner& stories, const WriteSource& source = {},
                                         SearchVectors* search = nullptr);

} // namespace newsmon::store
