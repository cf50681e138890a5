// articles.search as the writer assembles it, tested against PostgreSQL itself: the tokens
// against its default parser (ts_parse), the vectors against article_search_vector, on the
// project's texts in four languages and on generated texts built from the characters the
// parser treats specially. A text the assembly accepts must come out exactly as PostgreSQL
// makes it; one it declines is left to PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "newsmon/parsers/search_tokens.hpp"
#include "newsroom.hpp"
#include "store/migrations.hpp"
#include "store/search_vectors.hpp"
#include "store/store.hpp"
#include "test_database.hpp"

using namespace newsmon;

namespace {

using Tokens = std::vector<std::pair<std::string, std::string>>; // type alias, token

struct Text {
    std::string title, summary, content;
};

class SearchVectorsTest : public ::testing::Test {
protected:
    SearchVectorsTest() { store::migrate(connection); }

    Tokens postgres_tokens(const std::string& text) {
        pqxx::read_transaction tx{connection};
        Tokens tokens;
        for (const auto& row : tx.exec_params(
                 "SELECT t.alias, p.token FROM ts_parse('default', $1) WITH ORDINALITY "
                 "AS p(tokid, token, n) JOIN ts_token_type('default') t ON t.tokid = p.tokid "
                 "WHERE t.alias <> 'blank' ORDER BY p.n",
                 text))
            tokens.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
        return tokens;
    }

    // Compares every accepted text's tokens with PostgreSQL's; returns how many were accepted.
    std::size_t expect_same_tokens(const std::vector<std::string>& texts) {
        std::size_t accepted = 0;
        for (const auto& text : texts) {
            std::vector<parsers::SearchToken> ours;
            if (!parsers::search_tokens(text, ours))
                continue;
            ++accepted;
            Tokens cut;
            for (const auto& token : ours)
                cut.emplace_back(std::string(parsers::search_token_alias(token.type)),
                                 std::string(token.text));
            EXPECT_EQ(cut, postgres_tokens(text)) << "text: " << text;
        }
        return accepted;
    }

    // Compares every assembled vector with article_search_vector's; returns how many were
    // assembled.
    std::size_t expect_same_vectors(const std::vector<Text>& texts) {
        store::SearchVectors vectors{connection};
        EXPECT_TRUE(vectors.enabled());
        std::vector<store::SearchText> search_texts;
        for (const auto& text : texts)
            search_texts.push_back({text.title, text.summary, text.content});
        pqxx::work tx{connection};
        auto assembled = vectors.assemble(tx, search_texts);
        std::size_t count = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (!assembled[i])
                continue;
            ++count;
            auto row = tx.exec_params1(
                "SELECT article_search_vector($1, $2, $3)::text, $4::tsvector::text",
                texts[i].title, texts[i].summary, texts[i].content,
                pqxx::binarystring(*assembled[i]));
            EXPECT_EQ(row[1].as<std::string>(), row[0].as<std::string>())
                << "title: " << texts[i].title << "\nsummary: " << texts[i].summary
                << "\ncontent: " << texts[i].content;
        }
        return count;
    }

    testkit::TestDatabase db;
    pqxx::connection connection{db.url()};
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The project's texts: labelled tagging and story sets (titles and bodies in four languages)
// and the text extracted from the article pages.
std::vector<Text> project_texts() {
    std::vector<Text> texts;
    std::filesystem::path fixtures = NEWSMON_FIXTURES_DIR;
    std::filesystem::path bench = std::filesystem::path(NEWSMON_SOURCE_DIR) / "bench";
    for (const auto& set :
         {fixtures / "tagging/labelled.jsonl", fixtures / "stories/labelled.jsonl",
          bench / "stories/heldout.jsonl", bench / "tagging/heldout.jsonl"}) {
        std::ifstream in(set);
        for (std::string line; std::getline(in, line);) {
            if (line.empty())
                continue;
            auto item = nlohmann::json::parse(line);
            texts.push_back({item.value("title", ""), item.value("body", ""), ""});
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(fixtures / "articles")) {
        std::string name = entry.path().filename().string();
        if (name.ends_with(".expected.txt"))
            texts.push_back({name, "", read_file(entry.path())});
    }
    return texts;
}

// Pieces that each meet a different rule of the parser, and the plain ones among them: words
// (stop words too), numbers, hyphens, signs and punctuation that separates.
const std::vector<std::string> k_plain_pieces = {
    "NATO", "nato", "Azərbaycan", "Баку",   "ЁЛКА",       "İstanbul", "IĞDIR", "ı",
    "e",    "E",    "x",          "the",    "and",        "of",       "и",     "в",
    "не",   "5",    "2024",       "07",     "x1",         "G7",       "beta1", "-",
    "-",    "+",    "1.5",        "10.482", "05.12.2026", "₼",      "°",     "№",
    ".",    ",",    " ",          " ",      "  ",         "\n",       "'",     "’",
    "«",    "»",    "—",          "…",      "\u00a0",     "(",        ")",     "!"};
const std::vector<std::string> k_special_pieces = {
    "..", "...", "\t", "/", "@", ":",      "&",      "&amp;",  "<",     ">",      "<b>",    "~",
    "_",  "–",   "#",  ";", "%", "\"",     "=",      "?",      "\\",    "\u0301", "\u200b", "中",
    "ß",  "Ə",   "ё",  "é", "ĳ", "\u00ad", "ǅ",      "ı̇",      "£",     "€",      "©",      "-0.25",
    "3e", "x1.", "µ",  "ª", "×", "·",      "\u2028", "\u3000", "\u2009"};

// Texts put together from random pieces; with `special`, from all of them.
std::vector<std::string> generated_texts(std::size_t count, bool special) {
    std::vector<std::string> pieces = k_plain_pieces;
    if (special)
        pieces.insert(pieces.end(), k_special_pieces.begin(), k_special_pieces.end());
    std::mt19937 random(20261205);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(1, 14);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < count; ++i) {
        std::string text;
        for (int n = length(random); n > 0; --n)
            text += pieces[piece(random)];
        texts.push_back(text);
    }
    return texts;
}

} // namespace

TEST_F(SearchVectorsTest, ProjectTextsAreCutAsPostgresCutsThem) {
    std::vector<std::string> texts;
    for (const auto& text : project_texts())
        for (const auto* part : {&text.title, &text.summary, &text.content})
            if (!part->empty())
                texts.push_back(*part);
    std::size_t accepted = expect_same_tokens(texts);
    std::printf("accepted %zu of %zu texts\n", accepted, texts.size());
    // most news text is words and plain punctuation; the rest (hosts, decimals, dates with
    // dots) is left to PostgreSQL
    EXPECT_GT(accepted, texts.size() / 2) << accepted << " of " << texts.size();
}

TEST_F(SearchVectorsTest, GeneratedTextsAreCutAsPostgresCutsThemOrDeclined) {
    auto texts = generated_texts(4000, /*special=*/true);
    std::size_t accepted = expect_same_tokens(texts);
    EXPECT_GT(accepted, texts.size() / 5) << accepted << " of " << texts.size();
}

TEST_F(SearchVectorsTest, ProjectTextsGetTheVectorPostgresComputes) {
    auto texts = project_texts();
    std::size_t assembled = expect_same_vectors(texts);
    std::printf("assembled %zu of %zu articles\n", assembled, texts.size());
    EXPECT_GT(assembled, texts.size() / 2) << assembled << " of " << texts.size();
}

TEST_F(SearchVectorsTest, GeneratedTextsGetTheVectorPostgresComputes) {
    auto pieces = generated_texts(3000, /*special=*/false);
    std::vector<Text> texts;
    for (std::size_t i = 0; i + 2 < pieces.size(); i += 3)
        texts.push_back({pieces[i], pieces[i + 1], pieces[i + 2] + " " + pieces[i]});
    std::size_t assembled = expect_same_vectors(texts);
    EXPECT_GT(assembled, texts.size() / 3) << assembled << " of " << texts.size();
}

TEST_F(SearchVectorsTest, PositionsFollowTheLargestKeptPositionAndStopWordsCount) {
    // a title of stop words keeps no position, so the title's 'simple' vector starts at 1
    std::size_t assembled = expect_same_vectors({{"The and of", "of the NATO", "NATO"},
                                                 {"", "", ""},
                                                 {"NATO", "", ""},
                                                 {"a-b-c d-e", "x- -5 5- +7", "the the the"}});
    EXPECT_EQ(assembled, 4u);
}

TEST_F(SearchVectorsTest, AWordRepeatedPastWhatPostgresKeepsIsLeftToPostgres) {
    std::string many;
    for (int i = 0; i < 300; ++i)
        many += "NATO ";
    store::SearchVectors vectors{connection};
    pqxx::work tx{connection};
    auto assembled = vectors.assemble(tx, {{"t", many, std::nullopt}, {"t", "NATO", std::nullopt}});
    EXPECT_FALSE(assembled[0]);
    EXPECT_TRUE(assembled[1]);
}

TEST(SearchVectorsWriter, EveryStoredArticleHasTheVectorPostgresComputes) {
    testkit::TestDatabase db;
    store::Store store{db.url()};
    auto room = testkit::populate_newsroom(store, db.url());
    {
        pqxx::connection connection{db.url()};
        ASSERT_TRUE(store::SearchVectors{connection}.enabled()); // the writer assembles them
    }
    auto today = testkit::start_of_today();
    // one text the assembly takes, one with a host it leaves to PostgreSQL, one hyphenated
    (void)testkit::store_items(
        store, room.wire,
        {testkit::make_item("plain", "NATO and Azerbaijan", "https://wire.test/plain", today,
                            "Партнёрство ради мира обсуждалось в Баку."),
         testkit::make_item("host", "Reported by Today.Az", "https://wire.test/host", today,
                            "See today.az/news for 1.5 million views."),
         testkit::make_item("hyphen", "Azərbaycan-NATO", "https://wire.test/hyphen", today,
                            "2024-cü il, Северо-Атлантический альянс, abc-def-123.")},
        {{}, {}, {}});
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE search::text IS DISTINCT FROM "
                        "article_search_vector(title, summary, content_text)::text"),
              0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM articles WHERE search IS NULL"), 0);
    EXPECT_GE(db.scalar("SELECT count(*) FROM articles"), 3);
}
