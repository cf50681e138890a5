// Every enabled rule compiled together: their terms share one matcher, so an article's words
// are walked once however many rules there are, and only the rules whose leaves occurred have
// their boolean trees evaluated.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rules/query.hpp"
#include "tag/matcher.hpp"

namespace newsmon::rules {

struct CompiledRule {
    std::int64_t id = 0;
    std::string name;
    Query query;
    bool spike = false; // its matches are counted for spike alerts, not delivered one by one
};

// What a rule is matched against.
struct ArticleFacts {
    std::string_view title;
    std::string_view body; // summary and full text
    std::string_view feed; // the feed's name
    std::string_view language;
    std::vector<std::string_view> topics;
};

struct RuleHit {
    std::int64_t rule_id = 0;
    std::vector<std::string> matched_terms; // the query's leaves that held, as written
};

class RuleSet {
public:
    RuleSet() = default;
    explicit RuleSet(std::vector<CompiledRule> rules);

    // The rules that match, in the order they were given.
    [[nodiscard]] std::vector<RuleHit> match(const ArticleFacts& article) const;

    [[nodiscard]] std::size_t size() const { return m_rules.size(); }
    [[nodiscard]] bool empty() const { return m_rules.empty(); }
    [[nodiscard]] std::size_t pattern_count() const { return m_matcher ? m_matcher->size() : 0; }
    [[nodiscard]] std::unordered_set<std::int64_t> spike_rule_ids() const {
        std::unordered_set<std::int64_t> ids;
        for (const auto& rule : m_rules)
            if (rule.spike)
                ids.insert(rule.id);
        return ids;
    }

private:
    struct Leaf {
        std::uint32_t rule;
        std::uint32_t atom;
    };
    struct Occurrence {
        bool in_title;
        std::uint32_t first_word, last_word;
    };
    class Evaluation;

    std::vector<CompiledRule> m_rules;
    std::unique_ptr<tag::Matcher> m_matcher;
    std::vector<std::vector<Leaf>> m_pattern_leaves;        // per matcher pattern
    std::vector<std::vector<std::uint32_t>> m_atom_pattern; // per rule, per atom: its pattern
    std::unordered_map<std::string, std::vector<Leaf>> m_topic_leaves, m_feed_leaves;
    std::vector<std::pair<std::string, Leaf>> m_lang_leaves;
};

// The rule set the daemon's writers match against, replaced whole when rules change.
class LiveRules {
public:
    [[nodiscard]] std::shared_ptr<const RuleSet> current() const {
        std::lock_guard lock(m_mutex);
        return m_rules;
    }
    void replace(std::shared_ptr<const RuleSet> rules) {
        std::lock_guard lock(m_mutex);
        m_rules = std::move(rules);
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const RuleSet> m_rules = std::make_shared<RuleSet>();
};

} // namespace newsmon::rules
