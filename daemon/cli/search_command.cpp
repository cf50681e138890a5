// `newsmon search`: stored articles that an alert query matches, newest first. The GIN index
// over the articles' words gives the candidates (a superset, store/article_words.hpp); the
// query is applied to each by rules::RuleSet, as `alert test` and the daemon apply it.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "rules/rule_set.hpp"
#include "store/article_words.hpp"
#include "store/search.hpp"
#include "store/store.hpp"
#include "tag/article_text.hpp"

namespace newsmon::cli {
namespace {

struct Hit {
    store::RuleTestArticle article;
    std::vector<std::string> matched_terms;
};

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

// The rule's hit on `article` as `alert test` finds it; nullopt when it does not match.
std::optional<Hit> hit_of(const rules::RuleSet* rules, const store::RuleTestArticle& article) {
    if (!rules)
        return Hit{article, {}};
    std::string body = tag::article_body(article.summary, article.content_text);
    rules::ArticleFacts facts{article.title, body, article.feed, article.language, {}};
    facts.topics.assign(article.topics.begin(), article.topics.end());
    auto hits = rules->match(facts);
    if (hits.empty())
        return std::nullopt;
    return Hit{article, std::move(hits.front().matched_terms)};
}

void print_hits(const std::vector<Hit>& hits, bool json) {
    if (!json) {
        for (const auto& hit : hits)
            fmt::print("{}  {}  {}  {}\n", hit.article.published_at, hit.article.feed,
                       hit.article.title, hit.article.url);
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& hit : hits)
        list.push_back({{"id", static_cast<long long>(hit.article.id)},
                        {"published_at", hit.article.published_at},
                        {"feed", hit.article.feed},
                        {"title", hit.article.title},
                        {"url", hit.article.url},
                        {"topics", hit.article.topics},
                        {"matched_terms", hit.matched_terms}});
    fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

// The filter and the parsed query, or nullopt after saying what is wrong with the command.
struct Plan {
    store::SearchFilter filter;
    std::optional<rules::RuleSet> rules;
};

std::optional<Plan> plan_search(const config::Config& config, const SearchCommand& command) {
    Plan plan;
    if (command.query.empty() && command.topic.empty()) {
        fmt::print(stderr, "error: search needs a query, --topic, or both\n");
        return std::nullopt;
    }
    if (!read_since_option(command.since, plan.filter.since))
        return std::nullopt;
    if (!command.topic.empty()) {
        if (!check_topic_option(config, command.topic))
            return std::nullopt;
        plan.filter.topics = store::to_text_array(std::vector<std::string>{command.topic});
    }
    if (command.query.empty())
        return plan;
    print_query_warnings(command.query);
    auto query = rules::parse_query(command.query);
    if (!query) {
        fmt::print(stderr, "error: {}\n", query.error().to_string());
        return std::nullopt;
    }
    if (!check_query_names(config, *query))
        return std::nullopt;
    plan.filter.words = store::candidate_tsquery(*query);
    if (!plan.filter.topics)
        plan.filter.topics = required_topics(config, *query);
    plan.rules.emplace(std::vector<rules::CompiledRule>{{0, "search", std::move(*query)}});
    return plan;
}

} // namespace

int command_search(const GlobalOptions& options, const SearchCommand& command) {
    auto config = load_or_report(options);
    if (!config)
        return k_exit_usage;
    auto plan = plan_search(*config, command);
    if (!plan)
        return k_exit_usage;
    auto store = open_store(*config);
    if (!store)
        return k_exit_failure;
    std::vector<Hit> hits;
    auto limit = static_cast<std::size_t>(std::max(command.limit, 1));
    const rules::RuleSet* rules = plan->rules ? &*plan->rules : nullptr;
    store::for_each_search_candidate(store->connection(), plan->filter,
                                     [&](const std::vector<store::RuleTestArticle>& batch) {
                                         for (const auto& article : batch) {
                                             if (auto hit = hit_of(rules, article))
                                                 hits.push_back(std::move(*hit));
                                             if (hits.size() >= limit)
                                                 return false;
                                         }
                                         return true;
                                     });
    print_hits(hits, command.json);
    if (hits.empty()) {
        fmt::print(stderr, "no articles match\n");
        return k_exit_nothing_found;
    }
    return k_exit_ok;
}

} // namespace newsmon::cli
