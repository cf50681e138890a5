// What `newsmon reparse` reads and writes: its checkpoint (reparse_progress), the articles of an
// archived feed body written again, and an archived page's text written again. Each body's
// writes and the checkpoint after it commit together, so an interrupted run resumes where it
// stopped and never applies a body twice.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "newsmon/parsers/article.hpp"
#include "store/page_store.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::store {

struct ReparseCheckpoint {
    std::string run_key; // the run's options: the same options resume the same run
    std::int64_t last_id = 0;
    std::int64_t bodies = 0;
    std::int64_t changed = 0;
    std::int64_t added = 0;
};

[[nodiscard]] std::optional<ReparseCheckpoint> load_reparse_checkpoint(pqxx::connection& connection,
                                                                       const std::string& run_key);
void save_reparse_checkpoint(pqxx::connection& connection, const ReparseCheckpoint& checkpoint);
void clear_reparse_checkpoint(pqxx::connection& connection, const std::string& run_key);

// What one body changed. `fields` counts the changed articles by what changed in them: title,
// summary, content, link, author, categories, language, topics.
struct BodyRewrite {
    int changed = 0;
    int added = 0; // items no stored article had: read now, not before
    std::map<std::string, int> fields;
};

// Store::rewrite_feed_body writes the articles read again from an archived feed body as a poll
// would (new ones inserted into their stories, changed ones updated in place), except that an
// article last written from a newer body is left alone, a stored article keeps its page and
// no alert is matched. Changed articles whose page was fetched are tagged again from the
// page's text. It saves the checkpoint in the same transaction.

// The article an archived page belongs to, as the page cycle would have claimed it; nullopt
// once the article is gone.
[[nodiscard]] std::optional<PageJob> archived_page_job(pqxx::connection& connection,
                                                       std::int64_t article_id);

// Writes the page's text, fields and topics over the article's when its text differs from the
// stored one; saves `checkpoint` in the same transaction, counting the change. True when the
// article changed.
bool rewrite_page(pqxx::connection& connection, const PageJob& job,
                  const parsers::ExtractedArticle& page, const std::vector<tag::TopicMatch>& topics,
                  const ReparseCheckpoint& checkpoint);

} // namespace newsmon::store
