// Story assignment inside the transaction that stores a feed's articles: which story each new
// article joins or opens, its signature row, and the touched stories' counts. The recent
// signatures are held in memory and topped up from story_signatures before each batch, so that
// every instance sees what the others stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"
#include "stories/story_index.hpp"

namespace newsmon::store {

// The story a new article goes into, decided before it is inserted.
struct StoryAssignment {
    // an existing story, or (negative) the batch's number for a story it opens: the articles
    // given one number go into one new story, whose id the insert draws
    std::int64_t story_id = 0;
    std::string signature_hex; // its signature, for story_signatures
};

// An article as the batch stored it.
struct StoredStoryArticle {
    std::int64_t article_id = 0;
    std::int64_t story_id = 0;
    std::chrono::sys_seconds published{};
    std::size_t index = 0;          // into the batch
    std::int64_t signature_seq = 0; // its story_signatures row's seq; 0 when it has none
};

// The content hash of each article of a batch the feed has stored already, by guid.
using StoredHashes = std::map<std::string, std::string, std::less<>>;

class StoryAssigner {
public:
    explicit StoryAssigner(std::chrono::seconds window) : m_index(window) {}

    // Prepares the statements on this connection; call once.
    static void prepare(pqxx::connection& connection);

    // One entry per article of the batch: a story for each one not stored yet, nullopt for the
    // ones the feed already has (`stored`: they keep theirs).
    [[nodiscard]] std::vector<std::optional<StoryAssignment>>
    assign(pqxx::work& tx, const std::vector<PolledArticle>& articles, const StoredHashes& stored);

    // After the batch is written (the insert keeps the stories' rows): its new articles enter
    // the index with the stories they got.
    void record(const std::vector<StoredStoryArticle>& stored);

private:
    void refresh(pqxx::work& tx);

    stories::StoryIndex m_index;
    std::vector<stories::Signature> m_batch_signatures; // of the last assign(), by batch index
    std::int64_t m_cursor = 0;                          // highest story_signatures.seq read
    bool m_loaded = false;
    // (seq, article id) of the rows this instance wrote that the next read may still reach
    std::set<std::pair<std::int64_t, std::int64_t>> m_own_rows;
};

// Takes the story-assignment lock until the transaction ends: whoever assigns stories
// (a writer storing new articles, `restory` rewriting a batch) reads the stored signatures and
// writes its own under it, so that none assigns from a view another is about to change.
void lock_story_assignment(pqxx::work& tx);

// Brings the named stories' rows in line with their articles: inserted when missing, counts,
// languages, topics, first article and times recomputed; stories left without articles are
// deleted.
void update_story_rows(pqxx::work& tx, const std::vector<std::int64_t>& story_ids);

// The text a signature is made of: title, summary and full text as tagging reads them.
[[nodiscard]] stories::Signature signature_of(const PolledArticle& article);

[[nodiscard]] std::string to_hex(std::string_view bytes);
[[nodiscard]] std::string from_hex(std::string_view hex);

} // namespace newsmon::store
