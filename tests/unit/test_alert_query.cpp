#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/query.hpp"
#include "rules/rule_set.hpp"
#include "store/article_words.hpp"

namespace newsmon::rules {
namespace {

std::string error_of(std::string_view query) {
    auto parsed = parse_query(query);
    return parsed ? std::string("(parsed)") : parsed.error().to_string();
}

TEST(AlertQueryErrors, NameThePlaceAndWhatWasExpected) {
    EXPECT_EQ(error_of("NATO AND Baku AND"), "query:1:15: expected a term after AND");
    EXPECT_EQ(error_of("NATO AND"), "query:1:6: expected a term after AND");
    EXPECT_EQ(error_of("NATO OR )"), "query:1:6: expected a term after OR");
    EXPECT_EQ(error_of("NATO NOT"), "query:1:6: expected a term after NOT");
    EXPECT_EQ(error_of(""), "query:1:1: empty query: expected a term");
    EXPECT_EQ(error_of("   \n  "), "query:1:1: empty query: expected a term");
    EXPECT_EQ(error_of("OR NATO"), "query:1:1: expected a term before OR");
}

TEST(AlertQueryErrors, UnbalancedQuotesAndParentheses) {
    EXPECT_EQ(error_of("NATO \"summit in Baku"),
              "query:1:6: unbalanced quote: this phrase is never closed");
    EXPECT_EQ(error_of("(NATO OR Baku"),
              "query:1:1: unbalanced parenthesis: this '(' is never closed");
    EXPECT_EQ(error_of("NATO OR Baku)"),
              "query:1:13: unbalanced parenthesis: ')' without a '(' before it");
    EXPECT_EQ(error_of("NATO ()"), "query:1:7: expected a term inside '( )'");
    EXPECT_EQ(error_of("\"\""), "query:1:1: empty phrase: expected words between the quotes");
}

TEST(AlertQueryErrors, FieldsAndNear) {
    EXPECT_EQ(error_of("autor:Aliyev"),
              "query:1:1: unknown field 'autor:'; the fields are title:, topic:, feed:, lang:");
    EXPECT_EQ(error_of("topic:"), "query:1:7: expected a value after topic:");
    EXPECT_EQ(error_of("NATO NEAR Baku"), "query:1:6: expected a number after NEAR/, as in NEAR/5");
    EXPECT_EQ(error_of("NATO NEAR/x Baku"),
              "query:1:6: expected a number after NEAR/, as in NEAR/5");
    EXPECT_EQ(error_of("NATO NEAR/3"), "query:1:6: expected a term after NEAR");
    EXPECT_EQ(error_of("(NATO AND EU) NEAR/3 Baku"),
              "query:1:15: NEAR/3 needs a term, a phrase or an OR group of them on each side");
    EXPECT_EQ(error_of("Baku NEAR/3 (NATO OR NOT EU)"),
              "query:1:6: NEAR/3 needs a term, a phrase or an OR group of them on each side");
    EXPECT_EQ(error_of("Baku NEAR/3 (NATO OR topic:nato)"),
              "query:1:6: NEAR/3 needs a term, a phrase or an OR group of them on each side");
    EXPECT_EQ(error_of("title:(NATO topic:nato)"), "query:1:13: field 'topic:' inside title:( )");
}

TEST(AlertQueryErrors, ColumnsCountCharactersAndLines) {
    EXPECT_EQ(error_of("Азербайджан AND"), "query:1:13: expected a term after AND");
    EXPECT_EQ(error_of("NATO\nAND"), "query:2:1: expected a term after AND");
    EXPECT_EQ(error_of("NATO Az*rb"), "query:1:6: * may only end a word (\"stem*\")");
    EXPECT_EQ(error_of("NATO &"), "query:1:6: & has no letters or digits to look for");
}

TEST(AlertQueryErrors, LowerCaseOperatorsGetAHint) {
    EXPECT_EQ(error_of("(nato and baku"),
              "query:1:1: unbalanced parenthesis: this '(' is never closed (operators are "
              "written in capitals: AND, OR, NOT, NEAR/n)");
    EXPECT_EQ(error_of("(NATO AND Baku"),
              "query:1:1: unbalanced parenthesis: this '(' is never closed");
}

std::vector<std::string> warnings_of(std::string_view query) {
    std::vector<std::string> out;
    for (const auto& warning : query_warnings(query))
        out.push_back(warning.to_string());
    return out;
}

TEST(AlertQueryWarnings, LowerCaseOperatorsAreReadAsWords) {
    EXPECT_EQ(
        warnings_of("nato and baku"),
        (std::vector<std::string>{"query:1:6: \"and\" is read as a word to look for, not "
                                  "as the operator AND (operators are written in capitals)"}));
    EXPECT_EQ(warnings_of("Rutte Or Stoltenberg not Baku near/5 Ganja").size(), 3U);
    EXPECT_EQ(warnings_of("nato near/5 baku").front(),
              "query:1:6: \"near/5\" is read as a word to look for, not as the operator NEAR "
              "(operators are written in capitals)");
    EXPECT_TRUE(warnings_of("NATO AND Baku OR NOT Ganja NEAR/2 x").empty());
    EXPECT_TRUE(warnings_of("\"war and peace\" android notice").empty());
    EXPECT_TRUE(parse_query("nato and baku")); // still a query: three words, all required
}

TEST(AlertQueryErrors, QueriesThatNeedNoTermAreRefused) {
    EXPECT_NE(error_of("NOT NATO").find("contain none of its terms"), std::string::npos);
    EXPECT_NE(error_of("Baku OR NOT NATO").find("contain none of its terms"), std::string::npos);
    EXPECT_EQ(error_of("Baku NOT NATO"), "(parsed)");
}

TEST(AlertQueryErrors, DeepNestingIsAnErrorNotACrash) {
    std::string deep(200, '(');
    deep += "NATO";
    deep += std::string(200, ')');
    EXPECT_NE(error_of(deep).find("nested deeper"), std::string::npos);
}

// Rules are matched through a RuleSet, as the daemon does.
class AlertMatching : public ::testing::Test {
protected:
    bool matches(std::string_view query, std::string_view title, std::string_view body,
                 std::vector<std::string_view> topics = {}, std::string_view feed = "Today.Az",
                 std::string_view language = "en") {
        auto parsed = parse_query(query);
        if (!parsed) {
            ADD_FAILURE() << parsed.error().to_string();
            return false;
        }
        RuleSet set({{7, "rule", std::move(*parsed)}});
        return !set.match({title, body, feed, language, std::move(topics)}).empty();
    }
};

TEST_F(AlertMatching, TermsAndImplicitAnd) {
    EXPECT_TRUE(matches("NATO Baku", "NATO delegation", "arrived in Baku on Friday"));
    EXPECT_FALSE(matches("NATO Baku", "NATO delegation", "arrived in Ganja"));
    EXPECT_TRUE(matches("nato", "NATO delegation", ""));
    EXPECT_FALSE(matches("NATO", "Senator speaks", "senatorial race"));
}

TEST_F(AlertMatching, PrecedenceNotThenAndThenOr) {
    // NATO OR (Baku AND NOT Ganja)
    EXPECT_TRUE(matches("NATO OR Baku NOT Ganja", "NATO", "Ganja"));
    EXPECT_TRUE(matches("NATO OR Baku NOT Ganja", "Baku", ""));
    EXPECT_FALSE(matches("NATO OR Baku NOT Ganja", "Baku", "Ganja"));
    EXPECT_FALSE(matches("(NATO OR Baku) NOT Ganja", "NATO", "Ganja"));
    EXPECT_TRUE(matches("NATO AND NOT (Ganja OR Shusha)", "NATO", "Baku"));
    EXPECT_FALSE(matches("NATO AND NOT (Ganja OR Shusha)", "NATO", "Shusha"));
}

TEST_F(AlertMatching, PhrasesAcrossPunctuationAndLines) {
    EXPECT_TRUE(matches("\"Partnership for Peace\"", "", "the Partnership\nfor Peace programme"));
    EXPECT_FALSE(matches("\"Partnership for Peace\"", "", "Peace for Partnership"));
    EXPECT_TRUE(matches("\"NATO summit\"", "", "before the NATO-summit"));
}

TEST_F(AlertMatching, InflectedWordsInFourLanguages) {
    EXPECT_TRUE(matches("NATO", "", "NATO'nun Bakü ziyareti"));
    EXPECT_TRUE(matches("NATO", "", "NATO’ya katılım"));
    EXPECT_TRUE(matches("Azərbaycan*", "", "Azərbaycanın xarici siyasəti"));
    EXPECT_FALSE(matches("Azərbaycan", "", "Azərbaycanın xarici siyasəti"));
    EXPECT_TRUE(matches("Азербайджан*", "", "визит в Азербайджане"));
    EXPECT_TRUE(matches("НАТО", "", "ВСТРЕЧА С НАТО"));
    EXPECT_TRUE(matches("Azerbaijan*", "", "Azerbaijani diplomats"));
    EXPECT_TRUE(matches("BAKÜ", "", "Bakü'de toplantı"));
}

TEST_F(AlertMatching, YoAndTheTurkicIsAreOneLetter) {
    EXPECT_TRUE(matches("Королёв", "", "КОРОЛЕВ прибыл"));
    EXPECT_TRUE(matches("Партнерство*", "Партне\xCC\x88рство ради мира", ""));
    EXPECT_TRUE(matches("title:партнёрство", "Партне\xCC\x88рства", "", {}, "", "ru"));
    EXPECT_TRUE(matches("Bakı NEAR/1 NATO", "", "BAKI'DA NATO"));
    EXPECT_TRUE(matches("ilham", "", "İLHAM ƏLİYEV"));
    EXPECT_TRUE(matches("\"Şimali Atlantika\"", "", "S\xCC\xA7imali Atlantika"));
}

TEST_F(AlertMatching, NearCountsWordsBetweenEitherOrder) {
    EXPECT_TRUE(matches("NATO NEAR/3 Baku", "", "NATO officials arrived in Baku"));
    EXPECT_FALSE(matches("NATO NEAR/2 Baku", "", "NATO officials arrived in Baku"));
    EXPECT_TRUE(matches("NATO NEAR/2 Baku", "", "Baku said NATO was welcome"));
    EXPECT_TRUE(matches("NATO NEAR/0 Baku", "", "NATO Baku office"));
    EXPECT_TRUE(matches("\"Partnership for Peace\" NEAR/5 Azerbaijan*", "",
                        "Azerbaijan joined the Partnership for Peace in 1994"));
    // Title and body are separate texts: no nearness across them.
    EXPECT_FALSE(matches("NATO NEAR/5 Baku", "NATO", "Baku"));
}

TEST_F(AlertMatching, NearAtTheEdges) {
    EXPECT_FALSE(matches("NATO NEAR/0 Baku", "", "NATO said Baku"));
    EXPECT_TRUE(matches("NATO NEAR/1 Baku", "", "NATO said Baku"));
    EXPECT_TRUE(matches("NATO NEAR/1 Baku", "", "Baku said NATO"));
    EXPECT_TRUE(matches("NATO NEAR/0 Baku", "", "Baku NATO"));
    // One occurrence is never near itself, even when two leaves find it.
    EXPECT_FALSE(matches("NATO NEAR/0 NATO", "", "NATO talks"));
    EXPECT_FALSE(matches("NATO NEAR/3 NAT*", "", "the NATO talks"));
    EXPECT_TRUE(matches("NATO NEAR/0 NATO", "", "NATO NATO"));
    EXPECT_FALSE(matches("NATO NEAR/0 NATO", "", "NATO and NATO"));
    EXPECT_TRUE(matches("NATO NEAR/1 NATO", "", "NATO and NATO"));
    EXPECT_TRUE(matches("NATO NEAR/3 NAT*", "", "NATO in NATOs"));
    // Overlapping occurrences are near at any distance.
    EXPECT_TRUE(matches("\"NATO summit\" NEAR/0 summit", "", "the NATO summit"));
    EXPECT_TRUE(matches("\"NATO summit\" NEAR/0 NATO", "", "the NATO summit"));
    // Far pairs do not hide a near one later in the text, in either order.
    EXPECT_TRUE(matches("NATO NEAR/1 Baku", "", "NATO a b c d NATO x y z Baku x NATO"));
    EXPECT_TRUE(matches("NATO NEAR/1 Baku", "", "Baku a b c d Baku x y z NATO x Baku"));
    EXPECT_TRUE(matches("title:NATO NEAR/1 Baku", "NATO in Baku", "nothing"));
    EXPECT_FALSE(matches("title:NATO NEAR/1 Baku", "NATO", "NATO in Baku"));
}

// NEAR against a plain count over every pair of words, on random texts.
TEST_F(AlertMatching, NearAgreesWithCountingEveryPair) {
    const std::vector<std::string> vocabulary{"alpha", "beta", "gamma"};
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1'103'515'245U + 12'345U, (seed >> 16) % 1000; };
    for (int round = 0; round < 400; ++round) {
        std::vector<std::size_t> words(1 + next() % 12);
        std::string body;
        for (auto& word : words) {
            word = next() % vocabulary.size();
            body += vocabulary[word] + " ";
        }
        std::uint32_t distance = next() % 4;
        std::size_t left = next() % 2, right = next() % 2;
        bool expected = false;
        for (std::size_t i = 0; i < words.size(); ++i)
            for (std::size_t j = 0; j < words.size(); ++j)
                if (i != j && words[i] == left && words[j] == right &&
                    (i > j ? i - j : j - i) - 1 <= distance)
                    expected = true;
        std::string query =
            vocabulary[left] + " NEAR/" + std::to_string(distance) + " " + vocabulary[right];
        EXPECT_EQ(matches(query, "", body), expected) << query << " in: " << body;
    }
}

// Evaluating NEAR takes time in proportion to the occurrences, not to their product: a
// crafted body is evaluated inside the writer's transaction.
TEST_F(AlertMatching, NearIsLinearInTheOccurrences) {
    std::string body;
    for (int i = 0; i < 100'000; ++i)
        body += "alpha ";
    body += "one two three ";
    for (int i = 0; i < 100'000; ++i)
        body += "beta ";
    auto time = [&](std::string_view query, bool expected) {
        auto started = std::chrono::steady_clock::now();
        EXPECT_EQ(matches(query, "", body), expected) << query;
        return std::chrono::steady_clock::now() - started;
    };
    // Finding the words is the same work either way; a loaded machine slows both.
    auto finding = time("alpha AND beta AND NOT gamma", true);
    auto near = time("alpha NEAR/2 beta", false);
    EXPECT_LT(near, std::chrono::seconds(2) + 2 * finding); // the quadratic walk: minutes
    EXPECT_TRUE(matches("alpha NEAR/3 beta", "", body));
}

TEST_F(AlertMatching, NearTakesAnOrGroupOnEitherSide) {
    const char* query = "(Rutte OR Stoltenberg) NEAR/5 Baku";
    EXPECT_TRUE(matches(query, "", "Rutte arrived in Baku"));
    EXPECT_TRUE(matches(query, "", "Baku welcomed Jens Stoltenberg"));
    EXPECT_FALSE(matches(query, "", "Rutte spoke. One two three four five six. Baku"));
    EXPECT_FALSE(matches(query, "", "Stoltenberg and Rutte"));
    EXPECT_TRUE(matches("Baku NEAR/1 (Rutte OR \"Jens Stoltenberg\" OR Aliyev)", "",
                        "Baku: Jens Stoltenberg"));
    EXPECT_TRUE(matches("(NATO OR OTAN) NEAR/0 (Baku OR Bakı)", "", "OTAN Bakı"));
    EXPECT_FALSE(matches("(NATO OR OTAN) NEAR/0 (Baku OR Bakı)", "", "OTAN x Bakı"));
    EXPECT_TRUE(matches("((NATO OR OTAN) OR НАТО) NEAR/2 Baku", "", "НАТО в Baku"));
    // A title: member counts only in the title; the group's other members anywhere.
    EXPECT_TRUE(matches("(title:Rutte OR Stoltenberg) NEAR/2 Baku", "Rutte in Baku", ""));
    EXPECT_FALSE(matches("(title:Rutte OR Stoltenberg) NEAR/2 Baku", "", "Rutte in Baku"));
    EXPECT_TRUE(matches("(title:Rutte OR Stoltenberg) NEAR/2 Baku", "", "Stoltenberg in Baku"));
    // One occurrence found by both members of a group is still one occurrence.
    EXPECT_FALSE(matches("(NATO OR NAT*) NEAR/0 NATO", "", "NATO talks"));
}

TEST_F(AlertMatching, FieldScopes) {
    EXPECT_TRUE(matches("title:NATO", "NATO meets", "nothing"));
    EXPECT_FALSE(matches("title:NATO", "Meeting", "NATO in the body"));
    EXPECT_TRUE(matches("title:(NATO OR Baku) Aliyev", "Baku talks", "Aliyev said"));
    EXPECT_TRUE(matches("topic:nato Baku", "", "Baku", {"nato"}));
    EXPECT_FALSE(matches("topic:nato Baku", "", "Baku", {"azerbaijan"}));
    EXPECT_TRUE(matches("feed:\"Today.Az\" NATO", "", "NATO", {}, "Today.Az"));
    EXPECT_FALSE(matches("feed:\"Today.Az\" NATO", "", "NATO", {}, "Trend"));
    EXPECT_TRUE(matches("lang:ru НАТО", "", "НАТО", {}, "", "ru-RU"));
    EXPECT_FALSE(matches("lang:ru NATO", "", "NATO", {}, "", "en"));
    EXPECT_TRUE(matches("topic:azerbaijan", "", "", {"azerbaijan"}));
}

TEST(AlertRuleSet, SharesPatternsAndReportsMatchedTerms) {
    std::vector<CompiledRule> rules;
    rules.push_back({1, "a", *parse_query("NATO AND Baku")});
    rules.push_back({2, "b", *parse_query("nato OR Ganja")});
    rules.push_back({3, "c", *parse_query("\"Partnership for Peace\" NOT NATO")});
    RuleSet set(std::move(rules));
    EXPECT_EQ(set.pattern_count(), 4U); // NATO and nato are one pattern
    auto hits = set.match({"NATO in Baku", "", "", "", {}});
    ASSERT_EQ(hits.size(), 2U);
    EXPECT_EQ(hits[0].rule_id, 1);
    EXPECT_EQ(hits[0].matched_terms, (std::vector<std::string>{"NATO", "Baku"}));
    EXPECT_EQ(hits[1].rule_id, 2);
    EXPECT_EQ(hits[1].matched_terms, (std::vector<std::string>{"nato"}));
    EXPECT_TRUE(set.match({"Weather", "sunny", "", "", {}}).empty());
}

// What `newsmon search` asks the index for: a superset of what the query matches.
std::optional<std::string> candidates(std::string_view query) {
    auto parsed = parse_query(query);
    if (!parsed) {
        ADD_FAILURE() << query << ": " << parsed.error().to_string();
        return "(not a query)";
    }
    return store::candidate_tsquery(*parsed);
}

TEST(SearchCandidates, EveryWordThatMustOccur) {
    EXPECT_EQ(candidates("NATO!"), "'nato'");
    EXPECT_EQ(candidates("Azerbaijan*"), "'azerbaijan':*");
    EXPECT_EQ(candidates("\"NATO summit!\""), "('nato' & 'summit')");
    EXPECT_EQ(candidates("(Rutte! OR Stoltenberg!) NEAR/3 Baku!"),
              "(('rutte' | 'stoltenberg') & 'baku')");
    EXPECT_EQ(candidates("NATO! NOT Baku!"), "'nato'");
    EXPECT_EQ(candidates("topic:nato NATO!"), "'nato'");
    EXPECT_EQ(candidates("title:Bakı!"), "'baki'");
    // A term that may be stemmed: also any word beginning as one of its stems does.
    EXPECT_EQ(candidates("NATO"), "('nat':* | 'nato' | 'nato':*)");
}

TEST(SearchCandidates, NoneWhenTheQueryNeedsNoWord) {
    EXPECT_EQ(candidates("topic:nato"), std::nullopt);
    EXPECT_EQ(candidates("topic:nato OR NATO"), std::nullopt);
    EXPECT_EQ(candidates("lang:ru NOT NATO"), std::nullopt);
}

TEST(SearchCandidates, ArticleWordsInBaseForm) {
    EXPECT_EQ(store::words_tsvector({"NATO'nun BAKI", "Bakı; Королёв", ""}),
              "'baki' 'nato' 'nun' 'королев'");
    EXPECT_EQ(store::words_tsvector({std::string(300, 'a')}), "'" + std::string(255, 'a') + "'");
    EXPECT_EQ(candidates(std::string(300, 'a') + "!"), "'" + std::string(255, 'a') + "':*");
}

} // namespace
} // namespace newsmon::rules
