#include "stories/story_index.hpp"

#include <algorithm>
#include <cmath>

namespace newsmon::stories {
namespace {

// A key carried by more articles than this says nothing about which one is the same event,
// and walking its list would cost more than it tells.
constexpr std::size_t k_max_postings = 500;
constexpr std::size_t k_max_candidates = 32;
constexpr std::size_t k_max_visits = 2000; // list entries read to find one article's candidates

// Thresholds, chosen on the labelled set (tests/fixtures/stories) and checked on another kept
// out of the tests: see the README's stories section.
constexpr double k_copy_words = 0.70;      // a copy: most words shared, whatever else
constexpr double k_rewrite_words = 0.15;   // a rewrite shares some words...
constexpr double k_rewrite_signals = 0.60; // ...and most of its rare names and numbers
constexpr double k_translation_signals = 0.40;
constexpr std::size_t k_min_shared_signals = 3;
// Reports of one event quote its numbers: when both articles have numbers, most of the fewer
// ones must be among the other's. Without numbers to compare, names must carry more.
constexpr double k_min_shared_numbers = 0.6;
constexpr double k_no_numbers_margin = 0.2;
// Copies and translations of a report follow it within hours; a day or more later, an article
// that shares names and numbers with it is more often a follow-up, so it must share more.
constexpr double k_margin_per_day = 0.3;
// A report in the newcomer's own language that shares fewer words than this, and is not the
// same event by the rules above, speaks against the story (a rewrite shares more).
constexpr double k_own_language_denial_words = 0.30;

// The estimated Jaccard similarity of two bottom-k sketches: of the k smallest hashes of their
// union, the share found in both.
double sketch_similarity(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    if (a.empty() || b.empty())
        return 0;
    std::size_t k = std::min(std::max(a.size(), b.size()), k_sketch_size);
    std::size_t i = 0, j = 0, taken = 0, shared = 0;
    while (taken < k && (i < a.size() || j < b.size())) {
        if (j == b.size() || (i < a.size() && a[i] < b[j])) {
            ++i;
        } else if (i == a.size() || b[j] < a[i]) {
            ++j;
        } else {
            ++shared;
            ++i;
            ++j;
        }
        ++taken;
    }
    return static_cast<double>(shared) / static_cast<double>(taken);
}

std::size_t shared_count(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    std::size_t shared = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] < b[j])
            ++i;
        else if (b[j] < a[i])
            ++j;
        else {
            ++shared;
            ++i;
            ++j;
        }
    }
    return shared;
}

// Whether the numbers of two reports agree (templated series — rates, weather, prices — share
// their words and differ in their numbers); nullopt when one of them has none. A year both
// give is a figure they agree on; a year only one gives is background and does not count.
std::optional<bool> numbers_agree(const Signature& a, const Signature& b, std::size_t shared) {
    std::size_t shared_years = shared_count(a.years, b.years);
    std::size_t fewer = std::min(a.numbers.size(), b.numbers.size()) + shared_years;
    if (fewer == 0)
        return std::nullopt;
    return static_cast<double>(shared + shared_years) >=
           k_min_shared_numbers * static_cast<double>(fewer);
}

} // namespace

double StoryIndex::rarity(std::uint32_t key) const {
    auto found = m_postings.find(key);
    std::size_t carriers = found == m_postings.end() ? 0 : found->second.size();
    return std::log(1.0 + static_cast<double>(size() + 1) / static_cast<double>(carriers + 1));
}

double StoryIndex::signal_weight(const Signature& signature) const {
    double weight = 0;
    for (auto part : {&Signature::names, &Signature::numbers, &Signature::years})
        for (std::uint32_t key : signature.*part)
            weight += rarity(key);
    return weight;
}

Comparison StoryIndex::compare(const Signature& a, const Signature& b,
                               std::chrono::seconds apart) const {
    return compare(a, signal_weight(a), b, apart);
}

Comparison StoryIndex::compare(const Signature& a, double weight_a, const Signature& b,
                               std::chrono::seconds apart) const {
    Comparison result;
    // Articles of unknown language are compared word by word too: their words go unstemmed,
    // the same way for both.
    bool same_language = a.language == b.language;
    if (same_language)
        result.words = sketch_similarity(a.words, b.words);
    double shared = 0, weight_b = signal_weight(b);
    for (auto part : {&Signature::names, &Signature::numbers, &Signature::years}) {
        const auto& keys_a = a.*part;
        const auto& keys_b = b.*part;
        for (std::size_t i = 0, j = 0; i < keys_a.size() && j < keys_b.size();) {
            if (keys_a[i] < keys_b[j])
                ++i;
            else if (keys_b[j] < keys_a[i])
                ++j;
            else {
                shared += rarity(keys_a[i]);
                ++result.shared_signals;
                ++i;
                ++j;
            }
        }
    }
    double lesser = std::min(weight_a, weight_b);
    result.signals = lesser > 0 ? shared / lesser : 0;
    result.shared_numbers = shared_count(a.numbers, b.numbers);
    auto numbers = numbers_agree(a, b, result.shared_numbers);
    double days_apart = static_cast<double>(apart.count()) / 86400.0;
    double later = k_margin_per_day * std::min(days_apart, 3.0);
    double margin = (numbers ? 0.0 : k_no_numbers_margin) + later;
    if (numbers == false) {
        result.same_event = false;
    } else if (same_language) {
        result.same_event =
            result.words >= k_copy_words ||
            (result.words >= k_rewrite_words && result.signals >= k_rewrite_signals + margin);
    } else {
        result.same_event = result.signals >= k_translation_signals + margin &&
                            result.shared_signals >= k_min_shared_signals;
    }
    result.score = result.words + result.signals;
    return result;
}

std::vector<std::uint32_t> StoryIndex::candidates(const Signature& signature) const {
    // The rarest keys first, and no more than a fixed number of list entries in all: the cost
    // of an article stays bounded however alike the recent articles are (a feed of thousands
    // of templated items), and the keys left unread are the common, uninformative ones.
    std::vector<std::pair<std::size_t, const std::vector<std::uint32_t>*>> lists;
    for (const auto* part :
         {&signature.words, &signature.names, &signature.numbers, &signature.years}) {
        for (std::uint32_t key : *part) {
            auto found = m_postings.find(key);
            if (found != m_postings.end() && found->second.size() <= k_max_postings)
                lists.emplace_back(found->second.size(), &found->second);
        }
    }
    std::sort(lists.begin(), lists.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // Weights accumulate in a scratch array indexed by slot: no allocation per article.
    m_weight_of.resize(m_articles.size(), 0.0F);
    std::vector<std::uint32_t> touched;
    std::size_t visited = 0;
    for (const auto& [carriers, slots] : lists) {
        if (visited + carriers > k_max_visits)
            break;
        visited += carriers;
        auto weight = static_cast<float>(
            std::log(1.0 + static_cast<double>(size() + 1) / static_cast<double>(carriers + 1)));
        for (std::uint32_t slot : *slots) {
            if (!m_live[slot])
                continue;
            if (m_weight_of[slot] == 0.0F)
                touched.push_back(slot);
            m_weight_of[slot] += weight;
        }
    }
    std::vector<std::pair<float, std::uint32_t>> ranked;
    ranked.reserve(touched.size());
    for (std::uint32_t slot : touched) {
        ranked.emplace_back(m_weight_of[slot], slot);
        m_weight_of[slot] = 0.0F;
    }
    std::size_t keep = std::min(ranked.size(), k_max_candidates);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end(), [](const auto& x, const auto& y) {
                          return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    std::vector<std::uint32_t> slots;
    for (std::size_t i = 0; i < keep; ++i)
        slots.push_back(ranked[i].second);
    return slots;
}

std::optional<StoryMatch> StoryIndex::nearest(const Signature& signature,
                                              std::chrono::sys_seconds published) const {
    struct Compared {
        const IndexedArticle* article;
        Comparison comparison;
    };
    std::vector<Compared> compared;
    double weight = signal_weight(signature);
    for (std::uint32_t slot : candidates(signature)) {
        const IndexedArticle& candidate = m_articles[slot];
        auto apart = candidate.published > published ? candidate.published - published
                                                     : published - candidate.published;
        if (apart > m_window)
            continue;
        compared.push_back(
            {&candidate, compare(signature, weight, candidate.signature,
                                 std::chrono::duration_cast<std::chrono::seconds>(apart))});
    }
    // A report in another language is weaker evidence than one in the newcomer's own: when the
    // story's reports in its language were compared and none of them tells the same event (a
    // follow-up a day later shares the names and numbers of every translation), the
    // translations do not outvote them.
    auto denied_in_own_language = [&](const IndexedArticle& joined) {
        if (joined.signature.language == signature.language)
            return false;
        bool denied = false;
        for (const auto& [other, comparison] : compared) {
            if (other->story_id != joined.story_id ||
                other->signature.language != signature.language)
                continue;
            if (comparison.same_event)
                return false;
            denied = denied || comparison.words < k_own_language_denial_words;
        }
        return denied;
    };
    std::optional<StoryMatch> best;
    for (const auto& [candidate, comparison] : compared) {
        if (!comparison.same_event || !fits_story(signature, published, candidate->story_id) ||
            denied_in_own_language(*candidate))
            continue;
        bool nearer = !best || comparison.score > best->score ||
                      (comparison.score == best->score && candidate->article_id < best->article_id);
        if (nearer)
            best = StoryMatch{candidate->article_id, candidate->story_id, comparison.score};
    }
    return best;
}

// A story grows by its nearest report, so a chain of near reports could drift from the event:
// a follow-up near the last copy, then a follow-up of the follow-up. The story's first report
// must not contradict a newcomer: their numbers may not disagree, and they must share some of
// their words or rare signals.
bool StoryIndex::fits_story(const Signature& signature, std::chrono::sys_seconds published,
                            std::int64_t story_id) const {
    constexpr double k_min_signals_with_first = 0.25;
    auto first = m_first_of.find(story_id);
    if (first == m_first_of.end() || !m_live[first->second])
        return true;
    const IndexedArticle& story_first = m_articles[first->second];
    auto apart = published > story_first.published ? published - story_first.published
                                                   : story_first.published - published;
    Comparison with_first = compare(signature, story_first.signature, apart);
    if (with_first.same_event)
        return true;
    bool numbers_clash = numbers_agree(signature, m_articles[first->second].signature,
                                       with_first.shared_numbers) == false;
    return !numbers_clash &&
           (with_first.words >= k_rewrite_words || with_first.signals >= k_min_signals_with_first);
}

void StoryIndex::index_keys(std::uint32_t slot) {
    const Signature& signature = m_articles[slot].signature;
    for (const auto* part :
         {&signature.words, &signature.names, &signature.numbers, &signature.years})
        for (std::uint32_t key : *part)
            m_postings[key].push_back(slot);
}

void StoryIndex::remove(std::int64_t article_id) {
    auto known = m_slot_of.find(article_id);
    if (known == m_slot_of.end())
        return;
    std::uint32_t slot = known->second;
    m_live[slot] = false; // its keys are dropped at the next rebuild
    m_slot_of.erase(known);
    auto first = m_first_of.find(m_articles[slot].story_id);
    if (first != m_first_of.end() && first->second == slot) {
        std::int64_t earlier = m_replaced_first[slot];
        while (earlier >= 0 && !m_live[static_cast<std::size_t>(earlier)])
            earlier = m_replaced_first[static_cast<std::size_t>(earlier)];
        if (earlier >= 0)
            first->second = static_cast<std::uint32_t>(earlier);
        else
            m_first_of.erase(first);
    }
}

std::optional<std::int64_t> StoryIndex::first_article(std::int64_t story_id) const {
    auto first = m_first_of.find(story_id);
    if (first == m_first_of.end() || !m_live[first->second])
        return std::nullopt;
    return m_articles[first->second].article_id;
}

void StoryIndex::add(IndexedArticle article) {
    remove(article.article_id);
    auto slot = static_cast<std::uint32_t>(m_articles.size());
    m_slot_of[article.article_id] = slot;
    m_articles.push_back(std::move(article));
    m_live.push_back(true);
    m_by_age.emplace(m_articles[slot].published, slot);
    index_keys(slot);
    const IndexedArticle& added = m_articles[slot];
    auto first = m_first_of.find(added.story_id);
    std::int64_t replaced = -1;
    if (first == m_first_of.end() || !m_live[first->second] ||
        added.published < m_articles[first->second].published) {
        if (first != m_first_of.end())
            replaced = first->second;
        m_first_of[added.story_id] = slot;
    }
    m_replaced_first.push_back(replaced);
    if (m_articles.size() > 1024 && m_slot_of.size() * 2 < m_articles.size())
        rebuild();
}

void StoryIndex::forget_before(std::chrono::sys_seconds horizon) {
    std::size_t dead = m_articles.size() - m_slot_of.size();
    while (!m_by_age.empty() && m_by_age.top().first < horizon) {
        std::uint32_t slot = m_by_age.top().second;
        m_by_age.pop();
        if (m_live[slot]) {
            m_live[slot] = false;
            m_slot_of.erase(m_articles[slot].article_id);
            ++dead;
        }
    }
    if (dead * 2 > m_articles.size())
        rebuild();
}

void StoryIndex::rebuild() {
    std::vector<IndexedArticle> live;
    for (std::size_t slot = 0; slot < m_articles.size(); ++slot)
        if (m_live[slot])
            live.push_back(std::move(m_articles[slot]));
    m_articles.clear();
    m_live.clear();
    m_postings.clear();
    m_slot_of.clear();
    m_first_of.clear();
    m_replaced_first.clear();
    m_by_age = {};
    for (auto& article : live)
        add(std::move(article));
}

} // namespace newsmon::stories
