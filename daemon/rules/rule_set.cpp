#include "rules/rule_set.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace newsmon::rules {
namespace {

// Two atoms that would find the same words share one matcher pattern.
std::string pattern_key(const tag::Term& term) {
    std::string key;
    key += term.case_sensitive ? 'c' : '-';
    key += term.ignore_diacritics ? 'd' : '-';
    for (const auto& word : term.words) {
        key += ' ';
        key += term.case_sensitive ? word.original : word.folded;
        if (word.prefix)
            key += '*';
    }
    return key;
}

bool is_text(Field field) {
    return field == Field::text || field == Field::title;
}

} // namespace

RuleSet::RuleSet(std::vector<CompiledRule> rules) : m_rules(std::move(rules)) {
    std::map<std::string, std::uint32_t> patterns;
    std::vector<tag::Term> terms;
    for (std::uint32_t r = 0; r < m_rules.size(); ++r) {
        const auto& atoms = m_rules[r].query.atoms;
        m_atom_pattern.emplace_back(atoms.size(), 0);
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            const Atom& atom = atoms[a];
            Leaf leaf{r, a};
            if (is_text(atom.field)) {
                auto [found, added] = patterns.emplace(pattern_key(atom.term),
                                                       static_cast<std::uint32_t>(terms.size()));
                if (added) {
                    terms.push_back(atom.term);
                    m_pattern_leaves.emplace_back();
                }
                m_atom_pattern[r][a] = found->second;
                m_pattern_leaves[found->second].push_back(leaf);
            } else if (atom.field == Field::topic) {
                m_topic_leaves[atom.value].push_back(leaf);
            } else if (atom.field == Field::feed) {
                m_feed_leaves[atom.value].push_back(leaf);
            } else {
                m_lang_leaves.emplace_back(atom.value, leaf);
            }
        }
    }
    m_matcher = std::make_unique<tag::Matcher>(std::move(terms));
}

// One article against the candidate rules: the matcher's occurrences, grouped by pattern, and
// the article's folded metadata.
class RuleSet::Evaluation {
public:
    Evaluation(const RuleSet& set, const ArticleFacts& article)
        : m_set(set), m_text_language(tag::language_of(article.language)) {
        find(article.title, true);
        find(article.body, false);
        // By pattern, then where each occurrence ends: near_holds merges these lists.
        std::sort(m_found.begin(), m_found.end(), [](const Found& a, const Found& b) {
            return std::tie(a.first, a.second.last_word, a.second.first_word) <
                   std::tie(b.first, b.second.last_word, b.second.first_word);
        });
        m_where.assign(set.pattern_count(), 0);
        for (const auto& [pattern, occurrence] : m_found)
            m_where[pattern] |= occurrence.in_title ? k_in_title : k_in_body;
        m_feed = fold_value(article.feed);
        m_language = fold_value(article.language);
        for (auto topic : article.topics)
            m_topics.push_back(fold_value(topic));
    }

    // Indexes of the rules one of whose leaves holds, ascending.
    std::vector<std::uint32_t> candidates() const {
        std::vector<std::uint32_t> rules;
        auto take = [&](const std::vector<Leaf>& leaves) {
            for (const Leaf& leaf : leaves)
                if (atom_holds(leaf.rule, leaf.atom))
                    rules.push_back(leaf.rule);
        };
        for (std::size_t i = 0; i < m_found.size(); ++i)
            if (i == 0 || m_found[i].first != m_found[i - 1].first)
                take(m_set.m_pattern_leaves[m_found[i].first]);
        for (const auto& topic : m_topics)
            if (auto found = m_set.m_topic_leaves.find(topic); found != m_set.m_topic_leaves.end())
                take(found->second);
        if (auto found = m_set.m_feed_leaves.find(m_feed); found != m_set.m_feed_leaves.end())
            take(found->second);
        for (const auto& [value, leaf] : m_set.m_lang_leaves)
            if (atom_holds(leaf.rule, leaf.atom))
                rules.push_back(leaf.rule);
        std::sort(rules.begin(), rules.end());
        rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
        return rules;
    }

    bool holds(std::uint32_t rule, std::uint32_t index) const {
        const Node& node = m_set.m_rules[rule].query.nodes[index];
        auto child_holds = [&](std::uint32_t child) { return holds(rule, child); };
        switch (node.kind) {
        case Node::Kind::atom:
            return atom_holds(rule, node.atom);
        case Node::Kind::negate:
            return !holds(rule, node.children[0]);
        case Node::Kind::all:
            return std::all_of(node.children.begin(), node.children.end(), child_holds);
        case Node::Kind::any:
            return std::any_of(node.children.begin(), node.children.end(), child_holds);
        case Node::Kind::near:
            return near_holds(rule, node);
        }
        return false;
    }

    std::vector<std::string> matched_terms(std::uint32_t rule) const {
        std::vector<std::string> terms;
        const auto& atoms = m_set.m_rules[rule].query.atoms;
        for (std::uint32_t a = 0; a < atoms.size(); ++a)
            if (atom_holds(rule, a) &&
                std::find(terms.begin(), terms.end(), atoms[a].written) == terms.end())
                terms.push_back(atoms[a].written);
        return terms;
    }

private:
    using Found = std::pair<std::uint32_t, Occurrence>;
    struct Span {
        std::uint32_t first, last;
        bool operator==(const Span&) const = default;
    };

    void find(std::string_view text, bool in_title) {
        m_words.clear();
        parsers::split_words(text, m_words);
        m_spans.clear();
        m_set.m_matcher->find(text, m_words, m_spans, m_text_language);
        for (const auto& span : m_spans)
            m_found.push_back({span.pattern, {in_title, span.first_word, span.last_word}});
    }

    // The occurrences of a pattern, title and body.
    std::pair<const Found*, const Found*> occurrences(std::uint32_t pattern) const {
        auto range =
            std::equal_range(m_found.begin(), m_found.end(), Found{pattern, {}},
                             [](const Found& a, const Found& b) { return a.first < b.first; });
        return {m_found.data() + (range.first - m_found.begin()),
                m_found.data() + (range.second - m_found.begin())};
    }

    bool atom_holds(std::uint32_t rule, std::uint32_t index) const {
        const Atom& atom = m_set.m_rules[rule].query.atoms[index];
        switch (atom.field) {
        case Field::text:
            return m_where[m_set.m_atom_pattern[rule][index]] != 0;
        case Field::title:
            return (m_where[m_set.m_atom_pattern[rule][index]] & k_in_title) != 0;
        case Field::topic:
            return std::find(m_topics.begin(), m_topics.end(), atom.value) != m_topics.end();
        case Field::feed:
            return m_feed == atom.value;
        case Field::lang:
            return m_language == atom.value || m_language.starts_with(atom.value + ' ');
        }
        return false;
    }

    bool near_holds(std::uint32_t rule, const Node& node) const {
        // Title and body are separate texts: nearness only within one of them.
        for (bool in_title : {true, false}) {
            auto left = side_spans(rule, node.children[0], in_title);
            auto right = side_spans(rule, node.children[1], in_title);
            if (left.empty() || right.empty())
                continue;
            if (reaches(left, right, node.distance) || reaches(right, left, node.distance))
                return true;
        }
        return false;
    }

    // The occurrences of one side of NEAR (a text atom, or an OR of them) in the title or in
    // the body, in order of where they end; a title: atom has none in the body.
    std::vector<Span> side_spans(std::uint32_t rule, std::uint32_t index, bool in_title) const {
        const Query& query = m_set.m_rules[rule].query;
        std::vector<Span> spans;
        std::vector<std::uint32_t> pending{index};
        while (!pending.empty()) {
            const Node& node = query.nodes[pending.back()];
            pending.pop_back();
            if (node.kind != Node::Kind::atom) {
                pending.insert(pending.end(), node.children.begin(), node.children.end());
                continue;
            }
            if (!in_title && query.atoms[node.atom].field == Field::title)
                continue;
            auto more = spans_of(m_set.m_atom_pattern[rule][node.atom], in_title);
            spans.insert(spans.end(), more.begin(), more.end());
        }
        std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
            return std::tie(a.last, a.first) < std::tie(b.last, b.first);
        });
        spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
        return spans;
    }

    // A pattern's occurrences in the title or in the body, in order of where they end.
    std::vector<Span> spans_of(std::uint32_t pattern, bool in_title) const {
        std::vector<Span> spans;
        auto [begin, end] = occurrences(pattern);
        for (const Found* found = begin; found != end; ++found)
            if (found->second.in_title == in_title)
                spans.push_back({found->second.first_word, found->second.last_word});
        return spans;
    }

    // Whether some `later` span has an `earlier` span that ends no later than it does, at most
    // `distance` words before it starts (or overlapping it). For two such spans that is the
    // whole NEAR condition; trying both ways round covers every pair. Both lists are sorted by
    // where spans end, so one merge finds it: the best partner of each `later` span is the
    // `earlier` span that ends last, or the one before it when that is the same occurrence.
    static bool reaches(const std::vector<Span>& later, const std::vector<Span>& earlier,
                        std::uint32_t distance) {
        std::optional<Span> last, before_last; // two different occurrences
        std::size_t next = 0;
        for (const Span& span : later) {
            for (; next < earlier.size() && earlier[next].last <= span.last; ++next) {
                if (last && *last == earlier[next])
                    continue;
                before_last = last;
                last = earlier[next];
            }
            const std::optional<Span>& partner = last && *last == span ? before_last : last;
            if (partner && std::uint64_t{span.first} <= std::uint64_t{partner->last} + distance + 1)
                return true; // one occurrence is never near itself: it is not its own partner
        }
        return false;
    }

    static constexpr std::uint8_t k_in_title = 1, k_in_body = 2;

    const RuleSet& m_set;
    tag::Language m_text_language; // the stemmer's
    parsers::WordList m_words;
    std::vector<tag::MatchSpan> m_spans;
    std::vector<Found> m_found;        // sorted by pattern
    std::vector<std::uint8_t> m_where; // per pattern: k_in_title | k_in_body
    std::string m_feed, m_language;
    std::vector<std::string> m_topics;
};

std::vector<RuleHit> RuleSet::match(const ArticleFacts& article) const {
    std::vector<RuleHit> hits;
    if (m_rules.empty())
        return hits;
    Evaluation evaluation(*this, article);
    for (std::uint32_t rule : evaluation.candidates())
        if (evaluation.holds(rule, m_rules[rule].query.root))
            hits.push_back({m_rules[rule].id, evaluation.matched_terms(rule)});
    return hits;
}

} // namespace newsmon::rules
