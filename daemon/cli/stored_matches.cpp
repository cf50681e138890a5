#include "cli/stored_matches.hpp"

#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "store/article_words.hpp"
#include "tag/article_text.hpp"

namespace newsmon::cli {
namespace {

// The configured names whose folded form is `value`, as topic: and feed: compare them.
template <typename Named>
std::vector<std::string> names_folding_to(const std::vector<Named>& configured,
                                          const std::string& value) {
    std::vector<std::string> names;
    for (const auto& entry : configured)
        if (rules::fold_value(entry.name) == value)
            names.push_back(entry.name);
    return names;
}

// Every topic: and feed: of the query names something the config has; false after saying
// which does not.
bool check_query_names(const config::Config& config, const rules::Query& query) {
    for (const auto& atom : query.atoms) {
        bool known =
            atom.field == rules::Field::topic ? !names_folding_to(config.topics, atom.value).empty()
            : atom.field == rules::Field::feed ? !names_folding_to(config.feeds, atom.value).empty()
                                               : true;
        if (!known) {
            fmt::print(stderr, "error: {}: no {} named \"{}\" in the config\n", atom.written,
                       atom.field == rules::Field::topic ? "topic" : "feed",
                       atom.written.substr(atom.written.find(':') + 1));
            return false;
        }
    }
    return true;
}

// The topics an article must have when the query requires a topic: at its top level, so
// that the database reads only those articles.
std::optional<std::string> required_topics(const config::Config& config,
                                           const rules::Query& query) {
    const rules::Node& root = query.nodes[query.root];
    std::vector<std::uint32_t> conjuncts{query.root};
    if (root.kind == rules::Node::Kind::all)
        conjuncts = root.children;
    for (std::uint32_t index : conjuncts) {
        const rules::Node& node = query.nodes[index];
        if (node.kind == rules::Node::Kind::atom &&
            query.atoms[node.atom].field == rules::Field::topic)
            return store::to_text_array(
                names_folding_to(config.topics, query.atoms[node.atom].value));
    }
    return std::nullopt;
}

// The rules' hit on `article`; nullopt when it does not match.
std::optional<StoredMatch> match_of(const rules::RuleSet* rules, store::SearchArticle article) {
    if (!rules)
        return StoredMatch{std::move(article), {}};
    std::string body = tag::article_body(article.summary, article.content_text);
    rules::ArticleFacts facts{article.title, body, article.feed, article.language, {}};
    facts.topics.assign(article.topics.begin(), article.topics.end());
    auto hits = rules->match(facts);
    if (hits.empty())
        return std::nullopt;
    return StoredMatch{std::move(article), std::move(hits.front().matched_terms)};
}

} // namespace

std::optional<MatchPlan> plan_matches(const config::Config& config, const std::string& query,
                                      const std::string& topic, std::optional<std::string> since) {
    MatchPlan plan;
    plan.filter.since = std::move(since);
    if (!topic.empty()) {
        if (!check_topic_option(config, topic))
            return std::nullopt;
        plan.filter.topics = store::to_text_array(std::vector<std::string>{topic});
    }
    if (query.empty())
        return plan;
    auto parsed = rules::parse_query(query);
    if (!parsed) {
        fmt::print(stderr, "error: {}\n", parsed.error().to_string());
        return std::nullopt;
    }
    if (!check_query_names(config, *parsed))
        return std::nullopt;
    plan.filter.words = store::candidate_tsquery(*parsed);
    if (!plan.filter.topics)
        plan.filter.topics = required_topics(config, *parsed);
    plan.rules.emplace(std::vector<rules::CompiledRule>{{0, "query", std::move(*parsed)}});
    return plan;
}

void for_each_match(store::Store& store, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit) {
    const rules::RuleSet* rules = plan.rules ? &*plan.rules : nullptr;
    store::for_each_search_candidate(store.connection(), plan.filter,
                                     [&](std::vector<store::SearchArticle>& batch) {
                                         for (auto& article : batch)
                                             if (auto match = match_of(rules, std::move(article));
                                                 match && !visit(std::move(*match)))
                                                 return false;
                                         return true;
                                     });
}

} // namespace newsmon::cli
