#include "store/stored_matches.hpp"

#include "store/article_words.hpp"
#include "store/store.hpp"
#include "tag/article_text.hpp"

namespace newsmon::store {
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

// The first topic: or feed: of the query that names nothing the config has, said as an error.
std::optional<std::string> unknown_query_name(const config::Config& config,
                                              const rules::Query& query) {
    for (const auto& atom : query.atoms) {
        bool known =
            atom.field == rules::Field::topic ? !names_folding_to(config.topics, atom.value).empty()
            : atom.field == rules::Field::feed ? !names_folding_to(config.feeds, atom.value).empty()
                                               : true;
        if (!known)
            return atom.written + ": no " + (atom.field == rules::Field::topic ? "topic" : "feed") +
                   " named \"" + atom.written.substr(atom.written.find(':') + 1) +
                   "\" in the config";
    }
    return std::nullopt;
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
            return to_text_array(names_folding_to(config.topics, query.atoms[node.atom].value));
    }
    return std::nullopt;
}

// The rules' hit on `article`; nullopt when it does not match.
std::optional<StoredMatch> match_of(const rules::RuleSet* rules, SearchArticle article) {
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

tl::expected<MatchPlan, std::string> plan_matches(const config::Config& config,
                                                  const std::string& query,
                                                  const std::string& topic,
                                                  std::optional<std::string> since) {
    MatchPlan plan;
    plan.filter.since = std::move(since);
    if (!topic.empty())
        plan.filter.topics = to_text_array(std::vector<std::string>{topic});
    if (query.empty())
        return plan;
    auto parsed = rules::parse_query(query);
    if (!parsed)
        return tl::unexpected(parsed.error().to_string());
    if (auto unknown = unknown_query_name(config, *parsed))
        return tl::unexpected(std::move(*unknown));
    plan.filter.words = candidate_tsquery(*parsed);
    if (!plan.filter.topics)
        plan.filter.topics = required_topics(config, *parsed);
    plan.rules.emplace(std::vector<rules::CompiledRule>{{0, "query", std::move(*parsed)}});
    return plan;
}

void for_each_match(pqxx::connection& connection, const MatchPlan& plan,
                    const std::function<bool(StoredMatch&&)>& visit) {
    const rules::RuleSet* rules = plan.rules ? &*plan.rules : nullptr;
    for_each_search_candidate(connection, plan.filter, [&](std::vector<SearchArticle>& batch) {
        for (auto& article : batch)
            if (auto match = match_of(rules, std::move(article));
                match && !visit(std::move(*match)))
                return false;
        return true;
    });
}

} // namespace newsmon::store
