// articles.search assembled by the writer: the default parser's tokens are cut here
// (parsers/search_tokens.hpp) and only their lexemes asked of PostgreSQL's dictionaries, once per
// token, so that PostgreSQL does not parse each text (most of its work on a new article). The
// result is the value article_search_vector (0019_search_written_by_the_writer.sql) gives.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <pqxx/pqxx>

#include "newsmon/parsers/search_tokens.hpp"

namespace newsmon::store {

struct SearchText {
    std::string_view title;
    std::string_view summary;
    std::optional<std::string_view> content_text;
};

class SearchVectors {
public:
    // Learns which dictionary each token type goes to in the 'russian' and 'simple'
    // configurations, then compares the assembly with article_search_vector on sample texts.
    // If either fails (another parser or locale, a dictionary chain, a changed function), every
    // vector is left to PostgreSQL, and a warning says why.
    explicit SearchVectors(pqxx::connection& connection);

    [[nodiscard]] bool enabled() const { return m_enabled; }

    // Each text's vector in tsvector's binary form (binary_arrays.hpp: a parameter passed as
    // pqxx::binarystring), or nullopt where PostgreSQL is to compute it: a text the tokenizer
    // declines, or an assembly that is turned off.
    [[nodiscard]] std::vector<std::optional<std::string>>
    assemble(pqxx::transaction_base& tx, const std::vector<SearchText>& texts);

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    // What a dictionary makes of a token: nothing recognised (no position), a stop word (an
    // empty list, a position), or its lexemes (by their numbers: intern).
    struct Lexemes {
        bool recognised = false;
        std::vector<std::uint32_t> values;
    };
    using Cache = std::unordered_map<std::string, Lexemes, StringHash, std::equal_to<>>;
    using TypeDictionaries = std::array<int, parsers::k_search_token_types>; // -1: not indexed

    void read_dictionaries(pqxx::connection& connection);
    [[nodiscard]] std::optional<std::string> first_mismatch(pqxx::connection& connection);
    void learn(pqxx::transaction_base& tx,
               const std::vector<std::vector<parsers::SearchToken>>& tokens);
    [[nodiscard]] std::optional<std::string>
    vector_of(const std::vector<parsers::SearchToken>& title,
              const std::vector<parsers::SearchToken>& body) const;
    // `entries` (lexeme number, position, weight, packed) as a tsvector in binary form;
    // nullopt when a lexeme has more positions than PostgreSQL keeps.
    [[nodiscard]] std::optional<std::string>
    tsvector_binary(std::vector<std::uint64_t>& entries) const;
    // The lexeme's number, the same for every dictionary that gives it, so that a vector's
    // positions are grouped by sorting integers.
    std::uint32_t intern(const std::string& lexeme);

    bool m_enabled = false;
    TypeDictionaries m_russian{};
    TypeDictionaries m_simple{};
    std::vector<std::uint32_t> m_dictionary_oids; // by the index TypeDictionaries holds
    std::vector<Cache> m_lexemes;                 // by dictionary: token as written -> lexemes
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> m_lexeme_numbers;
    std::vector<std::string> m_interned; // by number
};

} // namespace newsmon::store
