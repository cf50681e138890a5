// The binary parameters the writer sends, read back by PostgreSQL itself: each array must come
// out as the same values sent as text would, and a tsvector as the same vector its text form
// gives (lexemes with quotes, backslashes and other scripts, weights, lexemes without positions).
#include <gtest/gtest.h>

#include <random>

#include <pqxx/pqxx>

#include "store/article_words.hpp"
#include "store/binary_arrays.hpp"
#include "test_database.hpp"

using namespace newsmon;
using store::binary::ArrayBuilder;
using store::binary::ElementType;
using store::binary::TsVectorBuilder;

namespace {

class BinaryArraysTest : public ::testing::Test {
protected:
    // The parameter as PostgreSQL reads it, cast to `type` and printed as text.
    std::string as_text(const pqxx::binarystring& parameter, const std::string& type) {
        pqxx::work tx{connection};
        return tx.exec_params1("SELECT $1::" + type + "::text", parameter)[0].as<std::string>();
    }

    testkit::TestDatabase db;
    pqxx::connection connection{db.url()};
};

TEST_F(BinaryArraysTest, TextsComeOutAsSent) {
    ArrayBuilder texts{ElementType::text};
    texts.add_text("plain");
    texts.add_null();
    texts.add_text("quote \" and backslash \\ and comma, {brace}");
    texts.add_text("Azərbaycan — НАТО");
    texts.add_text("");
    pqxx::work tx{connection};
    auto rows = tx.exec_params("SELECT t, t IS NULL FROM unnest($1::text[]) t", texts.parameter());
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0][0].as<std::string>(), "plain");
    EXPECT_TRUE(rows[1][1].as<bool>());
    EXPECT_EQ(rows[2][0].as<std::string>(), "quote \" and backslash \\ and comma, {brace}");
    EXPECT_EQ(rows[3][0].as<std::string>(), "Azərbaycan — НАТО");
    EXPECT_EQ(rows[4][0].as<std::string>(), "");
    EXPECT_FALSE(rows[4][1].as<bool>());
}

TEST_F(BinaryArraysTest, ANulByteIsLeftOutOfAText) {
    ArrayBuilder texts{ElementType::text};
    texts.add_text(std::string_view("a\0b", 3));
    EXPECT_EQ(as_text(texts.parameter(), "text[]"), "{ab}");
}

TEST_F(BinaryArraysTest, IntegersAndBooleans) {
    ArrayBuilder integers{ElementType::integer};
    for (int value : {0, 1, -1, 2147483647, -2147483647 - 1, 65536})
        integers.add_integer(value);
    integers.add_null();
    EXPECT_EQ(as_text(integers.parameter(), "integer[]"),
              "{0,1,-1,2147483647,-2147483648,65536,NULL}");
    ArrayBuilder booleans{ElementType::boolean};
    booleans.add_boolean(true);
    booleans.add_boolean(false);
    EXPECT_EQ(as_text(booleans.parameter(), "boolean[]"), "{t,f}");
}

TEST_F(BinaryArraysTest, AnEmptyArrayIsEmpty) {
    EXPECT_EQ(as_text(ArrayBuilder{ElementType::text}.parameter(), "text[]"), "{}");
    pqxx::work tx{connection};
    EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM unnest($1::integer[], $2::text[])",
                              ArrayBuilder{ElementType::integer}.parameter(),
                              ArrayBuilder{ElementType::text}.parameter())[0]
                  .as<int>(),
              0);
}

TEST_F(BinaryArraysTest, ATsVectorIsTheOneItsTextFormGives) {
    TsVectorBuilder vector;
    vector.add_lexeme("a'b");
    vector.add_position(1, 'A');
    vector.add_position(7, 'D');
    vector.add_lexeme("back\\slash");
    vector.add_position(2, 'B');
    vector.add_lexeme("nato");
    vector.add_lexeme("азербайджан");
    vector.add_position(3, 'C');
    vector.add_position(16383, 'A');
    pqxx::work tx{connection};
    auto row = tx.exec_params1(
        "SELECT $1::tsvector::text, $1::tsvector = $2::tsvector",
        pqxx::binarystring(vector.finish()),
        std::string("'a''b':1A,7 'back\\\\slash':2B 'nato' 'азербайджан':3C,16383A"));
    EXPECT_EQ(row[0].as<std::string>(),
              "'a''b':1A,7 'back\\\\slash':2B 'nato' 'азербайджан':3C,16383A");
    EXPECT_TRUE(row[1].as<bool>());
}

TEST_F(BinaryArraysTest, AnArrayOfTsVectorsWithANull) {
    TsVectorBuilder vector;
    vector.add_lexeme("baku");
    ArrayBuilder vectors{ElementType::tsvector};
    vectors.add_encoded(vector.finish());
    vectors.add_encoded(std::nullopt);
    vectors.add_encoded(TsVectorBuilder{}.finish());
    EXPECT_EQ(as_text(vectors.parameter(), "tsvector[]"), "{'baku',NULL,\"\"}");
}

TEST_F(BinaryArraysTest, ArticleWordsInBothFormsAreOneVector) {
    std::vector<std::string_view> texts{"NATO'nun BAKI \\ «Азербайджан»", "Bakı; Королёв",
                                        "it's a back\\slash"};
    auto text = store::words_tsvector(texts);
    auto binary = store::words_tsvector(texts, store::TsVectorForm::binary);
    ASSERT_TRUE(text && binary);
    pqxx::work tx{connection};
    auto row = tx.exec_params1("SELECT $1::tsvector::text, $2::tsvector::text",
                               pqxx::binarystring(*binary), *text);
    EXPECT_EQ(row[0].as<std::string>(), row[1].as<std::string>());
    EXPECT_EQ(row[0].as<std::string>(), *text);
}

// Property: on random texts built from the characters that matter to either form (quotes,
// backslashes, apostrophes, hyphens, NUL, combining marks, four scripts, digits), the words in
// binary form are the vector PostgreSQL parses from their text form.
TEST_F(BinaryArraysTest, RandomTextsGiveTheSameWordsInBothForms) {
    const std::vector<std::string> pieces{
        "a",   "Z",       "7", "'",    "''",   "\\",
        "\\'", "’",       "-", " ",    "\n",   std::string(1, '\0'),
        "ə",   "Ə",       "ı", "İ",    "ş",    "ğ",
        "ö",   "ü",       "д", "Ё",    "ә",    "ҹ",
        "é",   "e\u0301", "ß", "NATO", "Bakı", "Азербайджан",
        "\"",  "{",       ",", "😀"};
    std::mt19937 random{20261206};
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 60);
    pqxx::work tx{connection};
    int compared = 0;
    for (int round = 0; round < 300; ++round) {
        std::string text;
        for (int n = length(random); n > 0; --n)
            text += pieces[piece(random)];
        auto as_text = store::words_tsvector({text});
        auto as_binary = store::words_tsvector({text}, store::TsVectorForm::binary);
        ASSERT_EQ(as_text.has_value(), as_binary.has_value());
        if (!as_text)
            continue;
        auto row = tx.exec_params1("SELECT $1::tsvector::text, $2::tsvector::text",
                                   pqxx::binarystring(*as_binary), *as_text);
        EXPECT_EQ(row[0].as<std::string>(), row[1].as<std::string>()) << "text: " << text;
        ++compared;
    }
    EXPECT_EQ(compared, 300);
}

} // namespace
