// The recent articles' signatures, searchable by what they share: where a new article finds
// the earlier report of the same event, if any. Pure logic; the store keeps it filled.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "stories/signature.hpp"

namespace newsmon::stories {

struct IndexedArticle {
    std::int64_t article_id = 0;
    std::int64_t story_id = 0;
    std::chrono::sys_seconds published{};
    Signature signature;
};

struct StoryMatch {
    std::int64_t article_id = 0; // the nearest earlier report
    std::int64_t story_id = 0;
    double score = 0; // how alike they are; higher is nearer
};

// How two signatures compare, and whether that makes them one event.
struct Comparison {
    double words = 0;   // estimated share of content words (same language only)
    double signals = 0; // weighted share of names and numbers
    std::size_t shared_signals = 0;
    std::size_t shared_numbers = 0;
    bool same_event = false;
    double score = 0;
};

class StoryIndex {
public:
    // Articles published further apart than `window` are never one story.
    explicit StoryIndex(std::chrono::seconds window) : m_window(window) {}

    // Adds an article, or replaces what is known of it (its story may have changed).
    void add(IndexedArticle article);

    // The story `signature` belongs to: that of the most alike article within the window that
    // reports the same event; nullopt when none does (a new story).
    [[nodiscard]] std::optional<StoryMatch> nearest(const Signature& signature,
                                                    std::chrono::sys_seconds published) const;

    // How `a` compares with `b`, published `apart` from each other, given what the index knows
    // of how common each signal is.
    [[nodiscard]] Comparison compare(const Signature& a, const Signature& b,
                                     std::chrono::seconds apart = {}) const;

    // Forgets one article; nothing when it is not known.
    void remove(std::int64_t article_id);
    // The earliest article held of the story, whose report a newcomer must not contradict;
    // nullopt when none is known.
    [[nodiscard]] std::optional<std::int64_t> first_article(std::int64_t story_id) const;

    // The story the index holds an article in; 0 when it does not hold it.
    [[nodiscard]] std::int64_t story_of(std::int64_t article_id) const {
        auto found = m_slot_of.find(article_id);
        return found == m_slot_of.end() ? 0 : m_articles[found->second].story_id;
    }

    // Drops the articles published before `horizon`.
    void forget_before(std::chrono::sys_seconds horizon);

    [[nodiscard]] std::size_t size() const { return m_slot_of.size(); }
    [[nodiscard]] std::chrono::seconds window() const { return m_window; }

private:
    [[nodiscard]] double rarity(std::uint32_t key) const;
    // The summed rarity of a signature's names and numbers.
    [[nodiscard]] double signal_weight(const Signature& signature) const;
    [[nodiscard]] Comparison compare(const Signature& a, double weight_a, const Signature& b,
                                     std::chrono::seconds apart) const;
    [[nodiscard]] std::vector<std::uint32_t> candidates(const Signature& signature) const;
    void index_keys(std::uint32_t slot);
    [[nodiscard]] bool fits_story(const Signature& signature, std::chrono::sys_seconds published,
                                  std::int64_t story_id) const;
    void rebuild();

    std::chrono::seconds m_window;
    std::vector<IndexedArticle> m_articles;
    std::vector<bool> m_live;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_postings; // key -> slots
    std::unordered_map<std::int64_t, std::uint32_t> m_slot_of;                // article -> slot
    std::unordered_map<std::int64_t, std::uint32_t> m_first_of; // story -> its earliest slot
    // per slot: the slot its story's first was before it took that place (-1: none), so that
    // removing an article put in for a moment (a batch being placed) gives the place back
    std::vector<std::int64_t> m_replaced_first;
    // Every slot by publication time, oldest on top: forget_before() visits only what it
    // forgets, not the whole window, at each batch.
    using AgedSlot = std::pair<std::chrono::sys_seconds, std::uint32_t>;
    std::priority_queue<AgedSlot, std::vector<AgedSlot>, std::greater<>> m_by_age;
    // Scratch of candidates(), by slot, zero between calls. An index is used by one thread
    // at a time (each writer connection has its own).
    mutable std::vector<float> m_weight_of;
};

} // namespace newsmon::stories
