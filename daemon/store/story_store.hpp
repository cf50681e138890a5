// Story assignment inside the transaction that stores a feed's articles: which story each new
// article joins or opens, its signature row, and the touched stories' counts. The recent
// signatures are held in memory and topped up from story_signatures before each batch, so that
// every instance sees what the others stored.
//
// One writer assigns at a time, under an advisory lock held until its transaction commits:
// otherwise two writers storing reports of one new event at the same instant would each miss
// the other's uncommitted report and each open a story. The lock is taken either before the
// signatures are read (LockTiming::at_assignment), or only at confirm(), after the articles are
// written: the writer then reads the signatures committed meanwhile and, if none of them changes
// an assignment, writes the story rows and signatures and commits; if one does, the caller
// undoes the batch (a savepoint) and writes it again with the lock taken first. Two writers'
// articles are then written side by side, and only the short end of each is serialized.
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

// The story a new article goes into, decided before it is inserted: an existing story, or
// (negative) the batch's number for a story it opens: the articles given one number go into one
// new story, whose id the insert draws.
struct StoryAssignment {
    std::int64_t story_id = 0;
};

// A new article as the batch stored it.
struct StoredStoryArticle {
    std::int64_t article_id = 0;
    std::int64_t story_id = 0;
    std::chrono::sys_seconds published{};
    std::size_t index = 0; // into the batch
};

enum class LockTiming { at_assignment, at_confirmation };

// The content hash of each article of a batch the feed has stored already, by guid.
using StoredHashes = std::map<std::string, std::string, std::less<>>;

class StoryAssigner {
public:
    explicit StoryAssigner(std::chrono::seconds window) : m_index(window) {}

    // Prepares the statements on this connection; call once.
    static void prepare(pqxx::connection& connection);

    // One entry per article of the batch: a story for each one not stored yet, nullopt for the
    // ones the feed already has (`stored`: they keep theirs). The lock is taken as `timing` says.
    [[nodiscard]] std::vector<std::optional<StoryAssignment>>
    assign(pqxx::transaction_base& tx, const std::vector<PolledArticle>& articles,
           const StoredHashes& stored, LockTiming timing);

    // After the batch's articles are inserted (`feed_id`'s, as assign() placed them): their
    // signatures and their stories' rows are written, at once when the lock is held (or
    // clustering is off), else by confirm().
    void write_stories(pqxx::transaction_base& tx, std::int64_t feed_id,
                       std::vector<StoredStoryArticle> stored);

    // Takes the lock, unless held, and writes what write_stories() left, returning true; or
    // returns false, writing nothing, when signatures committed since assign() place one of the
    // batch's articles otherwise, or another feed committed an article that one of them repeats
    // (it would have been stored as its republication, in its story). The caller then undoes
    // the batch with a savepoint made before assign() (which gives the lock back too) and
    // writes it again with the lock taken at assignment.
    [[nodiscard]] bool confirm(pqxx::transaction_base& tx);

private:
    void refresh(pqxx::transaction_base& tx);
    // The story of each of the batch's new articles (m_fresh), by batch index, as the index
    // holds them now.
    [[nodiscard]] std::vector<std::int64_t> decide();
    void write_held(pqxx::transaction_base& tx);
    [[nodiscard]] bool missed_an_original(pqxx::transaction_base& tx) const;

    stories::StoryIndex m_index;
    bool m_locked = false; // in the batch being written
    // The last assign()'s new articles (batch indexes), their signatures and times by batch
    // index, and the stories they were given.
    std::vector<std::size_t> m_fresh;
    std::vector<stories::Signature> m_batch_signatures;
    std::vector<std::chrono::sys_seconds> m_batch_published;
    std::vector<std::int64_t> m_story_of;
    // What write_stories() left for confirm().
    std::int64_t m_held_feed = 0;
    std::vector<StoredStoryArticle> m_held;
    std::int64_t m_cursor = 0; // highest story_signatures.seq read
    bool m_loaded = false;
    // (seq, article id) of the rows this instance wrote that the next read may still reach
    std::set<std::pair<std::int64_t, std::int64_t>> m_own_rows;
};

// Takes the story-assignment lock until the transaction ends: whoever assigns stories
// (a writer storing new articles, `restory` rewriting a batch) reads the stored signatures and
// writes its own under it, so that none assigns from a view another is about to change.
void lock_story_assignment(pqxx::transaction_base& tx);

// Brings the named stories' rows in line with their articles: inserted when missing, counts,
// languages, topics, first article and times recomputed; stories left without articles are
// deleted.
void update_story_rows(pqxx::work& tx, const std::vector<std::int64_t>& story_ids);

// The text a signature is made of: title, summary and full text as tagging reads them.
[[nodiscard]] stories::Signature signature_of(const PolledArticle& article);

[[nodiscard]] std::string to_hex(std::string_view bytes);
[[nodiscard]] std::string from_hex(std::string_view hex);

} // namespace newsmon::store
